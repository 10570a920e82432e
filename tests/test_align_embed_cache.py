"""The embedding cache: memory memo, the store's embedding_cache table, fallbacks."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from treatywatch.align.embed import EmbeddingCache, MiniLMEncoder, cache_key, encode_cached
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, EmbeddingCacheRow

TEXTS = [
    "Fictional section 1: unauthorised access to an imaginary computer system.",
    "Fictional section 2: the Republic of Imaginaria may extradite fictional fugitives.",
]


@pytest.fixture(scope="module")
def minilm() -> MiniLMEncoder:
    return MiniLMEncoder()


def test_memory_cache_encodes_each_text_once(minilm: MiniLMEncoder) -> None:
    cache = EmbeddingCache()
    first = cache.encode(minilm, [*TEXTS, TEXTS[0]], "passage")
    assert cache.computed == 2  # the duplicate was encoded once
    again = cache.encode(minilm, list(reversed(TEXTS)), "passage")
    assert cache.computed == 2
    assert np.array_equal(again[0], first[1]) and np.array_equal(first[0], first[2])
    assert np.allclose(first, minilm.encode([*TEXTS, TEXTS[0]], role="passage"), atol=1e-6)


def test_roles_are_cached_separately(minilm: MiniLMEncoder) -> None:
    cache = EmbeddingCache()
    cache.encode(minilm, TEXTS, "passage")
    cache.encode(minilm, TEXTS, "query")
    assert cache.computed == 4
    assert cache_key(minilm.name, "query", TEXTS[0]) != cache_key(minilm.name, "passage", TEXTS[0])


def test_store_cache_survives_the_process_cache(initialised: str, minilm: MiniLMEncoder) -> None:
    writer = EmbeddingCache(url=initialised)
    written = writer.encode(minilm, TEXTS, "passage")
    assert writer.computed == 2 and writer.warnings == []
    reader = EmbeddingCache(url=initialised)  # a fresh process would start like this
    read = reader.encode(minilm, TEXTS, "passage")
    assert reader.computed == 0
    assert np.array_equal(read, written)
    with session_scope(initialised) as session:
        row = session.get(EmbeddingCacheRow, cache_key(minilm.name, "passage", TEXTS[0]))
        assert row is not None and row.model == minilm.name and row.dim == 384
        audits = session.scalars(
            select(AuditLogRow).where(AuditLogRow.action == "embedding_cache.fill")
        ).all()
        assert len(audits) == 1 and audits[0].after == {"vectors": 2, "dim": 384}


def test_a_row_of_the_wrong_size_is_recomputed(initialised: str, minilm: MiniLMEncoder) -> None:
    key = cache_key(minilm.name, "passage", TEXTS[0])
    with session_scope(initialised) as session:
        session.add(EmbeddingCacheRow(key=key, model=minilm.name, dim=384, vector=b"\0" * 12))
    cache = EmbeddingCache(url=initialised)
    vector = cache.encode(minilm, TEXTS[:1], "passage")
    assert cache.computed == 1
    assert abs(float(np.linalg.norm(vector[0])) - 1.0) < 1e-5
    with session_scope(initialised) as session:
        row = session.get(EmbeddingCacheRow, key)
        assert row is not None and len(row.vector) == 384 * 4


def test_an_uninitialised_store_degrades_to_memory_with_a_warning(
    sqlite_url: str, minilm: MiniLMEncoder
) -> None:
    cache = EmbeddingCache(url=sqlite_url)  # no `treatywatch init`: no tables
    vectors = cache.encode(minilm, TEXTS, "passage")
    assert vectors.shape == (2, 384)
    assert len(cache.warnings) == 1 and "embedding cache" in cache.warnings[0]
    assert not cache.persistent
    cache.encode(minilm, TEXTS, "passage")
    assert cache.computed == 2 and len(cache.warnings) == 1


def test_encode_cached_writes_through_a_callers_session(
    initialised: str, minilm: MiniLMEncoder
) -> None:
    texts = ["Fictional section 9: a made-up duty to keep imaginary traffic data."]
    with session_scope(initialised) as session:
        vectors = encode_cached(minilm, texts, "passage", session)
    with session_scope(initialised) as session:
        row = session.get(EmbeddingCacheRow, cache_key(minilm.name, "passage", texts[0]))
        assert row is not None
        assert np.array_equal(np.frombuffer(row.vector, dtype="<f4"), vectors[0])


def test_vectors_memoised_before_a_store_was_named_are_still_written(
    initialised: str, minilm: MiniLMEncoder
) -> None:
    cache = EmbeddingCache()
    cache.encode(minilm, TEXTS, "query")
    stored = EmbeddingCache(url=initialised)
    stored.memory = cache.memory
    stored.encode(minilm, TEXTS, "query")
    assert stored.computed == 0
    with session_scope(initialised) as session:
        for text in TEXTS:
            assert session.get(EmbeddingCacheRow, cache_key(minilm.name, "query", text))
