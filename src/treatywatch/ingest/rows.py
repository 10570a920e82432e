"""The single-row reads and writes of an ingest, as SQL text.

A command-line ingest builds a new engine, and SQLAlchemy compiles each
statement once per engine: about a millisecond for an ORM look-up and a few
tenths for each INSERT a flush emits, more than the database takes to run
them. SQL text is sent as written. The values still go through their
columns' types (dates, JSON), so the rows are the ones the ORM would write.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.orm import Session

VERSION_WITH_HASH = text(
    "SELECT id FROM document_versions WHERE document_id = :document AND sha256 = :sha256"
)
VERSION_IN_COUNTRY_WITH_HASH = text(
    "SELECT v.id FROM document_versions v JOIN documents d ON d.id = v.document_id "
    "WHERE d.jurisdiction_code = :country AND v.sha256 = :sha256 ORDER BY v.id"
)
DOCUMENT_EXISTS = text("SELECT 1 FROM documents WHERE id = :document")
JURISDICTION_EXISTS = text("SELECT 1 FROM jurisdictions WHERE code = :code")


def now() -> dt.datetime:
    """``created_at`` as the models' default gives it."""
    return dt.datetime.now(dt.UTC)


def insert_row(session: Session, table: Table, values: dict[str, Any]) -> Any:
    """Insert one row of ``table`` and return its ``id``."""
    statement = _insert(table, tuple(values))
    return session.execute(statement, values).scalar_one()


@cache
def _insert(table: Table, columns: tuple[str, ...]) -> TextClause:
    names = ", ".join(columns)
    binds = ", ".join(f":{column}" for column in columns)
    statement = text(f"INSERT INTO {table.name} ({names}) VALUES ({binds}) RETURNING id")
    return statement.bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))
