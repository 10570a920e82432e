"""Catalogue article vectors: encoded once per model and catalogue, kept on disk.

Every alignment compares provisions with the same ~120 article
descriptions. Encoding them costs as much as encoding a 120-section law,
so a fresh process (or a fresh store, whose ``embedding_cache`` is
empty) aligning one law would spend a third of its time re-deriving
vectors that only change when the model or the catalogue does. They are
therefore kept like the built int8 model: derived data in the user cache
directory (``$TREATYWATCH_CACHE_DIR`` or the platform cache folder), under
``vectors/<digest>.npy`` where the digest covers the model name, the role
and every article text — an edited catalogue or a new model version gets
a new file, never stale vectors. A process also remembers them in memory.

The files are written atomically next to a ``.sha256`` of their bytes; a
missing, corrupt or wrongly shaped file is recomputed and rewritten, and an
unwritable cache directory only means the vectors are recomputed by the
next process.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np

from treatywatch.align.embed.encoder import Encoder, Role, Vectors
from treatywatch.align.embed.files import cache_root, read_verified, write_verified

_memory: dict[str, Vectors] = {}
SUBDIR = "vectors"


def catalogue_digest(encoder_name: str, role: Role, texts: list[str]) -> str:
    """Identity of one catalogue encoding: model, role and every text, in order."""
    digest = hashlib.sha256(f"{encoder_name}\0{role}\0{len(texts)}".encode())
    for text in texts:
        digest.update(b"\0")
        digest.update(text.encode())
    return digest.hexdigest()


def _decode(data: bytes, rows: int, dim: int) -> Vectors | None:
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        return None
    if array.dtype != np.float32 or array.shape != (rows, dim) or not np.isfinite(array).all():
        return None
    vectors: Vectors = array
    return vectors


def catalogue_vectors(encoder: Encoder, texts: list[str], role: Role) -> Vectors:
    """``(len(texts), dim)`` unit vectors of the catalogue texts, encoded at most once.

    Looks in process memory, then on disk; only when both miss does the
    encoder run, and the result is written back to both.
    """
    key = catalogue_digest(encoder.name, role, texts)
    found = _memory.get(key)
    if found is not None:
        return found
    path = cache_root() / SUBDIR / f"{key}.npy"
    data = read_verified(path)
    vectors = _decode(data, len(texts), encoder.dim) if data is not None else None
    if vectors is None:
        vectors = np.ascontiguousarray(encoder.encode(texts, role=role), dtype=np.float32)
        buffer = io.BytesIO()
        np.save(buffer, vectors, allow_pickle=False)
        write_verified(path, buffer.getvalue())
    vectors.setflags(write=False)  # shared by every caller in the process
    _memory[key] = vectors
    return vectors


def forget_catalogue_vectors() -> None:
    """Drop the in-process copies (benchmarks measuring a cold start; tests)."""
    _memory.clear()
