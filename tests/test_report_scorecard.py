"""Folding stored findings into one verdict per criterion (the rules in report/scorecard.py)."""

from __future__ import annotations

from treatywatch.report.findings import StoredFinding, VersionRef
from treatywatch.report.scorecard import overall_score, verdict, verdicts_for

VERSION = VersionRef(1, "xnl/act/2024/testaland", "2024-05-01", "Testaland Act (fictional)", "XNL")


def finding(
    status: str, severity: str = "medium", review: str = "suggested", criterion: str = "scope"
) -> StoredFinding:
    return StoredFinding(
        id=hash((status, severity, review, criterion)) & 0xFFFF,
        version=VERSION,
        criterion_id=criterion,
        status=status,
        severity=severity,
        explanation="fictional",
        detector="test",
        evidence=(),
        review_status=review,
        reviewer=None,
        review_comment=None,
        provision_path=None,
        provision_label=None,
        provision_heading=None,
    )


def test_one_failure_is_not_hidden_by_passes_but_the_score_shows_both() -> None:
    v = verdict("scope", [finding("meets", "low"), finding("fails", "high"), finding("meets")])
    assert (v.status, v.severity, v.findings) == ("fails", "high", 3)
    assert v.score is not None and abs(v.score - 2 / 3) < 1e-3


def test_needs_review_only_when_every_finding_needs_it() -> None:
    assert verdict("scope", [finding("needs-review"), finding("partly")]).status == "partly"
    alone = verdict("scope", [finding("needs-review", "critical")])
    assert (alone.status, alone.score, alone.severity) == ("needs-review", None, None)


def test_rejected_findings_are_counted_apart_and_reviewed_ones_are_marked() -> None:
    v = verdict(
        "scope",
        [
            finding("fails", review="rejected"),
            finding("meets", review="accepted"),
            finding("meets"),
        ],
    )
    assert (v.status, v.rejected, v.reviewed, v.automatic) == ("meets", 1, 1, 1)


def test_criteria_without_findings_are_left_out_of_the_overall_score() -> None:
    verdicts = verdicts_for(
        [finding("meets", criterion="scope"), finding("fails", criterion="gender")]
    )
    assert len(verdicts) == 13
    assert sum(1 for v in verdicts if v.status == "not-assessed") == 11
    assert overall_score(verdicts) == 50.0
    assert overall_score(verdicts_for([])) is None
