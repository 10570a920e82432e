"""Reading the audit log: filters, cursor pages, facets and full exports.

Entries are read newest first by id (ids only grow, so a cursor "before
id N" is stable while new entries arrive: a page never repeats or skips
an entry because someone wrote meanwhile). Filter values are bound
parameters of SQLAlchemy expressions, never SQL text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
EXPORT_COLUMNS = ("id", "at", "actor", "action", "entity_type", "entity_id", "before", "after")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AuditQueryError(TreatywatchError):
    """A filter or cursor of the audit log that cannot be used."""


def _moment(value: str | None, name: str, *, end: bool) -> dt.datetime | None:
    """An ISO date or date-time as UTC; a bare date ``until`` includes that whole day."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            return moment + dt.timedelta(days=1) if end else moment
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise AuditQueryError(
            f"{name} {value!r} is not a date",
            hint="write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless an offset is given)",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; ``action`` ending in ``*`` matches a prefix (``user.*``)."""

    actor: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: str | None = None
    until: str | None = None

    def params(self) -> dict[str, str]:
        """The filter as query parameters (for next-page and export links)."""
        return {k: v for k, v in asdict(self).items() if v}

    def select(self) -> Select[AuditLogRow]:
        query = select(AuditLogRow)
        if self.actor:
            query = query.where(AuditLogRow.actor == self.actor.strip())
        if self.action:
            action = self.action.strip()
            if action.endswith("*"):
                query = query.where(AuditLogRow.action.startswith(action[:-1], autoescape=True))
            else:
                query = query.where(AuditLogRow.action == action)
        if self.entity_type:
            query = query.where(AuditLogRow.entity_type == self.entity_type.strip())
        if self.entity_id:
            query = query.where(AuditLogRow.entity_id == self.entity_id.strip())
        since = _moment(self.since, "since", end=False)
        until = _moment(self.until, "until", end=True)
        if since and until and since >= until:
            raise AuditQueryError(
                f"since ({self.since}) is not before until ({self.until})",
                hint="swap the dates or widen the range",
            )
        if since:
            query = query.where(AuditLogRow.at >= since)
        if until:
            query = query.where(AuditLogRow.at < until)
        return query


def utc_iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with its offset: SQLite hands back stored UTC times without one."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def entry_record(row: AuditLogRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": utc_iso(row.at),
        "actor": row.actor,
        "action": row.action,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 18:
        raise AuditQueryError(
            f"cursor {value!r} is not one this page gave out",
            hint="follow the 'next' link, or drop the cursor to start from the newest entry",
        )
    return int(value)


def audit_page(
    session: Session, audit_filter: AuditFilter, *, cursor: str | None, limit: int
) -> dict[str, Any]:
    """One page of entries, newest first, and the cursor of the next page (or None)."""
    limit = max(1, min(limit, MAX_LIMIT))
    query = audit_filter.select()
    before = _cursor(cursor)
    if before is not None:
        query = query.where(AuditLogRow.id < before)
    rows = session.scalars(query.order_by(AuditLogRow.id.desc()).limit(limit + 1)).all()
    items = [entry_record(row) for row in rows[:limit]]
    more = len(rows) > limit
    return {
        "items": items,
        "count": len(items),
        "next": str(items[-1]["id"]) if more and items else None,
        "filters": audit_filter.params(),
    }


def audit_facets(session: Session) -> dict[str, list[str]]:
    """Values to offer in the filter form, taken from the log itself."""

    def values(column: Any) -> list[str]:
        found: list[str | None] = list(session.scalars(select(column).distinct().order_by(column)))
        return [v for v in found if v]

    return {
        "actors": values(AuditLogRow.actor),
        "actions": values(AuditLogRow.action),
        "entity_types": values(AuditLogRow.entity_type),
    }


def _entries(url: str, audit_filter: AuditFilter) -> Iterator[dict[str, Any]]:
    """All matching entries oldest first, read in batches from a session of its own:
    an export streams after the request's own transaction has ended."""
    with session_scope(url) as session:
        query = audit_filter.select().order_by(AuditLogRow.id).execution_options(yield_per=500)
        for row in session.scalars(query):
            yield entry_record(row)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # a spreadsheet must not run an entry as a formula
    return value


def export_csv(url: str, audit_filter: AuditFilter) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for entry in _entries(url, audit_filter):
        writer.writerow([_csv_cell(entry[c]) for c in EXPORT_COLUMNS])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_json(url: str, audit_filter: AuditFilter) -> Iterator[str]:
    yield "["
    for index, entry in enumerate(_entries(url, audit_filter)):
        yield ("," if index else "") + "\n" + json.dumps(entry, ensure_ascii=False, default=str)
    yield "\n]\n"
