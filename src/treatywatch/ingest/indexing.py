"""Provisions in the full-text search index, one law at a time.

``store.search_index.replace_entries`` rebuilds every row of a type, which
suits the catalogue (loaded whole) but not laws, which arrive one by one.
Here a law's rows are replaced on their own: entity type ``provision``,
scope = the document id, entity id = ``DOC@DATE#PATH``. Only the latest
version of each law is indexed, so a search finds the law in force rather
than every historical text of it; older versions stay reachable through
``treatywatch documents`` and ``diff``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from treatywatch.store.models import DocumentRow, DocumentVersionRow, ProvisionRow

ENTITY_TYPE = "provision"
MAX_ENTITY_ID = 300  # the PostgreSQL column width
MAX_BODY_CHARS = 20_000
_COLUMNS = ("entity_type", "entity_id", "scope", "title", "keywords", "body")


def delete_document_entries(session: Session, document_id: str) -> None:
    session.execute(
        text("DELETE FROM search_index WHERE entity_type = :t AND scope = :scope"),
        {"t": ENTITY_TYPE, "scope": document_id},
    )


def index_document(session: Session, document_id: str) -> int:
    """Replace the law's index rows with its latest version's top-level provisions."""
    delete_document_entries(session, document_id)
    document = session.get(DocumentRow, document_id)
    if document is None:
        return 0
    latest = session.scalar(
        select(DocumentVersionRow)
        .where(DocumentVersionRow.document_id == document_id)
        .order_by(DocumentVersionRow.version_date.desc())
        .limit(1)
    )
    if latest is None:
        return 0
    rows = session.execute(
        select(
            ProvisionRow.id,
            ProvisionRow.parent_id,
            ProvisionRow.depth,
            ProvisionRow.path,
            ProvisionRow.unit,
            ProvisionRow.label,
            ProvisionRow.heading,
            ProvisionRow.kind,
            ProvisionRow.text,
        )
        .where(ProvisionRow.version_id == latest.id, ProvisionRow.depth >= 1)
        .order_by(ProvisionRow.ordinal)
    ).all()
    return _insert_entries(session, document_id, document.title, latest.version_date, rows)


def index_stored_rows(
    session: Session,
    document_id: str,
    title: str,
    version_date: dt.date,
    rows: list[dict[str, Any]],
) -> int:
    """``index_document`` for a version just written and known to be the latest,
    from its rows as inserted (``persist.insert_provisions``), not read back."""
    delete_document_entries(session, document_id)
    records = [SimpleNamespace(**row) for row in rows if row["depth"] >= 1]
    return _insert_entries(session, document_id, title, version_date, records)


def _insert_entries(
    session: Session, document_id: str, title: str, version_date: dt.date, rows: Sequence[Any]
) -> int:
    bodies: dict[int, list[str]] = {}
    top_of: dict[int, int] = {}
    tops: list[Any] = []
    for row in rows:
        if row.depth == 1:
            tops.append(row)
            top_of[row.id] = row.id
            bodies[row.id] = [row.text] if row.text else []
        elif row.parent_id in top_of:
            top_of[row.id] = top_of[row.parent_id]
            if row.text:
                bodies[top_of[row.id]].append(row.text)
    version = f"{document_id}@{version_date.isoformat()}"
    entries = []
    for row in tops:
        entity_id = f"{version}#{row.path}"
        if len(entity_id) > MAX_ENTITY_ID:
            continue
        unit = row.unit.capitalize()
        entry_title = row.heading or f"{unit} {row.label or ''}".strip()
        entries.append(
            {
                "entity_type": ENTITY_TYPE,
                "entity_id": entity_id,
                "scope": document_id,
                "title": entry_title,
                "keywords": f"{unit} {row.label or ''} {row.kind} {title}",
                "body": "\n".join(bodies[row.id])[:MAX_BODY_CHARS],
            }
        )
    if not entries:
        return 0
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # plain text columns: the driver takes the tuples as they are, without
        # SQLAlchemy's per-row parameter handling (a big law has hundreds of entries)
        connection.exec_driver_sql(
            f"INSERT INTO search_index ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
            [tuple(entry[column] for column in _COLUMNS) for entry in entries],
        )
    else:
        session.execute(
            text(
                f"INSERT INTO search_index ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join(':' + column for column in _COLUMNS)})"
            ),
            entries,
        )
    return len(entries)
