"""Catalogue vectors: encoded once per model and catalogue, kept in the user cache."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from treatywatch.align.embed import MiniLMEncoder
from treatywatch.align.embed.catalogue import (
    SUBDIR,
    catalogue_digest,
    catalogue_vectors,
    forget_catalogue_vectors,
)
from treatywatch.align.embed.encoder import Role, Vectors
from treatywatch.align.embed.files import CACHE_DIR_ENV, write_verified

ARTICLES = [
    "Fictional article 1: illegal access to an imaginary computer system of Veloria.",
    "Fictional article 2: extradition between the Duchy of Example and Imaginaria.",
    "Fictional article 3: preservation of stored traffic data by Zanthor providers.",
]


class CountingMiniLM(MiniLMEncoder):
    """The real numpy encoder, counting the texts it is asked to encode."""

    encoded = 0

    def encode(self, texts: list[str], *, role: Role = "passage") -> Vectors:
        type(self).encoded += len(texts)
        return super().encode(texts, role=role)


@pytest.fixture(scope="module")
def encoder() -> CountingMiniLM:
    return CountingMiniLM(max_tokens=32)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    forget_catalogue_vectors()
    yield tmp_path
    forget_catalogue_vectors()


def _encoded(encoder: CountingMiniLM) -> int:
    return type(encoder).encoded


def test_vectors_are_encoded_once_then_read_from_disk(
    encoder: CountingMiniLM, cache_dir: Path
) -> None:
    before = _encoded(encoder)
    first = catalogue_vectors(encoder, ARTICLES, "query")
    assert _encoded(encoder) - before == len(ARTICLES)
    assert np.allclose(first, encoder.encode(ARTICLES, role="query"), atol=1e-6)
    files = sorted((cache_dir / SUBDIR).glob("*.npy"))
    assert [f.name for f in files] == [f"{catalogue_digest(encoder.name, 'query', ARTICLES)}.npy"]

    before = _encoded(encoder)
    assert catalogue_vectors(encoder, ARTICLES, "query") is first  # process memory
    forget_catalogue_vectors()  # a new process: only the file is left
    again = catalogue_vectors(encoder, ARTICLES, "query")
    assert _encoded(encoder) == before
    assert np.array_equal(again, first)
    assert not again.flags.writeable  # shared: nobody may edit it in place


def test_other_texts_or_roles_get_their_own_vectors(
    encoder: CountingMiniLM, cache_dir: Path
) -> None:
    catalogue_vectors(encoder, ARTICLES, "query")
    edited = [*ARTICLES[:2], ARTICLES[2] + " (amended, fictional)"]
    before = _encoded(encoder)
    catalogue_vectors(encoder, edited, "query")
    catalogue_vectors(encoder, ARTICLES, "passage")
    assert _encoded(encoder) - before == 2 * len(ARTICLES)
    assert len(list((cache_dir / SUBDIR).glob("*.npy"))) == 3


def test_a_corrupt_file_is_recomputed_and_rewritten(
    encoder: CountingMiniLM, cache_dir: Path
) -> None:
    good = np.array(catalogue_vectors(encoder, ARTICLES, "query"))
    (path,) = (cache_dir / SUBDIR).glob("*.npy")
    path.write_bytes(path.read_bytes()[:-40])  # truncated: digest no longer matches
    forget_catalogue_vectors()
    before = _encoded(encoder)
    assert np.allclose(catalogue_vectors(encoder, ARTICLES, "query"), good, atol=1e-6)
    assert _encoded(encoder) - before == len(ARTICLES)
    forget_catalogue_vectors()
    before = _encoded(encoder)
    catalogue_vectors(encoder, ARTICLES, "query")
    assert _encoded(encoder) == before  # the rewritten file is intact


def test_wrong_shape_on_disk_is_not_trusted(encoder: CountingMiniLM, cache_dir: Path) -> None:
    """A file whose digest matches but whose shape does not (another model) is recomputed."""
    key = catalogue_digest(encoder.name, "query", ARTICLES)
    buffer = io.BytesIO()
    np.save(buffer, np.ones((len(ARTICLES), 7), dtype=np.float32))
    assert write_verified(cache_dir / SUBDIR / f"{key}.npy", buffer.getvalue())
    vectors = catalogue_vectors(encoder, ARTICLES, "query")
    assert vectors.shape == (len(ARTICLES), encoder.dim)


def test_an_unwritable_cache_only_costs_recomputation(
    encoder: CountingMiniLM, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("fictional")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))
    forget_catalogue_vectors()
    try:
        vectors = catalogue_vectors(encoder, ARTICLES, "query")
    finally:
        forget_catalogue_vectors()
    assert vectors.shape == (len(ARTICLES), encoder.dim)
