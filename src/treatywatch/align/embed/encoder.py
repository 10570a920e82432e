"""What the alignment code needs from a sentence encoder, and how loading fails.

Two very different engines sit behind one small protocol: a numpy BERT
(all-MiniLM-L6-v2, English) and a C engine (multilingual-e5-small,
cross-lingual). Callers only see :class:`Encoder`, so the embedding method,
the cache and the benchmarks do not care which one runs — and a missing or
broken model package surfaces as one :class:`EncoderUnavailableError` whose
message names the package and whose hint says how to repair it.
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from treatywatch.errors import TreatywatchError

Role = Literal["query", "passage"]
"""Asymmetric models (e5) embed a search query and a document differently;
symmetric ones (MiniLM) ignore the role."""

Vectors = npt.NDArray[np.float32]


class Encoder(Protocol):
    """A loaded sentence encoder.

    ``name`` carries the model id *and* the package version (e.g.
    ``all-MiniLM-L6-v2@gt-0.1.0``): it keys the persistent embedding cache,
    so upgrading a model package can never serve vectors of the old one.
    ``languages`` is the set of ISO 639-1 codes it serves well, or ``"any"``.
    """

    @property
    def name(self) -> str: ...

    @property
    def languages(self) -> frozenset[str] | Literal["any"]: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str], *, role: Role) -> Vectors:
        """``(len(texts), dim)`` float32, each row L2-normalised."""
        ...


def serves(encoder: Encoder, language: str) -> bool:
    """Whether ``encoder`` is meant for text in ``language``."""
    return encoder.languages == "any" or language in encoder.languages


def l2_normalise(vectors: Vectors) -> Vectors:
    """Row-wise unit length; all-zero rows stay zero instead of becoming NaN."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return out


class EncoderUnavailableError(TreatywatchError):
    """A model package is missing or its files cannot be used.

    Alignment catches this and falls back (another encoder, or no
    embeddings) with the message as a warning, so a broken install degrades
    results visibly instead of crashing a run.
    """

    def __init__(self, package: str, problem: str, *, hint: str | None = None) -> None:
        super().__init__(
            f"embedding model package {package!r}: {problem}",
            hint=hint or f"reinstall it: pip install --force-reinstall {package}",
        )
        self.package = package
