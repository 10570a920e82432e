"""The harness on the real development gold (../shared/gold) and corpus.

Skipped without ../shared. One evaluation (laws ingested from their PDFs
into a fresh store, full engine, no baselines) is shared by the asserts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from conftest import SHARED
from treatywatch.align.evaluation.harness import EvaluationResult, evaluate
from treatywatch.store import init_store
from treatywatch.store.db import dispose_engines

GOLD = SHARED / "gold"
CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(
    not GOLD.is_dir() or not CORPUS.is_dir(), reason="needs ../shared/gold and ../shared/corpus"
)

# Floors, from measured values: with the fitted two-stage calibration the
# engine scores overall top-1 0.91 (0.90 in leave-one-law-out CV), recall@3
# 0.96, French (Senegal) top-1 0.94. The best single method ranks the right
# article first for at most 0.55 of the rows, so these floors fail if fusion,
# the rules or the calibration stop contributing, while leaving room for a
# re-calibration to move a few rows.
TOP1_FLOOR = 0.85
RECALL_AT_3_FLOOR = 0.93
FRENCH_TOP1_FLOOR = 0.80
# Every gold row matched a segmented provision when measured; a few misses
# are tolerated so a segmentation tweak elsewhere does not fail this test.
MAX_UNMATCHED = 4


def _gold_rows() -> int:
    total = 0
    for path in sorted(GOLD.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            total += sum(1 for _ in csv.DictReader(handle))
    return total


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvaluationResult]:
    url = f"sqlite:///{tmp_path_factory.mktemp('eval-store') / 'store.db'}"
    init_store(url)
    yield evaluate(GOLD, CORPUS, url, baselines=False)
    dispose_engines()


def test_harness_runs_on_every_gold_file(result: EvaluationResult) -> None:
    data = result.record()
    assert data["n"] == _gold_rows()
    gold_documents = {p.stem for p in GOLD.glob("*.csv")}
    assert set(data["per_document"]) == gold_documents
    assert {d["origin"] for d in data["documents"]} == {"ingested"}
    assert len(data["unmatched_gold"]) <= MAX_UNMATCHED
    assert {"en", "fr", "es", "de"} <= set(data["per_language"])
    assert data["timing"]["provisions"] >= data["n"] - len(data["unmatched_gold"])


def test_top1_and_recall_are_above_their_floors(result: EvaluationResult) -> None:
    overall = result.engine.metrics.overall
    assert overall.top1 is not None and overall.top1 >= TOP1_FLOOR
    assert overall.recall_at_3 is not None and overall.recall_at_3 >= RECALL_AT_3_FLOOR
    french = result.engine.metrics.per_language["fr"]
    assert french.top1 is not None and french.top1 >= FRENCH_TOP1_FLOOR


def test_confusions_name_real_rows(result: EvaluationResult) -> None:
    data = result.record()
    assert data["confusions"], "a perfect score on the development gold would be suspicious"
    first = data["confusions"][0]
    assert first["document"] in data["per_document"] and first["provision"]
    assert all(c["count"] >= 1 for c in data["frequent_confusions"])


# Assessment accuracies measured through the pipeline (helper report, issue 6):
# content offence 0.96, penalty 0.98, judicial authorization 0.82 (34 rows).
# Floors leave room for cue tuning but fail if a detector or the penalty
# extraction breaks.
ASSESSMENT_FLOORS = {
    "content_offence_accuracy": 0.85,
    "penalty_accuracy": 0.90,
    "judicial_authorization_accuracy": 0.65,
}


def test_assessment_accuracies_are_reported_and_above_floors(result: EvaluationResult) -> None:
    data = result.record()
    for name, floor in ASSESSMENT_FLOORS.items():
        assert data[name] is not None and data[name] >= floor, (name, data["assessment"][name])
        detail = data["assessment"][name]
        assert detail["total"] >= 20 and detail["correct"] <= detail["total"]
        assert len(detail["errors"]) == detail["total"] - detail["correct"]
