"""provision search: a GIN index for full-text search on PostgreSQL

Revision ID: 0003_ingest
Revises: 0002_ledger
Create Date: 2026-11-23

Ingested laws put one search-index row per top-level provision, thousands
per store instead of the catalogue's hundred, so ranking can no longer
compute every row's tsvector per query. The index is on exactly the
weighted expression ``store.search_index`` queries, which lets PostgreSQL
use it. SQLite's FTS5 table is its own index: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_ingest"
down_revision: str | None = "0002_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VECTOR = (
    "setweight(to_tsvector('simple', title), 'A') || "
    "setweight(to_tsvector('simple', keywords), 'B') || "
    "setweight(to_tsvector('simple', body), 'C')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_search_index_fts ON search_index USING GIN (({VECTOR}))")
    op.execute("CREATE INDEX ix_search_index_type_scope ON search_index (entity_type, scope)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_index_type_scope")
    op.execute("DROP INDEX IF EXISTS ix_search_index_fts")
