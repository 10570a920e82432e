"""Which encoder embeds text in a given language — and what to say when none can.

English goes to all-MiniLM-L6-v2: its int8 ONNX build (``onnx_minilm.py``,
~4× faster, cosine ≈ 0.99 to exact) when onnx and onnxruntime are
installed, else the exact numpy port. Not having onnxruntime is a normal
install and needs no warning (the model name in the engine info says which
ran); having it but failing to build or run the model is a broken one, and
warns before falling back to numpy. Every other
language to multilingual-e5-small, whose vectors live in one space with
the English catalogue. An English-only model is never used on French text:
its vectors for a language it never saw would look like evidence while
being noise. When the right model is missing or broken the caller gets
``None`` plus a warning naming the package and the fix, and alignment
continues with lexical retrieval and rules.

Loaded encoders (and load failures) are remembered per process, so an
engine built per document does not re-read 90 MB of weights each time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from treatywatch.align.embed.e5 import E5Encoder
from treatywatch.align.embed.encoder import Encoder, EncoderUnavailableError
from treatywatch.align.embed.minilm import MiniLMEncoder
from treatywatch.align.embed.onnx_minilm import RUNTIME_PACKAGE, OnnxMiniLMEncoder, onnx_available

ENGLISH = "en"
INT8_MAX_TOKENS = 64
"""Token cap of the fast English encoder. Alignment embeds a provision's
heading and opening sentence (where a section names its subject), and 64
tokens hold that: on the development gold (399 provisions, the rest of
the engine unchanged) 64 tokens gave top-1 0.906 / recall@3 0.960 / MRR
0.938 against 0.906 / 0.950 / 0.936 at 128, and encoding costs about half
(mean 61 instead of 105 tokens per provision). The cap is part of the
encoder's name, so vectors cached at another cap are never reused."""
E5_MAX_TOKENS = 64
"""Token cap of multilingual-e5 (cut by characters, see ``e5.py``). On the
French, Spanish and German gold laws (104 provisions) 64 and 128 tokens
gave identical metrics, and 64 costs about 40% less CPU time per text —
e5 is the slowest step of aligning a non-English law."""

_loaded: dict[tuple[str, str], Encoder | EncoderUnavailableError] = {}


def base_language(language: str | None) -> str:
    """``"en-GB"`` → ``"en"``; unknown or empty → ``"und"``."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code or "und"


def _load(kind: str, where: Path | None, factory: Callable[[], Encoder]) -> Encoder:
    key = (kind, str(where) if where is not None else "")
    found = _loaded.get(key)
    if found is None:
        try:
            found = factory()
        except EncoderUnavailableError as exc:
            found = exc
        _loaded[key] = found
    if isinstance(found, EncoderUnavailableError):
        raise found
    return found


def load_minilm(model_dir: Path | None = None) -> Encoder:
    return _load("minilm", model_dir, lambda: MiniLMEncoder(model_dir))


def load_minilm_int8(model_dir: Path | None = None) -> Encoder:
    return _load(
        "minilm-int8",
        model_dir,
        lambda: OnnxMiniLMEncoder(model_dir, max_tokens=INT8_MAX_TOKENS),
    )


def load_e5(model_path: Path | None = None) -> Encoder:
    return _load("e5", model_path, lambda: E5Encoder(model_path, max_tokens=E5_MAX_TOKENS))


def forget_loaded() -> None:
    """Drop remembered encoders and failures (after (re)installing a package)."""
    _loaded.clear()


def _say(exc: EncoderUnavailableError) -> str:
    return f"{exc.message} (hint: {exc.hint})" if exc.hint else exc.message


def _fast_english(minilm_dir: Path | None, warnings: list[str]) -> Encoder | None:
    """The int8 ONNX MiniLM, or ``None`` to use the numpy one.

    Only a runtime failure warns here: if the model package itself is
    broken, the numpy encoder fails on the same files and its warning
    (naming the model package) is the one the user needs.
    """
    if not onnx_available():
        return None
    try:
        return load_minilm_int8(minilm_dir)
    except EncoderUnavailableError as exc:
        if exc.package == RUNTIME_PACKAGE:
            warnings.append(
                f"{_say(exc)}; English text is embedded with the slower exact numpy encoder"
            )
        return None


def select_encoder(
    language: str,
    warnings: list[str],
    *,
    minilm_dir: Path | None = None,
    e5_path: Path | None = None,
    quantized: bool = True,
) -> Encoder | None:
    """The encoder for text in ``language``, or ``None`` with a reason in ``warnings``.

    ``quantized=False`` keeps English on the exact fp32 numpy encoder.
    """
    code = base_language(language)
    if code == ENGLISH:
        fast = _fast_english(minilm_dir, warnings) if quantized else None
        if fast is not None:
            return fast
        try:
            return load_minilm(minilm_dir)
        except EncoderUnavailableError as minilm_error:
            try:
                encoder = load_e5(e5_path)
            except EncoderUnavailableError as e5_error:
                warnings.append(
                    f"no sentence-embedding model for English text: {_say(minilm_error)}; "
                    f"{_say(e5_error)}"
                )
                return None
            warnings.append(
                f"{_say(minilm_error)}; English text is embedded with {encoder.name} instead"
            )
            return encoder
    try:
        return load_e5(e5_path)
    except EncoderUnavailableError as exc:
        warnings.append(
            f"cross-lingual embeddings are unavailable for {code!r} text: {_say(exc)}; "
            "those provisions are aligned without embeddings (the English model is not "
            "used on other languages)"
        )
        return None
