"""Create or upgrade a store to the newest schema with Alembic.

The same migration scripts run on SQLite and PostgreSQL; the few
dialect-specific objects (SQLite FTS5 tables) are created inside the
migrations behind a dialect check.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from treatywatch.store.db import StoreError, engine_for

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def head_revision() -> str:
    """The newest migration (read once: Alembic compiles every script to find it, which
    cost more than the rest of a review request together)."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(url: str | None = None) -> str | None:
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the store at {engine.url!r}: {exc.orig}",
            hint="check TREATYWATCH_DATABASE_URL / TREATYWATCH_DATA_DIR and permissions",
        ) from None


def upgrade(url: str | None = None) -> tuple[str | None, str]:
    """Upgrade to head; returns (revision before, revision after)."""
    engine = engine_for(url)
    before = current_revision(url)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return before, head_revision()


def ensure_current(url: str | None = None) -> None:
    """Refuse to work on a store that is missing or behind the code."""
    current = current_revision(url)
    if current != head_revision():
        state = "not initialised" if current is None else f"at schema {current}"
        raise StoreError(
            f"the store is {state} (this version needs {head_revision()})",
            hint="run `treatywatch init` to create or upgrade it",
        )
