"""Migrations, initialisation and idempotence on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from treatywatch.store import engine_for, init_store, session_scope
from treatywatch.store.db import StoreError
from treatywatch.store.migrate import current_revision, ensure_current, head_revision
from treatywatch.store.models import ArticleRow, Base, CriterionRow, CrosswalkLinkRow, MetaRow


def test_migrations_create_every_model_table(store_url: str) -> None:
    assert current_revision(store_url) is None
    init_store(store_url)
    assert current_revision(store_url) == head_revision()
    tables = set(inspect(engine_for(store_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "search_index" in tables


def test_init_is_idempotent(store_url: str) -> None:
    first = init_store(store_url)
    second = init_store(store_url)
    assert first.catalogue.changed and not second.catalogue.changed
    assert second.revision_before == second.revision_after
    with session_scope(store_url) as s:
        assert s.scalar(select(func.count()).select_from(ArticleRow)) == 68 + 48
        assert s.scalar(select(func.count()).select_from(CriterionRow)) == 13
        links = s.scalar(select(func.count()).select_from(CrosswalkLinkRow))
        assert links == first.catalogue.crosswalk_links
        assert s.scalar(text("SELECT count(*) FROM search_index")) == 116
    forced = init_store(store_url, force_catalogue=True)
    assert forced.catalogue.changed
    with session_scope(store_url) as s:
        assert s.scalar(select(func.count()).select_from(CrosswalkLinkRow)) == links
        assert s.scalar(text("SELECT count(*) FROM search_index")) == 116


def test_catalogue_rows_carry_the_data(initialised: str) -> None:
    with session_scope(initialised) as s:
        row = s.get(ArticleRow, "uncc/art-28")
        assert row is not None
        assert row.chapter == "IV" and row.category == "procedural"
        assert "uncc/art-24" in row.safeguards
        assert s.get(MetaRow, "catalogue_fingerprint") is not None


def test_failed_sync_leaves_store_unchanged(initialised: str) -> None:
    with pytest.raises(RuntimeError), session_scope(initialised) as s:
        s.execute(text("DELETE FROM search_index"))
        raise RuntimeError("boom half-way")
    with session_scope(initialised) as s:
        assert s.scalar(text("SELECT count(*) FROM search_index")) == 116


def test_uninitialised_store_gives_clear_error(store_url: str) -> None:
    with pytest.raises(StoreError) as err:
        ensure_current(store_url)
    assert "treatywatch init" in (err.value.hint or "")


def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    init_store(sqlite_url)
    with engine_for(sqlite_url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as err:
        engine_for("not a url")
    assert "TREATYWATCH_DATABASE_URL" in (err.value.hint or "")


def test_migrations_match_the_models(store_url: str) -> None:
    """A model change without a migration fails here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    init_store(store_url)
    with engine_for(store_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # The search index is created by hand (FTS5 / plain table) and is not a model.
    diff = [d for d in diff if "search_index" not in str(d)]
    assert diff == []
