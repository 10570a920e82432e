"""One State's story in date order: treaty actions, law versions, findings, cases.

It reads whatever the other stages have written (documents and findings
may be empty early on), so the timeline grows as the pipeline does. Cases
appear with the viewer's redaction: a timeline is a public view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.cases.records import case_record
from treatywatch.ledger.jurisdictions import resolve
from treatywatch.store.models import (
    AuditLogRow,
    CaseRow,
    DocumentRow,
    DocumentVersionRow,
    FindingRow,
    StatusEventRow,
)

FINDING_ENTITY_TYPES = ("finding", "findings")


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


def _status_items(session: Session, code: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(StatusEventRow).where(StatusEventRow.jurisdiction_code == code)
    ).all()
    merged: dict[tuple[object, ...], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        detail = row.event
        if row.vote:
            detail = f"vote {row.vote} on {row.resolution}"
        elif row.marker:
            detail = f"{row.event} ({row.marker})"
        # the same fact from several sources is one line with all its sources
        key = (row.instrument_id, row.event, row.event_date, row.date_precision, detail)
        if key in merged:
            merged[key]["sources"].append(row.source_key)
            continue
        merged[key] = {
            "date": _day(row.event_date),
            "date_precision": row.date_precision,
            "type": "status",
            "instrument": row.instrument_id,
            "event": row.event,
            "summary": f"{row.instrument_id}: {detail}",
            "sources": [row.source_key],
            "id": row.id,
        }
    return list(merged.values())


def _law_items(session: Session, code: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(DocumentVersionRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentRow.jurisdiction_code == code)
    )
    return [
        {
            "date": _day(version.version_date),
            "date_precision": "day",
            "type": "law-version",
            "document_id": document.id,
            "summary": f"{document.title} (version of {version.version_date.isoformat()})",
            "language": version.language,
            "recorded": _day(version.created_at),
            "id": version.id,
        }
        for version, document in rows
    ]


def _finding_items(session: Session, code: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(FindingRow, DocumentRow.id)
        .join(DocumentVersionRow, DocumentVersionRow.id == FindingRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentRow.jurisdiction_code == code)
    )
    items: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for finding, document_id in rows:
        ids[str(finding.id)] = document_id
        items.append(
            {
                "date": _day(finding.created_at),
                "date_precision": "day",
                "type": "finding",
                "document_id": document_id,
                "criterion": finding.criterion_id,
                "summary": f"{finding.criterion_id}: {finding.status} ({finding.severity})",
                "review_status": finding.review_status,
                "id": finding.id,
            }
        )
        if finding.reviewed_at is not None:
            items.append(
                {
                    "date": _day(finding.reviewed_at),
                    "date_precision": "day",
                    "type": "finding-review",
                    "document_id": document_id,
                    "criterion": finding.criterion_id,
                    "summary": f"{finding.criterion_id}: review {finding.review_status}",
                    "id": finding.id,
                }
            )
    if ids:
        changes = session.scalars(
            select(AuditLogRow).where(
                AuditLogRow.entity_type.in_(FINDING_ENTITY_TYPES),
                AuditLogRow.entity_id.in_(sorted(ids)),
            )
        ).all()
        items += [
            {
                "date": _day(change.at),
                "date_precision": "day",
                "type": "finding-change",
                "document_id": ids[change.entity_id],
                "summary": f"finding {change.entity_id}: {change.action} by {change.actor}",
                "id": change.id,
            }
            for change in changes
        ]
    return items


def _case_items(session: Session, code: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(CaseRow).where(CaseRow.jurisdiction_code == code)).all()
    items = []
    for row in rows:
        record = case_record(row, role="viewer")
        items.append(
            {
                "date": _day(row.event_date),
                "date_precision": "day" if row.event_date else "unknown",
                "type": "case",
                "document_id": row.document_ref,
                "summary": f"case {record['key']}: {record['title']}",
                "id": row.id,
            }
        )
    return items


def timeline(session: Session, state: str) -> dict[str, Any]:
    """Everything the store knows about one State, oldest first (undated last)."""
    item = resolve(state)
    items = (
        _status_items(session, item.code)
        + _law_items(session, item.code)
        + _finding_items(session, item.code)
        + _case_items(session, item.code)
    )
    items.sort(key=lambda i: (i["date"] is None, i["date"] or "", i["type"], i["id"]))
    counts: dict[str, int] = {}
    for entry in items:
        counts[entry["type"]] = counts.get(entry["type"], 0) + 1
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "counts": counts,
        "items": items,
    }
