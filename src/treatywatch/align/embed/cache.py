"""Embedding cache: compute a sentence vector once per model and text.

Encoding is the slowest step of alignment, yet most of what gets encoded
repeats: catalogue articles never change between runs, an unchanged law
re-aligned after a rules update has the same provisions, and the
evaluation harness runs the engine several times over one corpus. Vectors
are therefore kept twice:

- in process, in a dict (re-encoding the same texts costs a dict lookup);
- optionally in the store's ``embedding_cache`` table, so a later process
  (or another machine sharing the PostgreSQL store) reuses them.

The key is ``sha256(model name + "\\0" + role + "\\0" + text)``. The model
name carries the package version and token cap, so a new model version or
setting can never be served stale vectors. Rows are derived data — deleting
the table only costs time — and each batch of new rows is written in one
transaction with one audit entry naming the model and count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from treatywatch.align.embed.encoder import Encoder, Role, Vectors

STORE_CHUNK = 500
"""Keys per ``IN (...)`` query: well under every backend's parameter limit."""
ACTOR = "treatywatch align (embedding cache)"


def cache_key(model: str, role: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{role}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by (model, role, text): memory always, the store when ``url`` is given.

    A store that cannot be read or written (not initialised, unreachable)
    turns persistence off for this cache with a message in ``warnings``;
    alignment still runs, only slower next time.
    """

    def __init__(self, url: str | None = None, *, session: Session | None = None) -> None:
        self.url = url
        self.session = session
        self.persistent = url is not None or session is not None
        self.memory: dict[str, Vectors] = {}
        self.persisted: set[str] = set()  # keys known to be in the store
        self.warnings: list[str] = []
        self.computed = 0  # texts actually encoded by this cache (for tests and benchmarks)

    def encode(self, encoder: Encoder, texts: list[str], role: Role) -> Vectors:
        """``(len(texts), dim)`` unit vectors; only unseen texts reach the encoder.

        With a store, a vector already in memory but not yet known to be in
        the store (computed before the store was named) is written without
        being recomputed; keys known to be stored are never queried again.
        """
        keys = [cache_key(encoder.name, role, t) for t in texts]
        wanted = dict(zip(keys, texts, strict=True))
        if self.persistent:
            unknown = [k for k in wanted if k not in self.persisted]
            if unknown:
                found = self._load(unknown, encoder.dim)
                self.memory.update(found)
                self.persisted.update(found)
        missing = {k: t for k, t in wanted.items() if k not in self.memory}
        if missing:
            fresh = encoder.encode(list(missing.values()), role=role)
            self.computed += len(missing)
            self.memory.update(zip(missing, fresh, strict=True))
        if self.persistent:
            unsaved = {k: self.memory[k] for k in wanted if k not in self.persisted}
            if unsaved:
                self._save(encoder, unsaved)
                if self.persistent:
                    self.persisted.update(unsaved)
        out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = self.memory[key]
        return out

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if self.session is not None:
            yield self.session  # the caller's transaction: no commit here
            return
        from treatywatch.store import session_scope

        with session_scope(self.url) as session:
            yield session

    def _load(self, keys: list[str], dim: int) -> dict[str, Vectors]:
        from treatywatch.store.models import EmbeddingCacheRow

        found: dict[str, Vectors] = {}
        try:
            with self._session() as session:
                for start in range(0, len(keys), STORE_CHUNK):
                    chunk = keys[start : start + STORE_CHUNK]
                    rows = session.execute(
                        select(
                            EmbeddingCacheRow.key, EmbeddingCacheRow.dim, EmbeddingCacheRow.vector
                        ).where(EmbeddingCacheRow.key.in_(chunk))
                    )
                    for key, row_dim, blob in rows:
                        # a row of the wrong size is treated as absent and recomputed
                        if row_dim == dim and len(blob) == dim * 4:
                            found[key] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        except SQLAlchemyError as exc:
            self._give_up(exc)
        return found

    def _save(self, encoder: Encoder, new: dict[str, Vectors]) -> None:
        from treatywatch import audit
        from treatywatch.store.models import EmbeddingCacheRow

        try:
            with self._session() as session:
                stale: set[str] = set()
                keys = list(new)
                for start in range(0, len(keys), STORE_CHUNK):
                    chunk = keys[start : start + STORE_CHUNK]
                    stale.update(
                        session.scalars(
                            select(EmbeddingCacheRow.key).where(EmbeddingCacheRow.key.in_(chunk))
                        )
                    )
                for key, vector in new.items():
                    row = EmbeddingCacheRow(
                        key=key,
                        model=encoder.name[:100],
                        dim=encoder.dim,
                        vector=np.asarray(vector, dtype="<f4").tobytes(),
                    )
                    if key in stale:
                        session.merge(row)
                    else:
                        session.add(row)
                audit.record(
                    session,
                    actor=ACTOR,
                    action="embedding_cache.fill",
                    entity_type="embedding_cache",
                    entity_id=encoder.name[:100],
                    after={"vectors": len(new), "dim": encoder.dim},
                )
                session.flush()
        except SQLAlchemyError as exc:
            self._give_up(exc)

    def _give_up(self, exc: SQLAlchemyError) -> None:
        if self.session is not None:
            raise exc  # the caller owns that transaction and must see it fail
        self.persistent = False
        where = self.url or "the caller's session"
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.warnings.append(
            f"embedding cache in the store ({where}) is unavailable: {first_line}; vectors are "
            "kept in memory only (run `treatywatch init` to create the store)"
        )


_process_cache = EmbeddingCache()
_store_caches: dict[str, EmbeddingCache] = {}


def encode_cached(
    encoder: Encoder,
    texts: list[str],
    role: Role,
    session_or_url: Session | str | None = None,
) -> Vectors:
    """Encode through the process-wide memory cache, and the store if one is named.

    All callers share one in-memory dict, so a text is encoded at most once
    per process; a named store additionally receives every vector it does
    not hold yet, and a store URL's cache remembers which keys it holds, so
    repeated calls do not query it again.
    """
    if session_or_url is None:
        return _process_cache.encode(encoder, texts, role)
    if isinstance(session_or_url, str):
        store = _store_caches.get(session_or_url)
        if store is None:
            store = _store_caches[session_or_url] = EmbeddingCache(url=session_or_url)
    else:
        store = EmbeddingCache(session=session_or_url)
    store.memory = _process_cache.memory
    return store.encode(encoder, texts, role)
