"""Watching for change: what moved since a date, and an Atom feed of new facts.

``diff`` compares each tracked instrument's status at two dates (who became
a signatory or a party) and lists the events dated in between, the events
recorded in between and new law versions. The feed lists what the store
*learned* most recently (new status events and new law versions, by the
time they were recorded), which is what a subscriber wants to be told.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch import __version__
from treatywatch.ledger.instruments import tracked_instruments
from treatywatch.ledger.status import ledger_status
from treatywatch.store.models import (
    DocumentRow,
    DocumentVersionRow,
    JurisdictionRow,
    StatusEventRow,
)

FEED_ID = "urn:treatywatch:ledger-feed"
COUNT_KEYS = ("signatories", "parties", "in_force_for", "qualifying_instruments")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _event_record(row: StatusEventRow, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.jurisdiction_code,
        "name": names.get(row.jurisdiction_code, row.jurisdiction_code),
        "instrument": row.instrument_id,
        "event": row.event,
        "date": row.event_date.isoformat() if row.event_date else None,
        "date_precision": row.date_precision,
        "vote": row.vote,
        "resolution": row.resolution,
        "recorded": _aware(row.created_at).isoformat(),
        "source_key": row.source_key,
    }


def _names(session: Session) -> dict[str, str]:
    return {
        code: name
        for code, name in session.execute(select(JurisdictionRow.code, JurisdictionRow.name))
    }


def diff(
    session: Session,
    since: dt.date,
    *,
    until: dt.date | None = None,
    instruments: list[str] | None = None,
) -> dict[str, Any]:
    """Status changes between ``since`` and ``until`` (default today)."""
    until = until or dt.date.today()
    names = _names(session)
    wanted = instruments or list(tracked_instruments())
    per_instrument = []
    for instrument in wanted:
        before = ledger_status(session, instrument, as_of=since)
        after = ledger_status(session, instrument, as_of=until)
        old = {s["code"]: s["status"] for s in before["states"]}
        changes = [
            {
                "code": s["code"],
                "name": s["name"],
                "from": old.get(s["code"], "none"),
                "to": s["status"],
            }
            for s in after["states"]
            if old.get(s["code"], "none") != s["status"]
        ]
        per_instrument.append(
            {
                "instrument": instrument,
                "before": {k: before[k] for k in COUNT_KEYS},
                "after": {k: after[k] for k in COUNT_KEYS},
                "entry_into_force_before": before["entry_into_force"],
                "entry_into_force_after": after["entry_into_force"],
                "changes": sorted(changes, key=lambda c: c["name"]),
            }
        )
    dated = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.event_date > since, StatusEventRow.event_date <= until)
        .order_by(StatusEventRow.event_date, StatusEventRow.id)
    ).all()
    recorded = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.created_at >= _start_of(since))
        .order_by(StatusEventRow.created_at, StatusEventRow.id)
    ).all()
    versions = session.execute(
        select(DocumentVersionRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentVersionRow.created_at >= _start_of(since))
        .order_by(DocumentVersionRow.created_at, DocumentVersionRow.id)
    )
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "instruments": per_instrument,
        "events_dated": [_event_record(r, names) for r in dated],
        "events_recorded": len(recorded),
        "law_versions": [
            {
                "document_id": doc.id,
                "code": doc.jurisdiction_code,
                "title": doc.title,
                "version_date": version.version_date.isoformat(),
                "recorded": _aware(version.created_at).isoformat(),
            }
            for version, doc in versions
        ],
    }


def build_feed(
    session: Session, *, since: dt.date | None = None, limit: int = 200
) -> tuple[bytes, int]:
    """An Atom document of the newest status events and law versions, and its entry count."""
    names = _names(session)
    events_q = select(StatusEventRow).order_by(
        StatusEventRow.created_at.desc(), StatusEventRow.id.desc()
    )
    versions_q = (
        select(DocumentVersionRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .order_by(DocumentVersionRow.created_at.desc(), DocumentVersionRow.id.desc())
    )
    if since is not None:
        events_q = events_q.where(StatusEventRow.created_at >= _start_of(since))
        versions_q = versions_q.where(DocumentVersionRow.created_at >= _start_of(since))
    entries: list[dict[str, Any]] = []
    for row in session.scalars(events_q.limit(limit)):
        name = names.get(row.jurisdiction_code, row.jurisdiction_code)
        what = f"{row.event} ({row.vote} on {row.resolution})" if row.vote else row.event
        when = row.event_date.isoformat() if row.event_date else "date unknown"
        entries.append(
            {
                "id": f"urn:treatywatch:status-event:{row.id}",
                "title": f"{name}: {what} — {row.instrument_id}, {when}",
                "updated": _aware(row.created_at),
                "summary": f"{name} ({row.jurisdiction_code}), {row.instrument_id}: {what} "
                f"dated {when} ({row.date_precision}). Source: {row.source_key}."
                + (f" {row.note}" if row.note else ""),
                "category": "status-event",
            }
        )
    for version, doc in session.execute(versions_q.limit(limit)):
        entries.append(
            {
                "id": f"urn:treatywatch:law-version:{version.id}",
                "title": f"{names.get(doc.jurisdiction_code, doc.jurisdiction_code)}: "
                f"{doc.title} ({version.version_date.isoformat()})",
                "updated": _aware(version.created_at),
                "summary": f"New version of {doc.id} dated {version.version_date.isoformat()} "
                f"({version.source_format}).",
                "category": "law-version",
            }
        )
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    entries = entries[:limit]
    feed = FeedGenerator()
    feed.id(FEED_ID)
    feed.title("treatywatch: treaty status and law changes")
    feed.subtitle("New status events (signatures, ratifications, votes...) and new law versions")
    feed.author({"name": "treatywatch"})
    feed.generator("treatywatch", version=__version__)
    feed.language("en")
    feed.updated(entries[0]["updated"] if entries else dt.datetime.now(dt.UTC))
    for item in reversed(entries):  # feedgen prepends: add oldest first, newest ends on top
        entry = feed.add_entry()
        entry.id(item["id"])
        entry.title(item["title"])
        entry.updated(item["updated"])
        entry.content(item["summary"], type="text")
        entry.category(term=item["category"])
    return feed.atom_str(pretty=True), len(entries)


def write_feed(
    session: Session, output: Path, *, since: dt.date | None = None, limit: int = 200
) -> dict[str, Any]:
    data, count = build_feed(session, since=since, limit=limit)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return {"output": str(output), "entries": count, "bytes": len(data)}
