"""ledger and cases: instrument events, case keys and cited law references

Revision ID: 0002_ledger
Revises: 0001
Create Date: 2026-11-23

- ``instrument_events``: facts about an instrument as a whole (adoption
  without a vote, a recorded vote's totals, opening for signature), which
  belong to no single State and so cannot live in ``status_events``.
- ``cases.case_key``: a stable, unique key per case so re-importing a case
  file updates records instead of duplicating them.
- ``cases.document_ref``: the law id as the case cites it, kept even before
  that law is ingested (``document_id`` has a foreign key and is filled in
  once the law is in the store).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_ledger"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "instrument_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=40), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=60), nullable=True),
        sa.Column("details", JSON_TYPE, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_key", sa.String(length=300), nullable=False),
        sa.Column("provenance_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year', 'unknown')",
            name=op.f("ck_instrument_events_prec"),
        ),
        sa.ForeignKeyConstraint(
            ["provenance_id"],
            ["provenance.id"],
            name=op.f("fk_instrument_events_provenance_id_provenance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_events")),
        sa.UniqueConstraint(
            "instrument_id",
            "event",
            "event_date",
            "source_key",
            name="uq_instrument_events_fact",
        ),
    )
    with op.batch_alter_table("instrument_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instrument_events_instrument_id"), ["instrument_id"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("document_ref", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_cases_case_key"), ["case_key"])
        batch_op.create_index(batch_op.f("ix_cases_document_ref"), ["document_ref"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_document_ref"))
        batch_op.drop_constraint(batch_op.f("uq_cases_case_key"), type_="unique")
        batch_op.drop_column("document_ref")
        batch_op.drop_column("case_key")

    with op.batch_alter_table("instrument_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_events_instrument_id"))

    op.drop_table("instrument_events")
