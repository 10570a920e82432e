"""Segmentation accuracy on the real laws in ../shared/corpus (read in place, never copied).

Each law's ``expected.json`` lists its provisions; at least 95% must be
found with the right number and heading in every rendering. Plain text and
Markdown are read line by line here; DOCX, PDF and the scraped JSON go
through the project's readers when they are importable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from treatywatch.ingest.model import Line, Segmentation
from treatywatch.ingest.segment import from_units, segment, segmentation_accuracy

CORPUS = SHARED / "corpus"
TARGET = 0.95

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-law corpus not found at {CORPUS}"),
]


def _documents() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if (p / "expected.json").is_file())


def _expected(document: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / document / "expected.json").read_text("utf-8"))
    return data


def _plain(document: str) -> Path:
    folder = CORPUS / document
    text = folder / "law.txt"
    return text if text.is_file() else folder / "source.md"


def _check(document: str, result: Segmentation, label: str) -> None:
    report = segmentation_accuracy(_expected(document)["units"], result)
    assert report["accuracy"] >= TARGET, (
        f"{document} ({label}): {report['accuracy']:.3f} of provisions found with number and "
        f"heading; missing {report['missing'][:10]}, wrong headings "
        f"{report['title_mismatches'][:5]}"
    )
    assert report["label_recall"] >= TARGET
    assert report["precision"] >= TARGET, f"{document} ({label}): extra {report['extra'][:10]}"


@pytest.mark.parametrize("document", _documents())
def test_plain_text_rendering(document: str) -> None:
    path = _plain(document)
    lines = [Line(text) for text in path.read_text("utf-8").splitlines()]
    _check(document, segment(lines, language=_expected(document)["language"]), path.name)


def _renderings() -> list[tuple[str, str]]:
    """(document, file name) for every reader rendering that exists in the corpus."""
    names = ("law.docx", "law.pdf", "source.json")
    return [(d, n) for d in _documents() for n in names if (CORPUS / d / n).is_file()]


@pytest.mark.parametrize(("document", "name"), _renderings())
def test_reader_renderings(document: str, name: str) -> None:
    from treatywatch.ingest import readers

    path = CORPUS / document / name
    read = readers.read_file(path)
    language = _expected(document)["language"]
    result = segment(read.lines, language=language) if read.lines else from_units(read.units)
    _check(document, result, path.name)


def test_large_code_keeps_every_section() -> None:
    """The whole German Criminal Code: every "§" heading of the Markdown becomes a provision."""
    path = CORPUS / "deu-stgb-cyber" / "original.md"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    text = path.read_text("utf-8")
    result = segment([Line(t) for t in text.splitlines()], language="de")
    headings = [line for line in text.splitlines() if line.startswith("#") and "# § " in line]
    assert len(result.provisions) == len(headings)
    report = segmentation_accuracy(_expected("deu-stgb-cyber")["units"], result)
    assert report["accuracy"] == 1.0
    assert report["container_accuracy"] == 1.0
