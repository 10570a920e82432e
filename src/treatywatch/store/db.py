"""Engines and sessions for SQLite and PostgreSQL.

SQLite is tuned for a single-writer, many-reader desktop store: WAL so
readers never block the writer, a busy timeout so concurrent CLI runs wait
instead of failing, and foreign keys switched on (SQLite leaves them off).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from treatywatch.config import settings
from treatywatch.errors import TreatywatchError

SQLITE_BUSY_TIMEOUT_MS = 10_000
_engines: dict[str, Engine] = {}


class StoreError(TreatywatchError):
    """The store cannot be opened or is not initialised."""


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_for(url: str | None = None) -> Engine:
    """A cached engine for ``url`` (default: the configured store)."""
    url = url or settings().database_url
    if url in _engines:
        return _engines[url]
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"cannot read database URL {url!r}: {exc}",
            hint="set TREATYWATCH_DATABASE_URL to e.g. sqlite:///path/to.db "
            "or postgresql+psycopg://user@host/dbname",
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ModuleNotFoundError, ImportError) as exc:
        raise StoreError(
            f"no database driver for {parsed.get_backend_name()}: {exc}",
            hint="for PostgreSQL install the extra: pip install 'treatywatch[postgres]'",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    _engines[url] = engine
    return engine


def dispose_engines() -> None:
    """Close pooled connections (tests, and before deleting a store file)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error.

    Every write path uses this, so a failure half-way through an import
    leaves the store exactly as it was.
    """
    factory = sessionmaker(bind=engine_for(url), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
