"""Gap analysis: the treaty view and the rights view of the same laws, side by side.

For every UNCC article with mandatory parts in the chapters a national law
implements (criminalization, jurisdiction, procedural measures,
cooperation), the *treaty view* says whether the State's laws cover it —
read from the alignments by :mod:`treatywatch.align.coverage`, whose rules
(accepted links, or suggestions scoring at least the threshold) this module
reuses rather than restates. Next to it, the *rights view* gives the
verdict on each rights criterion the catalogue attaches to that article.

The point of putting them together: a State can comply with the treaty and
still fail the rights test — an interception power that implements Art. 30
perfectly well while lacking prior judicial authorization is flagged
``rights_gap``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from treatywatch.align.coverage import IMPLEMENTED_SCORE, Implementer, coverage_for_versions
from treatywatch.catalogue import Catalogue
from treatywatch.report.links import provision_anchor, provision_url
from treatywatch.report.scorecard import Scorecard
from treatywatch.store.models import DocumentVersionRow

RIGHTS_PROBLEMS = ("fails", "not-addressed", "partly")


@dataclass(frozen=True)
class RightsCheck:
    criterion_id: str
    number: int
    status: str

    def record(self) -> dict[str, Any]:
        return {"criterion": self.criterion_id, "number": self.number, "status": self.status}


@dataclass(frozen=True)
class GapRow:
    """One mandatory UNCC article: does the law implement it, and does it respect rights?"""

    article_id: str
    number: int
    title: str
    category: str
    obligation: str
    coverage: str  # implemented / partial / not-found
    confirmed: bool
    provisions: tuple[dict[str, Any], ...]  # implementing provisions, see _implementer
    missing_paragraphs: tuple[str, ...]
    rights: tuple[RightsCheck, ...]

    @property
    def rights_gap(self) -> bool:
        """Implemented (at least partly) yet a governing rights criterion is not met."""
        return self.coverage != "not-found" and any(
            r.status in RIGHTS_PROBLEMS for r in self.rights
        )

    @property
    def treaty_gap(self) -> bool:
        return self.coverage == "not-found"

    def record(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "number": self.number,
            "title": self.title,
            "category": self.category,
            "obligation": self.obligation,
            "coverage": self.coverage,
            "confirmed": self.confirmed,
            "provisions": list(self.provisions),
            "missing_paragraphs": list(self.missing_paragraphs),
            "rights": [r.record() for r in self.rights],
            "treaty_gap": self.treaty_gap,
            "rights_gap": self.rights_gap,
        }

    def row(self) -> dict[str, Any]:
        """Flat record for CSV and tables."""
        return {
            "article": self.article_id,
            "title": self.title,
            "category": self.category,
            "coverage": self.coverage,
            "confirmed": "yes" if self.confirmed else "no",
            "provisions": "; ".join(p["ref"] for p in self.provisions),
            "rights": "; ".join(f"{r.criterion_id}: {r.status}" for r in self.rights),
            "treaty_gap": "yes" if self.treaty_gap else "no",
            "rights_gap": "yes" if self.rights_gap else "no",
        }


@dataclass
class GapAnalysis:
    rows: list[GapRow]
    implemented_score: float
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.rows),
            "implemented": sum(1 for r in self.rows if r.coverage == "implemented"),
            "partial": sum(1 for r in self.rows if r.coverage == "partial"),
            "not_found": sum(1 for r in self.rows if r.coverage == "not-found"),
            "rights_gaps": sum(1 for r in self.rows if r.rights_gap),
        }

    def record(self) -> dict[str, Any]:
        return {
            "implemented_score": self.implemented_score,
            "counts": self.counts(),
            "warnings": self.warnings,
            "articles": [r.record() for r in self.rows],
        }


def _implementer(item: Implementer) -> dict[str, Any]:
    """An implementing provision with the deep link reports use for every provision."""
    work, _, path = item.ref.partition("#")
    document_id, _, date = work.partition("@")
    return {
        "ref": item.ref,
        "document": document_id,
        "version_date": date,
        "provision": path,
        "label": item.label,
        "heading": item.heading,
        "status": item.status,
        "score": round(item.score, 3),
        "url": provision_url(document_id, date, path),
        "anchor": provision_anchor(document_id, date, path),
    }


def gap_analysis(
    session: Session,
    versions: Sequence[DocumentVersionRow],
    scorecard: Scorecard,
    *,
    implemented_score: float = IMPLEMENTED_SCORE,
) -> GapAnalysis:
    """Mandatory UNCC articles × coverage, next to the verdicts of their rights criteria."""
    catalogue = Catalogue.load()
    numbers = {c.id: c.number for c in catalogue.criteria}
    articles, warnings = coverage_for_versions(
        session, versions, implemented_score=implemented_score
    )
    rows = []
    for item in articles:
        if not item.mandatory:
            continue
        related = catalogue.article(item.article_id).criteria
        rights = tuple(
            RightsCheck(cid, numbers.get(cid, 0), scorecard.status_of(cid))
            for cid in sorted(related, key=lambda c: numbers.get(c, 0))
        )
        rows.append(
            GapRow(
                article_id=item.article_id,
                number=item.number,
                title=item.title,
                category=item.category,
                obligation=item.obligation,
                coverage=item.status,
                confirmed=item.confirmed,
                provisions=tuple(_implementer(p) for p in item.provisions),
                missing_paragraphs=tuple(item.missing_paragraphs),
                rights=rights,
            )
        )
    return GapAnalysis(rows, implemented_score, warnings)
