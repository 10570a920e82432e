"""Records passed between the assessment stages.

stored law version (+ its alignments) → :class:`LawView` → detectors, one
or more per rights criterion, each returning :class:`Finding` objects with
the exact provisions and spans they rest on → :class:`Assessment` (findings,
serious-crime list, scorecard) → store and reports.

A finding without evidence is not a finding: even "not addressed" names
what was searched for and where, so an analyst can check the claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from treatywatch.align.model import ProvisionText

STATUSES = ("meets", "partly", "fails", "not-addressed", "needs-review")
SEVERITIES = ("low", "medium", "high", "critical")
SERIOUS_CRIME_YEARS = 4.0
"""UNCC Art. 2(h): a serious crime is punishable by at least four years'
deprivation of liberty; such offences fall within the treaty's evidence
sharing (Art. 23(2)(b), 35(1)(c))."""

STATUS_SCORE: dict[str, float | None] = {
    "meets": 1.0,
    "partly": 0.5,
    "fails": 0.0,
    "not-addressed": 0.0,
    "needs-review": None,
}
"""How a status counts in a scorecard (None: excluded from the average)."""


@dataclass(frozen=True)
class Evidence:
    """A quoted span of one provision that a finding rests on.

    Offsets index into that provision's :attr:`ProvisionText.full`
    (heading + newline + text), the same coordinates alignment uses.
    """

    provision_key: str
    provision_label: str | None
    heading: str | None
    start: int
    end: int
    quote: str
    cue: str  # the signal that matched, e.g. "content offence: 'false news'"

    def record(self) -> dict[str, Any]:
        return {
            "provision": self.provision_key,
            "label": self.provision_label,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "cue": self.cue,
        }


@dataclass
class Finding:
    """A verdict on one criterion, for the law as a whole or one provision."""

    criterion_id: str
    status: str  # one of STATUSES
    severity: str  # one of SEVERITIES
    explanation: str  # plain language, generated from the evidence
    detector: str  # e.g. "scope.content-offences"
    evidence: list[Evidence] = field(default_factory=list)
    provision_key: str | None = None  # None: a finding about the whole law
    review_status: str = "suggested"
    reviewer: str | None = None
    review_comment: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "status": self.status,
            "severity": self.severity,
            "explanation": self.explanation,
            "detector": self.detector,
            "provision": self.provision_key,
            "evidence": [e.record() for e in self.evidence],
            "review_status": self.review_status,
            "reviewer": self.reviewer,
            "review_comment": self.review_comment,
        }


@dataclass(frozen=True)
class AlignedArticle:
    """One stored alignment as assessment sees it."""

    article_id: str
    score: float
    status: str  # suggested / accepted / overridden ...


@dataclass
class LawView:
    """One stored law version with what earlier stages found in it."""

    document_id: str
    version_id: int
    version_date: str
    title: str
    country: str
    language: str
    provisions: list[ProvisionText]
    alignments: dict[str, list[AlignedArticle]] = field(default_factory=dict)  # by provision key

    def articles_of(self, provision_key: str) -> list[str]:
        """UNCC/Budapest article ids aligned to a provision (rejected ones excluded)."""
        return [
            a.article_id for a in self.alignments.get(provision_key, []) if a.status != "rejected"
        ]


class Detector(Protocol):
    """Finds evidence for or against one criterion in a law."""

    criterion_id: str
    name: str

    def detect(self, law: LawView) -> list[Finding]: ...


@dataclass(frozen=True)
class SeriousCrime:
    """An offence punishable by ≥ 4 years, so within UNCC cooperation."""

    provision_key: str
    label: str | None
    heading: str | None
    max_years: float  # life = 99
    content_offence: bool
    evidence: Evidence | None = None

    def record(self) -> dict[str, Any]:
        return {
            "provision": self.provision_key,
            "label": self.label,
            "heading": self.heading,
            "max_years": self.max_years,
            "content_offence": self.content_offence,
            "evidence": self.evidence.record() if self.evidence else None,
        }
