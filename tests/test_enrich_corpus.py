"""Kinds and penalties against the gold labels in ../shared/gold (development data).

The gold labels are dev data, not a target to fit: the floors below leave
room for arguable labels while catching regressions in the cue lists.
"""

from __future__ import annotations

import csv

import pytest

from conftest import SHARED
from treatywatch.ingest.enrich import enrich
from treatywatch.ingest.model import Line
from treatywatch.ingest.segment import segment

CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not GOLD.is_dir(), reason=f"gold labels not found at {GOLD}"),
]


def _documents() -> list[str]:
    if not GOLD.is_dir():
        return []
    return sorted(p.stem for p in GOLD.glob("*.csv") if (CORPUS / p.stem / "law.txt").is_file())


def _score(document: str) -> tuple[int, int, int]:
    """(rows, kinds right, maximum prison terms right) for one law."""
    rows = list(csv.DictReader((GOLD / f"{document}.csv").open(encoding="utf-8")))
    lines = [Line(t) for t in (CORPUS / document / "law.txt").read_text("utf-8").splitlines()]
    result = segment(lines)
    enrich(result)
    by_label = {p.label: p for p in result.provisions}
    kinds = terms = 0
    for row in rows:
        node = by_label.get(row["provision"])
        if node is None:
            continue
        kinds += node.kind == row["kind"]
        want = float(row["max_prison_years"]) if row["max_prison_years"] else None
        penalty = node.details.get("penalty") or {}
        got = penalty.get("max_prison_years")
        terms += (got is None and want is None) or (
            got is not None and want is not None and abs(got - want) < 0.01
        )
    return len(rows), kinds, terms


@pytest.mark.parametrize("document", _documents())
def test_penalty_terms_per_law(document: str) -> None:
    rows, _kinds, terms = _score(document)
    assert terms / rows >= 0.9, f"{document}: {terms}/{rows} maximum prison terms match the gold"


def test_overall_kind_and_penalty_accuracy() -> None:
    totals = [_score(document) for document in _documents()]
    rows = sum(t[0] for t in totals)
    kinds = sum(t[1] for t in totals)
    terms = sum(t[2] for t in totals)
    assert rows > 0
    assert kinds / rows >= 0.85, f"kind accuracy {kinds}/{rows}"
    assert terms / rows >= 0.95, f"penalty accuracy {terms}/{rows}"
