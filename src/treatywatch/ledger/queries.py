"""Listings of stored status events for the CLI and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError
from treatywatch.ledger import instruments as registry
from treatywatch.ledger.conflicts import provenance_record
from treatywatch.ledger.events import EVENT_TYPES, normalise_event
from treatywatch.ledger.jurisdictions import resolve
from treatywatch.store.models import JurisdictionRow, ProvenanceRow, StatusEventRow


def event_records(
    session: Session,
    *,
    instrument: str | None = None,
    state: str | None = None,
    event: str | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(StatusEventRow, JurisdictionRow.name, ProvenanceRow)
        .join(JurisdictionRow, JurisdictionRow.code == StatusEventRow.jurisdiction_code)
        .outerjoin(ProvenanceRow, ProvenanceRow.id == StatusEventRow.provenance_id)
        .order_by(StatusEventRow.event_date, JurisdictionRow.name, StatusEventRow.id)
    )
    if instrument:
        query = query.where(StatusEventRow.instrument_id == registry.get(instrument).id)
    if state:
        query = query.where(StatusEventRow.jurisdiction_code == resolve(state).code)
    if event:
        kind = normalise_event(event)
        if kind is None:
            raise TreatywatchError(
                f"unknown event type {event!r}", hint=f"choose one of: {', '.join(EVENT_TYPES)}"
            )
        query = query.where(StatusEventRow.event == kind)
    records = []
    for row, name, prov in session.execute(query):
        detail = row.marker or ""
        if row.vote:
            detail = f"{row.vote} ({row.resolution})"
        records.append(
            {
                "id": row.id,
                "code": row.jurisdiction_code,
                "name": name,
                "instrument": row.instrument_id,
                "event": row.event,
                "date": row.event_date.isoformat() if row.event_date else None,
                "date_precision": row.date_precision,
                "marker": row.marker,
                "vote": row.vote,
                "resolution": row.resolution,
                "detail": detail,
                "note": row.note,
                "text": row.text,
                "source_key": row.source_key,
                **provenance_record(prov),
            }
        )
    return records
