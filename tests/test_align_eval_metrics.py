"""Alignment metrics on tiny hand-built cases whose values were worked out by hand."""

from __future__ import annotations

import pytest

from treatywatch.align.evaluation.metrics import (
    MetricSet,
    ScoredRow,
    compute,
    confusions,
    grouped,
    misses,
    target_rows,
)


def _row(
    name: str,
    gold: tuple[int, ...],
    predicted: tuple[int, ...],
    ranked: list[tuple[int, float]],
    *,
    kind: str = "offence",
    language: str = "en",
    category: str = "criminalization",
) -> ScoredRow:
    return ScoredRow(
        document="xnl-fictional",
        provision=name,
        heading=f"fictional heading {name}",
        kind=kind,
        language=language,
        category=category if gold else "none",
        gold=tuple(f"uncc/art-{n}" for n in gold),
        predicted=tuple(f"uncc/art-{n}" for n in predicted),
        ranked=tuple((f"uncc/art-{n}", s) for n, s in ranked),
    )


# A: right first; B: one of two gold articles; C: wrong first, gold 3rd in the
# shortlist; D: "no match" although gold is 4th; E: a none row with a
# suggestion (false positive); F: a none row left alone.
ROWS = [
    _row("A", (7,), (7,), [(7, 0.9), (8, 0.2)]),
    _row("B", (9, 10), (10,), [(10, 0.8), (9, 0.6)]),
    _row(
        "C",
        (27,),
        (28,),
        [(28, 0.7), (29, 0.5), (27, 0.4)],
        kind="procedural",
        category="procedural",
    ),
    _row(
        "D",
        (30,),
        (),
        [(8, 0.3), (29, 0.2), (11, 0.1), (30, 0.05)],
        kind="procedural",
        category="procedural",
        language="fr",
    ),
    _row("E", (), (2,), [(2, 0.6)], kind="general", language="fr"),
    _row("F", (), (), [], kind="institutional"),
]


def test_metrics_match_hand_computed_values() -> None:
    m = compute(ROWS)
    assert m.n == 6
    assert m.top1 == pytest.approx(2 / 4)  # A, B right; C wrong; D said no match
    assert m.recall_at_3 == pytest.approx(3 / 4)  # A, B, C (rank 3); D is rank 4
    assert m.mrr == pytest.approx((1 + 1 + 1 / 3 + 1 / 4) / 4)
    # pairs: TP = A7, B10; FP = C28, E2; FN = B9, C27, D30
    assert m.precision == pytest.approx(2 / 4)
    assert m.recall == pytest.approx(2 / 5)
    assert m.f1 == pytest.approx(2 * 0.5 * 0.4 / 0.9)
    assert m.none_fp_rate == pytest.approx(1 / 2)
    assert m.top1_ranked == pytest.approx(2 / 4)


def test_top1_ranked_ignores_the_threshold() -> None:
    timid = _row("G", (7,), (), [(7, 0.3)])
    assert compute([timid]).top1 == 0.0
    assert compute([timid]).top1_ranked == 1.0


def test_empty_and_none_only_subsets_say_unknown_not_zero() -> None:
    empty = compute([])
    assert (empty.n, empty.top1, empty.f1, empty.none_fp_rate) == (0, None, None, None)
    only_none = compute([ROWS[5]])
    assert only_none.top1 is None and only_none.none_fp_rate == 0.0 and only_none.f1 is None


def test_no_suggestions_on_labelled_rows_give_zero_f1() -> None:
    m = compute([ROWS[3]])
    assert m.precision is None and m.recall == 0.0 and m.f1 == 0.0


def test_slices_by_kind_language_and_target() -> None:
    by_language = grouped(ROWS, lambda r: r.language)
    assert set(by_language) == {"en", "fr"}
    assert by_language["fr"].n == 2 and by_language["fr"].top1 == 0.0
    assert by_language["fr"].none_fp_rate == 1.0
    assert [r.provision for r in target_rows(ROWS)] == ["A", "B", "C", "D"]
    metric_set = MetricSet.of(ROWS)
    assert metric_set.per_category["procedural"].top1 == 0.0
    assert metric_set.per_category["criminalization"].top1 == 1.0
    assert metric_set.target.none_fp_rate is None
    assert metric_set.per_kind["offence"].n == 2


def test_worst_misses_put_confident_wrong_answers_first() -> None:
    found = misses(ROWS)
    assert [m.provision for m in found] == ["C", "E", "D"]
    c, e, d = found
    assert (c.predicted, c.score, c.gold_rank) == ("uncc/art-28", 0.7, 3)
    assert (e.gold, e.predicted) == ((), "uncc/art-2")
    assert (d.predicted, d.score, d.gold_rank) == (None, 0.3, 4)
    assert d.record()["gold"] == ["uncc/art-30"] and e.record()["gold"] == ["none"]


def test_frequent_confusions_count_gold_to_predicted_pairs() -> None:
    again = _row("H", (27,), (28,), [(28, 0.5)])
    pairs = confusions(misses([*ROWS, again]))
    assert pairs[0].gold == "uncc/art-27" and pairs[0].predicted == "uncc/art-28"
    assert pairs[0].count == 2
    assert set(pairs[0].examples) == {"xnl-fictional:C", "xnl-fictional:H"}
    assert {(p.gold, p.predicted) for p in pairs[1:]} == {
        ("uncc/art-30", "none"),
        ("none", "uncc/art-2"),
    }
