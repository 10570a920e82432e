"""Treaty status: dated per-State events, and the ledger summary of an instrument."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, literal, select

from treatywatch.ledger.status import ledger_status
from treatywatch.store.models import StatusEventRow
from treatywatch.web.api import records
from treatywatch.web.api.common import DB, RESPONSES, rule
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, keyset_page, link_header
from treatywatch.web.api.schemas import LedgerStatusOut, Page, StatusEventOut

router = APIRouter(tags=["status"], responses=RESPONSES)

EventSort = Literal["date", "-date", "id", "-id"]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
"""Dates the API accepts: far enough for any treaty, near enough that date
arithmetic in projections cannot overflow."""
UNDATED = dt.date(9999, 12, 31)
"""Sort key of undated events: after every dated one, so the order is total."""


@router.get("/status-events", response_model=Page[StatusEventOut], summary="Treaty status events")
def list_status_events(
    request: Request,
    session: DB,
    country: Annotated[str | None, Query(min_length=1, max_length=3)] = None,
    instrument: Annotated[str | None, Query(max_length=40, examples=["uncc"])] = None,
    event: Annotated[
        str | None, Query(max_length=20, description="e.g. signature, ratification, vote.")
    ] = None,
    since: Annotated[
        dt.date | None, Query(ge=EARLIEST, le=LATEST, description="Events on or after this day.")
    ] = None,
    until: Annotated[
        dt.date | None, Query(ge=EARLIEST, le=LATEST, description="Events on or before this day.")
    ] = None,
    sort: EventSort = "date",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Votes, signatures, ratifications... per State, undated events last."""
    query = select(StatusEventRow)
    if country:
        query = query.where(StatusEventRow.jurisdiction_code == country.upper())
    if instrument:
        query = query.where(StatusEventRow.instrument_id == instrument)
    if event:
        query = query.where(StatusEventRow.event == event)
    if since:
        query = query.where(StatusEventRow.event_date >= since)
    if until:
        query = query.where(StatusEventRow.event_date <= until)
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={
            "date": func.coalesce(StatusEventRow.event_date, literal(UNDATED)),
            "id": StatusEventRow.id,
        },
        tiebreak=StatusEventRow.id,
        cursor=cursor,
        limit=limit,
    )
    items = [records.status_event_record(r) for r in page.items]
    return respond(
        request, page.body(items), model=Page[StatusEventOut], headers=link_header(request, page)
    )


rule("public", "GET", "/status-events")


@router.get(
    "/status/{instrument}", response_model=LedgerStatusOut, summary="Ledger status of a treaty"
)
def get_status(
    request: Request,
    session: DB,
    instrument: str,
    as_of: Annotated[
        dt.date | None,
        Query(ge=EARLIEST, le=LATEST, description="Status on this day (default today)."),
    ] = None,
    all_states: Annotated[bool, Query(description="Include States with no recorded fact.")] = False,
) -> Response:
    """Signatories, parties, entry-into-force projection and each State's status."""
    data = ledger_status(session, instrument, as_of=as_of, all_states=all_states)
    return respond(request, data, model=LedgerStatusOut)


rule("public", "GET", "/status/{instrument}")
