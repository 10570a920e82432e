"""Documented uses of cyber laws against people, redacted by the caller's role.

Who sees what is the cases module's sensitivity model
(:mod:`treatywatch.cases.records`): restricted fields (names, locations,
contacts) only for analysts and admins, confidential cases only for
admins; everyone else — anonymous readers included — gets a viewer's
view with ``REDACTED`` in place of what they may not see. The number of
cases never depends on the role, only what each shows.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from treatywatch.cases.service import get_case, list_cases
from treatywatch.errors import UnknownNameError
from treatywatch.web.api.common import DB, RESPONSES, Caller, role_of, rule
from treatywatch.web.api.errors import InvalidParameterError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, link_header, list_page
from treatywatch.web.api.schemas import CaseOut, Page, Sensitivity

router = APIRouter(tags=["cases"], responses=RESPONSES)

CaseSort = Literal["date", "-date", "key", "-key"]


@router.get("/cases", response_model=Page[CaseOut], summary="List cases")
def list_all_cases(
    request: Request,
    session: DB,
    who: Caller,
    country: Annotated[str | None, Query(min_length=1, max_length=60)] = None,
    law: Annotated[str | None, Query(max_length=200, description="Document id cited.")] = None,
    provision: Annotated[
        str | None, Query(max_length=300, description="Provision path (and its children).")
    ] = None,
    sensitivity: Sensitivity | None = None,
    tag: Annotated[str | None, Query(max_length=60)] = None,
    sort: CaseSort = "date",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Cases as your role may see them (undated cases sort last by date)."""
    try:
        found = list_cases(
            session,
            role=role_of(who),
            country=country,
            tag=tag,
            law=law,
            provision=provision,
            sensitivity=sensitivity,
        )
    except UnknownNameError as exc:
        raise InvalidParameterError(exc.message, hint=exc.hint) from None
    page = list_page(
        found,
        sort=sort,
        keys={
            "date": lambda r: (r["date"] or "9999-12-31", r["key"]),
            "key": lambda r: (r["key"],),
        },
        cursor=cursor,
        limit=limit,
    )
    return respond(
        request, page.body(page.items), model=Page[CaseOut], headers=link_header(request, page)
    )


rule("public", "GET", "/cases")


@router.get("/cases/{key}", response_model=CaseOut, summary="One case")
def get_one_case(request: Request, session: DB, who: Caller, key: str) -> Response:
    """A case by key (or ``case-ID``), as your role may see it."""
    return respond(request, get_case(session, key, role=role_of(who)), model=CaseOut)


rule("public", "GET", "/cases/{key}")
