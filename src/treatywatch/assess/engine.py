"""Run every detector over a law and summarise the findings as a scorecard.

Reproducible by construction: detectors are pure functions of the law view
and the cue files, the registry order is fixed, and findings are sorted by
(criterion number, document position, detector, status) — so the same law
and the same cues give the same findings in the same order, and the
``engine_version`` plus a fingerprint of the cue files say which rules ran.

Scoring rule (documented in docs/assess.md):

- a criterion's **status** is the worst status among its scored findings,
  in the order fails < not-addressed < partly < meets, so one failure is
  never hidden by many passes; it is ``needs-review`` only when every
  finding is ``needs-review``;
- a criterion's **score** is the mean of :data:`STATUS_SCORE` over its
  findings (``needs-review`` left out), so partial compliance still shows;
- its **severity** is the highest severity among findings that do not meet;
- the **overall score** is the mean of the criterion scores that exist,
  each criterion weighing the same however many findings it has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from treatywatch.assess.cues import CUE_DIR, CueBook, cue_book
from treatywatch.assess.detectors import BaseDetector, all_detectors
from treatywatch.assess.model import SEVERITIES, STATUS_SCORE, Finding, LawView, SeriousCrime
from treatywatch.assess.serious import serious_crimes
from treatywatch.catalogue import Catalogue

ENGINE_VERSION = "assess-1"
WORST_FIRST = ("fails", "not-addressed", "partly", "meets")


@dataclass
class CriterionScore:
    criterion_id: str
    number: int
    name: str
    status: str
    score: float | None
    severity: str | None
    findings: int
    reviewed: int

    def record(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "number": self.number,
            "name": self.name,
            "status": self.status,
            "score": None if self.score is None else round(self.score, 4),
            "severity": self.severity,
            "findings": self.findings,
            "reviewed": self.reviewed,
        }


@dataclass
class Scorecard:
    criteria: list[CriterionScore]
    overall: float | None

    def record(self) -> dict[str, Any]:
        return {
            "overall": None if self.overall is None else round(self.overall, 4),
            "criteria": [c.record() for c in self.criteria],
            "rule": "criterion status = worst finding status; criterion score = mean "
            "STATUS_SCORE of its findings (needs-review excluded); overall = mean of "
            "criterion scores",
        }


@dataclass
class Assessment:
    """One law version assessed: findings, serious crimes, scorecard and caveats."""

    law: LawView
    findings: list[Finding]
    serious: list[SeriousCrime]
    scorecard: Scorecard
    warnings: list[str] = field(default_factory=list)
    engine_version: str = ENGINE_VERSION
    cues_fingerprint: str = ""
    finding_ids: list[int | None] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        ids = self.finding_ids or [None] * len(self.findings)
        return {
            "document": self.law.document_id,
            "version": self.law.version_date,
            "title": self.law.title,
            "country": self.law.country,
            "language": self.law.language,
            "aligned": bool(self.law.alignments),
            "engine_version": self.engine_version,
            "cues_fingerprint": self.cues_fingerprint,
            "warnings": self.warnings,
            "scorecard": self.scorecard.record(),
            "serious_crimes": [c.record() for c in self.serious],
            "findings": [
                {"id": fid, **f.record()} for fid, f in zip(ids, self.findings, strict=True)
            ],
        }


def cues_fingerprint() -> str:
    """A short hash of the shipped cue files: which rules produced a stored finding."""
    digest = hashlib.sha256()
    for path in sorted(CUE_DIR.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def order_findings(law: LawView, findings: Sequence[Finding]) -> list[Finding]:
    """Criterion number, then position in the law (whole-law first), then detector."""
    numbers = criterion_numbers()
    position = {p.key: i for i, p in enumerate(law.provisions)}
    return sorted(
        findings,
        key=lambda f: (
            numbers.get(f.criterion_id, 99),
            -1 if f.provision_key is None else position.get(f.provision_key, len(position)),
            f.detector,
            f.status,
            f.explanation,
        ),
    )


def criterion_numbers() -> dict[str, int]:
    return {c.id: c.number for c in Catalogue.load().criteria}


def run_detectors(
    law: LawView, detectors: Sequence[BaseDetector] | None = None, cues: CueBook | None = None
) -> list[Finding]:
    chosen = detectors if detectors is not None else all_detectors(cues)
    found: list[Finding] = []
    for detector in chosen:
        found.extend(detector.detect(law))
    return order_findings(law, found)


def assess_law(
    law: LawView,
    *,
    detectors: Sequence[BaseDetector] | None = None,
    cues: CueBook | None = None,
    warnings: Sequence[str] = (),
) -> Assessment:
    """Every detector over ``law`` (no store access)."""
    book = cues or cue_book()
    findings = run_detectors(law, detectors, book)
    return Assessment(
        law=law,
        findings=findings,
        serious=serious_crimes(law, book),
        scorecard=scorecard(findings),
        warnings=list(warnings),
        cues_fingerprint=cues_fingerprint(),
    )


def worst_status(statuses: Sequence[str]) -> str:
    scored = [s for s in statuses if s != "needs-review"]
    if not scored:
        return "needs-review"
    return min(scored, key=WORST_FIRST.index)


def scorecard(findings: Sequence[Finding]) -> Scorecard:
    """Apply the scoring rule in the module docstring to a set of findings."""
    rows = []
    for criterion in Catalogue.load().criteria:
        own = [f for f in findings if f.criterion_id == criterion.id]
        if not own:
            rows.append(
                CriterionScore(
                    criterion.id, criterion.number, criterion.name, "needs-review", None, None, 0, 0
                )
            )
            continue
        scores = [STATUS_SCORE[f.status] for f in own]
        counted = [s for s in scores if s is not None]
        failing = [f.severity for f in own if f.status not in ("meets", "needs-review")]
        rows.append(
            CriterionScore(
                criterion_id=criterion.id,
                number=criterion.number,
                name=criterion.name,
                status=worst_status([f.status for f in own]),
                score=sum(counted) / len(counted) if counted else None,
                severity=max(failing, key=SEVERITIES.index) if failing else None,
                findings=len(own),
                reviewed=sum(1 for f in own if f.review_status != "suggested"),
            )
        )
    present = [r.score for r in rows if r.score is not None]
    return Scorecard(rows, sum(present) / len(present) if present else None)
