"""alignment: engine runs and the embedding cache

Revision ID: 0004_alignment
Revises: 0003_ingest
Create Date: 2026-11-23

The alignment engine records each run (engine version, methods used,
fallback warnings) and caches sentence vectors by model and text hash so
re-aligning an unchanged law costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_alignment"
down_revision: str | None = "0003_ingest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "alignment_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("methods", JSON, nullable=False),
        sa.Column("warnings", JSON, nullable=False),
        sa.Column("provision_count", sa.Integer(), nullable=False),
        sa.Column("suggested", sa.Integer(), nullable=False),
        sa.Column("kept_reviewed", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_alignment_runs_version_id_document_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment_runs")),
    )
    op.create_index(
        op.f("ix_alignment_runs_version_id"), "alignment_runs", ["version_id"], unique=False
    )
    op.create_table(
        "embedding_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_embedding_cache")),
    )
    op.create_index(op.f("ix_embedding_cache_model"), "embedding_cache", ["model"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_embedding_cache_model"), table_name="embedding_cache")
    op.drop_table("embedding_cache")
    op.drop_index(op.f("ix_alignment_runs_version_id"), table_name="alignment_runs")
    op.drop_table("alignment_runs")
