"""A country's (or one law's) verdict on each of the 13 rights criteria.

How findings become one verdict per criterion:

- a criterion takes the *worst* status among its scored findings (fails,
  then not addressed, partly, meets): one abusable provision is not
  offset by good drafting elsewhere, because it is the one that gets used;
  it is "needs review" only when every finding is;
- its severity is the highest severity among the findings that are not
  "meets";
- findings a reviewer rejected are left out; reviewed (accepted or
  overridden) and automatic findings are counted separately so a reader
  sees how much of the verdict a person has checked;
- a criterion with no finding at all is "not-assessed" and, like "needs
  review", stays out of the score.

- a criterion's score is the mean of
  :data:`~treatywatch.assess.model.STATUS_SCORE` over its findings
  (needs-review left out), so partial compliance still shows; the overall
  score is the mean of the criterion scores that exist, as a percentage.

These are the rules of ``treatywatch.assess.engine.scorecard`` (docs/assess.md)
applied to what is stored — including reviewers' corrections — so a
report and ``treatywatch assess`` agree on the same findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from treatywatch.assess.model import SEVERITIES, STATUS_SCORE, STATUSES
from treatywatch.catalogue import Catalogue
from treatywatch.report.findings import StoredFinding, VersionRef

NOT_ASSESSED = "not-assessed"
WORST_FIRST = ("fails", "not-addressed", "partly", "meets")
assert set(WORST_FIRST) | {"needs-review"} == set(STATUSES)


@dataclass(frozen=True)
class CriterionVerdict:
    """One row of a scorecard."""

    criterion_id: str
    number: int
    name: str
    status: str  # one of STATUSES or NOT_ASSESSED
    severity: str | None
    findings: int
    by_status: dict[str, int]
    reviewed: int
    automatic: int
    rejected: int
    score: float | None  # 0–1, mean over the findings (see module docstring)

    def record(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "number": self.number,
            "name": self.name,
            "status": self.status,
            "severity": self.severity,
            "score": self.score,
            "findings": self.findings,
            "by_status": self.by_status,
            "reviewed": self.reviewed,
            "automatic": self.automatic,
            "rejected": self.rejected,
        }


def verdict(criterion_id: str, findings: Iterable[StoredFinding]) -> CriterionVerdict:
    """Fold the findings on one criterion into its verdict (rules in the module docstring)."""
    criterion = Catalogue.load().criterion(criterion_id)
    chosen = [f for f in findings if f.criterion_id == criterion_id]
    counted = [f for f in chosen if not f.rejected]
    tally = Counter(f.status for f in counted)
    scores = [s for s in (STATUS_SCORE.get(f.status) for f in counted) if s is not None]
    if counted:
        scored = [f.status for f in counted if f.status in WORST_FIRST]
        status = min(scored, key=WORST_FIRST.index) if scored else "needs-review"
        bad = [
            f.severity
            for f in counted
            if f.status not in ("meets", "needs-review") and f.severity in SEVERITIES
        ]
        severity = max(bad, key=SEVERITIES.index) if bad else None
    else:
        status, severity = NOT_ASSESSED, None
    return CriterionVerdict(
        criterion_id=criterion_id,
        number=criterion.number,
        name=criterion.name,
        status=status,
        severity=severity,
        findings=len(counted),
        by_status={s: tally[s] for s in STATUSES if tally[s]},
        reviewed=sum(1 for f in counted if f.reviewed),
        automatic=sum(1 for f in counted if not f.reviewed),
        rejected=len(chosen) - len(counted),
        score=round(sum(scores) / len(scores), 4) if scores else None,
    )


def overall_score(verdicts: Sequence[CriterionVerdict]) -> float | None:
    """Mean status score over scored criteria, 0–100 (None when nothing is scored)."""
    scores = [v.score for v in verdicts if v.score is not None]
    return round(100 * sum(scores) / len(scores), 1) if scores else None


@dataclass(frozen=True)
class CriterionChange:
    criterion_id: str
    number: int
    before: str
    after: str

    @property
    def direction(self) -> str:
        before, after = STATUS_SCORE.get(self.before), STATUS_SCORE.get(self.after)
        if self.before == self.after:
            return "same"
        if before is None or after is None:
            return "changed"
        return "better" if after > before else "worse" if after < before else "changed"

    def record(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "number": self.number,
            "before": self.before,
            "after": self.after,
            "direction": self.direction,
        }


@dataclass(frozen=True)
class VersionChange:
    """How one law's verdicts moved between its two most recent assessed versions."""

    document_id: str
    before: VersionRef
    after: VersionRef
    score_before: float | None
    score_after: float | None
    criteria: list[CriterionChange]

    def record(self) -> dict[str, Any]:
        return {
            "document": self.document_id,
            "before": self.before.ref,
            "after": self.after.ref,
            "score_before": self.score_before,
            "score_after": self.score_after,
            "changed": sum(1 for c in self.criteria if c.direction != "same"),
            "criteria": [c.record() for c in self.criteria],
        }


@dataclass
class Scorecard:
    """The 13 verdicts for one country or one law, with their provenance."""

    key: str
    name: str
    versions: list[VersionRef]
    verdicts: list[CriterionVerdict]
    changes: list[VersionChange] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return overall_score(self.verdicts)

    @property
    def findings(self) -> int:
        return sum(v.findings for v in self.verdicts)

    @property
    def reviewed_share(self) -> float | None:
        total = self.findings
        return round(sum(v.reviewed for v in self.verdicts) / total, 3) if total else None

    def status_counts(self) -> dict[str, int]:
        tally = Counter(v.status for v in self.verdicts)
        return {s: tally[s] for s in (*STATUSES, NOT_ASSESSED)}

    def status_of(self, criterion_id: str) -> str:
        return next(
            (v.status for v in self.verdicts if v.criterion_id == criterion_id), NOT_ASSESSED
        )

    def record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "versions": [v.record() for v in self.versions],
            "score": self.score,
            "findings": self.findings,
            "reviewed_share": self.reviewed_share,
            "status_counts": self.status_counts(),
            "criteria": [v.record() for v in self.verdicts],
            "changes": [c.record() for c in self.changes],
        }


def criterion_ids() -> list[str]:
    return [c.id for c in sorted(Catalogue.load().criteria, key=lambda c: c.number)]


def verdicts_for(findings: Sequence[StoredFinding]) -> list[CriterionVerdict]:
    return [verdict(cid, findings) for cid in criterion_ids()]


def build_scorecard(
    key: str,
    name: str,
    versions: Sequence[VersionRef],
    findings: Sequence[StoredFinding],
    changes: Sequence[VersionChange] = (),
) -> Scorecard:
    return Scorecard(key, name, list(versions), verdicts_for(findings), list(changes))


def version_change(
    before: VersionRef,
    before_findings: Sequence[StoredFinding],
    after: VersionRef,
    after_findings: Sequence[StoredFinding],
) -> VersionChange:
    """Per-criterion difference between two assessed versions of the same law."""
    old, new = verdicts_for(before_findings), verdicts_for(after_findings)
    criteria = [
        CriterionChange(a.criterion_id, a.number, a.status, b.status)
        for a, b in zip(old, new, strict=True)
    ]
    return VersionChange(
        after.document_id, before, after, overall_score(old), overall_score(new), criteria
    )
