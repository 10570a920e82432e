"""Which parts of the store changed: the stamps that keep cached pages honest.

Database triggers (migration 0005) add one ``store_changes`` row for every
scope a write touches — ``version:12`` when a link of that law version is
reviewed, ``article:uncc/art-7`` for the article it points to,
``country:KEN``, ``laws``, ``ledger``, ``catalogue``. A reader takes a
:class:`Stamp` of the scopes a page depends on *before* reading the page's
data; while the stamp stays equal, the page would come out the same.

Why the stamp counts rows instead of taking the newest id: on PostgreSQL
ids come from a sequence when a row is inserted, not when its transaction
commits, so a slow writer can commit a *smaller* id after a reader saw a
larger one; the newest id would not move and a stale page would be served.
Rows are only ever added between compactions, so a scope's count grows
with every commit that touches it, whatever the order. Compaction empties
the log and bumps ``changes_generation`` in the same transaction; the
generation is part of every stamp, so counts from before and after never
meet. On SQLite writers are serial, and the same reasoning holds trivially.

The store's ``store_epoch`` (a random token written when the log was
created) is part of the stamp too, so a cache cannot mistake a restored
backup, or another store at the same address, for the store it read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, cast, delete, func, select, update
from sqlalchemy.orm import Session

from treatywatch.store.models import MetaRow, StoreChangeRow

EPOCH_KEY = "store_epoch"
GENERATION_KEY = "changes_generation"
COMPACT_AT = 50_000
"""Log size above which :func:`compact_if_large` empties it."""


@dataclass(frozen=True)
class Stamp:
    """The state of some scopes: equal stamps, equal data behind them."""

    epoch: str
    generation: str
    counts: tuple[tuple[str, int], ...]

    def token(self) -> str:
        """A compact string form, for ETags and cache keys."""
        counts = ",".join(f"{scope}={n}" for scope, n in self.counts)
        return f"{self.epoch}/{self.generation}/{counts}"


def version_scope(version_id: int) -> str:
    return f"version:{version_id}"


def country_scope(code: str) -> str:
    return f"country:{code}"


def article_scope(article_id: str) -> str:
    return f"article:{article_id}"


LAWS = "laws"
LEDGER = "ledger"
CATALOGUE = "catalogue"


def read_meta(session: Session) -> tuple[str, str]:
    """The store's (epoch, generation): the part of every stamp scopes share."""
    meta = dict(
        session.execute(
            select(MetaRow.key, MetaRow.value).where(MetaRow.key.in_((EPOCH_KEY, GENERATION_KEY)))
        ).all()
    )
    return meta.get(EPOCH_KEY, ""), meta.get(GENERATION_KEY, "")


def read_counts(session: Session, scopes: Iterable[str]) -> dict[str, int]:
    """Rows per scope (index seeks, one query for any number of scopes)."""
    wanted = sorted(set(scopes))
    if not wanted:
        return {}
    found = dict(
        session.execute(
            select(StoreChangeRow.scope, func.count())
            .where(StoreChangeRow.scope.in_(wanted))
            .group_by(StoreChangeRow.scope)
        ).all()
    )
    return {scope: int(found.get(scope, 0)) for scope in wanted}


def make_stamp(meta: tuple[str, str], counts: dict[str, int], scopes: Iterable[str]) -> Stamp:
    """The stamp of ``scopes`` from already-read meta and counts (missing scope: 0)."""
    wanted = sorted(set(scopes))
    return Stamp(meta[0], meta[1], tuple((scope, counts.get(scope, 0)) for scope in wanted))


def stamp(session: Session, scopes: Iterable[str]) -> Stamp:
    """The current stamp of ``scopes`` as this session's transaction sees them.

    One round trip (every page request makes it, hits included): the store's
    epoch and generation and each scope's count as scalar subqueries.
    """
    wanted = sorted(set(scopes))

    def meta(key: str) -> Any:
        return select(MetaRow.value).where(MetaRow.key == key).scalar_subquery()

    def count(scope: str) -> Any:
        return (
            select(func.count())
            .select_from(StoreChangeRow)
            .where(StoreChangeRow.scope == scope)
            .scalar_subquery()
        )

    row: tuple[Any, ...] = tuple(
        session.execute(
            select(meta(EPOCH_KEY), meta(GENERATION_KEY), *(count(scope) for scope in wanted))
        ).one()
    )
    epoch, generation, *counts = row
    return Stamp(
        str(epoch or ""),
        str(generation or ""),
        tuple(zip(wanted, (int(n) for n in counts), strict=True)),
    )


def compact(session: Session) -> int:
    """Empty the log and start a new generation; returns the rows removed.

    The generation is bumped first, so two compactions running at once on
    PostgreSQL queue on that one row instead of on each other's log rows.
    """
    session.execute(
        update(MetaRow)
        .where(MetaRow.key == GENERATION_KEY)
        .values(value=cast(cast(MetaRow.value, Integer) + 1, String))
    )
    removed = session.scalar(select(func.count()).select_from(StoreChangeRow)) or 0
    session.execute(delete(StoreChangeRow))
    return int(removed)


def compact_if_large(session: Session, limit: int | None = None) -> int:
    """Compact when the log holds more than ``limit`` (default :data:`COMPACT_AT`) rows.

    Called at the end of bulk jobs (init, alignment and assessment runs): they
    write most of the log, and compaction invalidates every kept page once,
    which is cheap next to the job itself.
    """
    bound = COMPACT_AT if limit is None else limit
    size = session.scalar(select(func.count()).select_from(StoreChangeRow)) or 0
    return compact(session) if size > bound else 0
