"""Cue files: loading, validation of bad files, and offset-preserving matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from treatywatch.assess.cues import (
    CUE_GROUPS,
    CueFileError,
    compile_phrase,
    cue_book,
    fold,
    load_cue_book,
    parse_cue_file,
)

MINIMAL_EN = "language: en\ngroups:\n" + "".join(
    f"  {g}: [word{i}]\n" for i, g in enumerate(CUE_GROUPS)
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_cues_load_and_english_defines_every_group() -> None:
    book = cue_book()
    assert {"en", "fr", "es", "de", "ru", "ar"} <= set(book.languages)
    assert book.missing("en") == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("language: en\ngroups: [a, b", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("language: english\ngroups: {intent: [x]}\n", "two-letter"),
        ("language: en\ngroups: {}\n", "'groups' must map"),
        ("language: en\ngroups:\n  intnet: [on purpose]\n", "unknown cue group 'intnet'"),
        ("language: en\ngroups:\n  intent: []\n", "non-empty list"),
        ("language: en\ngroups:\n  intent: [yes]\n", "non-text phrase"),
        ("language: en\ngroups:\n  intent: ['...']\n", "has no words"),
    ],
)
def test_malformed_cue_file_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "en.yaml", text)
    with pytest.raises(CueFileError) as caught:
        parse_cue_file(path)
    assert str(path) in caught.value.message
    assert problem in caught.value.message
    assert caught.value.hint


def test_unknown_group_suggests_the_close_name(tmp_path: Path) -> None:
    path = write(tmp_path, "en.yaml", "language: en\ngroups:\n  intnet: [on purpose]\n")
    with pytest.raises(CueFileError, match="did you mean intent"):
        parse_cue_file(path)


def test_cue_set_checks(tmp_path: Path) -> None:
    with pytest.raises(CueFileError, match="no cue files"):
        load_cue_book(tmp_path)
    write(tmp_path, "fr.yaml", "language: fr\ngroups:\n  intent: [sciemment]\n")
    with pytest.raises(CueFileError, match="no cue file for 'en'"):
        load_cue_book(tmp_path)
    write(tmp_path, "en.yaml", "language: en\ngroups:\n  intent: [knowingly]\n")
    with pytest.raises(CueFileError, match="must define every cue group"):
        load_cue_book(tmp_path)
    write(tmp_path, "en.yaml", MINIMAL_EN)
    write(tmp_path, "xx.yaml", "language: fr\ngroups:\n  intent: [exprès]\n")
    with pytest.raises(CueFileError, match="already defined"):
        load_cue_book(tmp_path)
    (tmp_path / "xx.yaml").unlink()
    book = load_cue_book(tmp_path)
    assert book.missing("fr") and "intent" not in book.missing("fr")


def test_fold_keeps_every_offset() -> None:
    text = "Diffusion de FAUSSES NOUVELLES ﬁnales; الأَخْبَار"
    folded = fold(text)
    assert folded.text.startswith("diffusion de fausses nouvelles finales")
    start = folded.text.index("fausses")
    assert folded.span(start, start + len("fausses nouvelles")) == (13, 30)
    arabic = folded.text.index("الاخبار")
    first, last = folded.span(arabic, arabic + len("الاخبار"))
    assert text[first:last] == "الأَخْبَار"


def test_phrase_syntax_stems_gaps_and_wildcards() -> None:
    import re

    assert re.search(compile_phrase("intercept*"), "interception of data")
    assert not re.search(compile_phrase("intercept"), "interception")
    assert re.search(compile_phrase("retain ... all"), "retain for two years all data")
    assert not re.search(compile_phrase("retain ... all"), "retain a b c d e f g h all")
    assert re.search(compile_phrase("not exceeding ~ days"), "not exceeding ninety days")
    assert re.search(compile_phrase("*قاضي"), "بالقاضي")
    assert re.search(compile_phrase("real-time"), "real time")


def test_find_matches_folded_text_and_quotes_original() -> None:
    hits = cue_book().find("content-falsehood", "Il publie des Fausses Nouvelles.", "fr")
    assert [(h.start, h.end, h.text) for h in hits] == [(14, 31, "Fausses Nouvelles")]
    with pytest.raises(KeyError):
        cue_book().find("no-such-group", "x", "en")


def test_unknown_language_falls_back_to_every_language() -> None:
    book = cue_book()
    assert book.language_for("sw") == "*"
    assert book.find("content-falsehood", "fausses nouvelles and false news", "sw")
