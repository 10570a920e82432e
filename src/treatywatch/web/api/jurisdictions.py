"""Jurisdictions (States and organisations) with their stored laws and timeline."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from treatywatch.ledger.timeline import timeline
from treatywatch.store.models import DocumentRow, JurisdictionRow
from treatywatch.suggest import close_matches
from treatywatch.web.api import records
from treatywatch.web.api.common import DB, RESPONSES, rule
from treatywatch.web.api.errors import NotFoundError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, keyset_page, link_header
from treatywatch.web.api.schemas import JurisdictionDetail, JurisdictionOut, Page, TimelineOut

router = APIRouter(tags=["jurisdictions"], responses=RESPONSES)

JurisdictionSort = Literal["code", "-code", "name", "-name"]
Kind = Literal["member", "observer", "reio", "other"]


def find_jurisdiction(session: DB, code: str) -> JurisdictionRow:
    """The stored row for ``code`` (ISO3, any case); a 404 with suggestions otherwise."""
    row = session.get(JurisdictionRow, code.strip().upper()[:3]) if code.strip() else None
    if row is None or len(code.strip()) != 3:
        names = session.execute(select(JurisdictionRow.code, JurisdictionRow.name)).all()
        suggestions = close_matches(code, [(c, c) for c, _n in names] + [(n, c) for c, n in names])
        raise NotFoundError(
            f"no jurisdiction {code!r} in the store",
            hint=f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else "list them with GET /api/v1/jurisdictions",
        )
    return row


def _document_counts(session: DB, codes: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(DocumentRow.jurisdiction_code, func.count())
        .where(DocumentRow.jurisdiction_code.in_(codes))
        .group_by(DocumentRow.jurisdiction_code)
    ).all()
    return {code: int(n) for code, n in rows}


@router.get("/jurisdictions", response_model=Page[JurisdictionOut], summary="List jurisdictions")
def list_jurisdictions(
    request: Request,
    session: DB,
    kind: Kind | None = None,
    with_laws: Annotated[
        bool, Query(description="Only jurisdictions with at least one stored law.")
    ] = False,
    name: Annotated[
        str | None, Query(max_length=100, description="Case-insensitive part of the name.")
    ] = None,
    sort: JurisdictionSort = "code",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Every jurisdiction the store knows, with how many laws are stored for each."""
    query = select(JurisdictionRow)
    if kind:
        query = query.where(JurisdictionRow.kind == kind)
    if with_laws:
        query = query.where(
            JurisdictionRow.code.in_(select(DocumentRow.jurisdiction_code).distinct())
        )
    if name:
        query = query.where(
            func.lower(JurisdictionRow.name).contains(name.lower(), autoescape=True)
        )
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={"code": JurisdictionRow.code, "name": JurisdictionRow.name},
        tiebreak=JurisdictionRow.code,
        cursor=cursor,
        limit=limit,
    )
    counts = _document_counts(session, [r.code for r in page.items])
    items = [records.jurisdiction_record(r, counts.get(r.code, 0)) for r in page.items]
    return respond(
        request, page.body(items), model=Page[JurisdictionOut], headers=link_header(request, page)
    )


rule("public", "GET", "/jurisdictions")


@router.get("/jurisdictions/{code}", response_model=JurisdictionDetail, summary="One jurisdiction")
def get_jurisdiction(request: Request, session: DB, code: str) -> Response:
    """A jurisdiction's names and its stored laws."""
    row = find_jurisdiction(session, code)
    laws = session.scalars(
        select(DocumentRow)
        .where(DocumentRow.jurisdiction_code == row.code)
        .order_by(DocumentRow.id)
    ).all()
    record = {
        **records.jurisdiction_record(row, len(laws)),
        "names": dict(row.names or {}),
        "aliases": list(row.aliases or []),
        "laws": [records.document_record(d) for d in laws],
    }
    return respond(request, record, model=JurisdictionDetail)


rule("public", "GET", "/jurisdictions/{code}")


@router.get(
    "/jurisdictions/{code}/timeline",
    response_model=TimelineOut,
    summary="A jurisdiction's timeline",
)
def get_timeline(request: Request, session: DB, code: str) -> Response:
    """Treaty events, laws, findings and cases of one State, oldest first.

    Cases appear as a viewer sees them (confidential titles redacted)."""
    row = find_jurisdiction(session, code)
    return respond(request, timeline(session, row.code), model=TimelineOut)


rule("public", "GET", "/jurisdictions/{code}/timeline")
