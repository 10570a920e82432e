"""store changes: a trigger-written log of writes, so web pages can be cached safely

Revision ID: 0005_store_changes
Revises: 0004_alignment
Create Date: 2026-11-23

Every insert, update or delete on the tables that pages show adds one row
per *scope* it touches (``version:12``, ``country:KEN``, ``article:uncc/
art-7``, ``laws``, ``ledger``, ``catalogue``) to ``store_changes``. The
rows are written by triggers, so writes from any program are seen, not
only those that go through treatywatch's own code. See
``treatywatch.store.changes`` for how they are read.

Provision *inserts* are not tracked: provisions are only ever inserted
together with the version that holds them, whose insert is tracked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_store_changes"
down_revision: str | None = "0004_alignment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW = "{row}"
SCOPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # table: (operations, SELECTs that produce the scopes one row touches)
    "alignments": (
        ("INSERT", "UPDATE", "DELETE"),
        (
            f"SELECT 'version:' || version_id FROM provisions WHERE id = {ROW}.provision_id",
            f"SELECT 'article:' || {ROW}.article_id",
        ),
    ),
    "findings": (("INSERT", "UPDATE", "DELETE"), (f"SELECT 'version:' || {ROW}.version_id",)),
    "alignment_runs": (
        ("INSERT", "UPDATE", "DELETE"),
        (f"SELECT 'version:' || {ROW}.version_id",),
    ),
    "provisions": (
        ("UPDATE", "DELETE"),
        (f"SELECT 'version:' || {ROW}.version_id", "SELECT 'laws'"),
    ),
    "document_versions": (
        ("INSERT", "UPDATE", "DELETE"),
        (
            f"SELECT 'version:' || {ROW}.id",
            f"SELECT 'country:' || jurisdiction_code FROM documents WHERE id = {ROW}.document_id",
            "SELECT 'laws'",
        ),
    ),
    "documents": (
        ("INSERT", "UPDATE", "DELETE"),
        (f"SELECT 'country:' || {ROW}.jurisdiction_code", "SELECT 'laws'"),
    ),
    "status_events": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'ledger'",)),
    "instrument_events": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'ledger'",)),
    "jurisdictions": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'ledger'",)),
    "instruments": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'catalogue'",)),
    "articles": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'catalogue'",)),
    "crosswalk_links": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'catalogue'",)),
    "criteria": (("INSERT", "UPDATE", "DELETE"), ("SELECT 'catalogue'",)),
}


def _inserts(selects: tuple[str, ...], row: str) -> str:
    return "".join(
        f"INSERT INTO store_changes (scope) {select.replace(ROW, row)};\n" for select in selects
    )


def _sqlite_triggers() -> list[str]:
    out = []
    for table, (operations, selects) in SCOPES.items():
        for operation in operations:
            rows = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[operation]
            body = "".join(_inserts(selects, row) for row in rows)
            out.append(
                f"CREATE TRIGGER tw_changes_{table}_{operation.lower()} "
                f"AFTER {operation} ON {table} FOR EACH ROW BEGIN\n{body}END"
            )
    return out


def _postgres_triggers() -> list[str]:
    out = []
    for table, (operations, selects) in SCOPES.items():
        old = _inserts(selects, "OLD") if {"UPDATE", "DELETE"} & set(operations) else ""
        new = _inserts(selects, "NEW") if {"INSERT", "UPDATE"} & set(operations) else ""
        out.append(
            f"CREATE FUNCTION tw_changes_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"IF TG_OP <> 'INSERT' THEN\n{old or 'NULL;'}\nEND IF;\n"
            f"IF TG_OP <> 'DELETE' THEN\n{new or 'NULL;'}\nEND IF;\n"
            "RETURN NULL;\nEND $$"
        )
        out.append(
            f"CREATE TRIGGER tw_changes_{table} AFTER {' OR '.join(operations)} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tw_changes_{table}()"
        )
    return out


def upgrade() -> None:
    op.create_table(
        "store_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_changes")),
    )
    op.create_index("ix_store_changes_scope", "store_changes", ["scope"], unique=False)
    # Which store this is: a cache must not take a restored backup, or another
    # store at the same address, for the one it read before.
    op.execute(
        sa.text("INSERT INTO store_meta (key, value) VALUES ('store_epoch', :epoch)").bindparams(
            epoch=uuid.uuid4().hex
        )
    )
    op.execute("INSERT INTO store_meta (key, value) VALUES ('changes_generation', '0')")
    dialect = op.get_bind().dialect.name
    statements = _postgres_triggers() if dialect == "postgresql" else _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in SCOPES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS tw_changes_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS tw_changes_{table}()")
        else:
            for operation in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tw_changes_{table}_{operation}")
    op.execute("DELETE FROM store_meta WHERE key IN ('store_epoch', 'changes_generation')")
    op.drop_index("ix_store_changes_scope", table_name="store_changes")
    op.drop_table("store_changes")
