"""Which UNCC articles a law (or a country's laws) implements, partly or not at all.

Rules (documented for users in docs/align.md, "Coverage"):

- Only ``accepted`` and ``suggested`` links count; ``rejected`` and
  ``overridden`` ones are a person saying "no".
- **implemented**: at least one accepted link, or a machine suggestion
  scoring at least ``implemented_score`` (default 0.75: well above the
  suggestion threshold). ``confirmed`` says whether a person accepted it.
- **partial**: only weaker suggestions; or — for an article with several
  mandatory paragraphs — reviewers said which paragraphs the accepted links
  implement and those miss a mandatory paragraph (``missing_paragraphs``).
  Accepted links that name no paragraph do not count as covering any
  specific one: once a reviewer starts naming paragraphs, coverage is read
  from the names.
- **not-found**: no counting link. That is a lead for an analyst, not a
  finding: a law may implement an article in a code the store lacks.

A version never aligned is reported as such (``warnings``) instead of
showing every article as not found.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Catalogue
from treatywatch.catalogue.models import Article, ObligationStrength
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import find_version
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
)

INSTRUMENT = "uncc"
CORE_CATEGORIES = ("criminalization", "jurisdiction", "procedural", "cooperation")
"""Categories shown by default: the articles a national law implements.
General, prevention and final clauses are shown with ``all_articles``."""
IMPLEMENTED_SCORE = 0.75
TABLE_PROVISIONS = 3
STATUSES = ("implemented", "partial", "not-found")
COUNTING = frozenset({"accepted", "suggested"})
"""Review states whose links count towards coverage."""
BINDING = (ObligationStrength.MANDATORY, ObligationStrength.MIXED)


class NoDocumentsError(TreatywatchError):
    """A country has no stored laws to measure coverage on."""


@dataclass(frozen=True)
class Implementer:
    """One provision linked to the article."""

    alignment_id: int
    ref: str  # DOC@DATE#path
    label: str | None
    heading: str | None
    score: float
    status: str  # accepted or suggested
    paragraphs: tuple[str, ...] | None

    def record(self) -> dict[str, Any]:
        return {
            "alignment_id": self.alignment_id,
            "provision": self.ref,
            "label": self.label,
            "heading": self.heading,
            "score": round(self.score, 4),
            "status": self.status,
            "paragraphs": list(self.paragraphs) if self.paragraphs is not None else None,
        }

    def short(self, *, with_document: bool = False, with_heading: bool = True) -> str:
        """``sec-4 Unauthorised access (0.93)``; ✓ marks a link a person accepted."""
        mark = "✓" if self.status == "accepted" else f"{self.score:.2f}"
        version, path = self.ref.split("#", 1)
        where = f"{version.split('@', 1)[0]}#{path}" if with_document else path
        heading = f" {self.heading}" if with_heading and self.heading else ""
        return f"{where}{heading} ({mark})"


@dataclass
class ArticleCoverage:
    article_id: str
    number: int
    title: str
    category: str
    obligation: str
    mandatory_paragraphs: list[str]
    status: str = "not-found"
    confirmed: bool = False
    missing_paragraphs: list[str] = field(default_factory=list)
    provisions: list[Implementer] = field(default_factory=list)

    @property
    def mandatory(self) -> bool:
        return self.obligation in BINDING

    def record(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "number": self.number,
            "title": self.title,
            "category": self.category,
            "obligation": self.obligation,
            "mandatory": self.mandatory,
            "status": self.status,
            "confirmed": self.confirmed,
            "mandatory_paragraphs": self.mandatory_paragraphs,
            "missing_paragraphs": self.missing_paragraphs,
            "provisions": [p.record() for p in self.provisions],
        }

    def row(self, *, compact: bool = False, with_document: bool = False) -> dict[str, Any]:
        """A flat record for CSV, or (``compact``) for a terminal table:
        paths and scores only, at most :data:`TABLE_PROVISIONS` of them."""
        shown = [
            p.short(with_document=with_document, with_heading=not compact) for p in self.provisions
        ]
        if compact and len(shown) > TABLE_PROVISIONS:
            shown = [*shown[:TABLE_PROVISIONS], f"+{len(shown) - TABLE_PROVISIONS} more"]
        return {
            "article": self.article_id,
            "title": self.title,
            "category": self.category,
            "mandatory": "yes" if self.mandatory else "no",
            "status": self.status,
            "confirmed": "yes" if self.confirmed else "no",
            "missing_paragraphs": self.missing_paragraphs,
            "provisions": shown,
        }


@dataclass
class CoverageReport:
    scope: str  # "document" or "country"
    target: str
    versions: list[str]
    articles: list[ArticleCoverage]
    implemented_score: float
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per category (and ``all``): articles by status, and mandatory ones not found."""
        out: dict[str, dict[str, int]] = {}
        for key in (*dict.fromkeys(a.category for a in self.articles), "all"):
            chosen = [a for a in self.articles if key in ("all", a.category)]
            tally = Counter(a.status for a in chosen)
            out[key] = {
                "articles": len(chosen),
                **{status: tally.get(status, 0) for status in STATUSES},
                "mandatory_not_found": sum(
                    1 for a in chosen if a.mandatory and a.status == "not-found"
                ),
            }
        return out

    def record(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "target": self.target,
            "versions": self.versions,
            "implemented_score": self.implemented_score,
            "counts": self.counts(),
            "warnings": self.warnings,
            "articles": [a.record() for a in self.articles],
        }

    def rows(self, *, compact: bool = False) -> list[dict[str, Any]]:
        several = len(self.versions) > 1
        return [a.row(compact=compact, with_document=several) for a in self.articles]


def _mandatory_paragraphs(article: Article) -> list[str]:
    return [o.paragraph for o in article.obligations if o.strength is ObligationStrength.MANDATORY]


def _articles(all_articles: bool) -> list[ArticleCoverage]:
    catalogue = Catalogue.load()
    out = []
    for article in catalogue.articles(instrument=INSTRUMENT):
        if not all_articles and article.category.value not in CORE_CATEGORIES:
            continue
        out.append(
            ArticleCoverage(
                article_id=str(article.id),
                number=article.number,
                title=article.title,
                category=article.category.value,
                obligation=article.obligation.value,
                mandatory_paragraphs=_mandatory_paragraphs(article),
            )
        )
    return out


def _judge(item: ArticleCoverage, implemented_score: float) -> None:
    accepted = [p for p in item.provisions if p.status == "accepted"]
    if accepted:
        item.status, item.confirmed = "implemented", True
        named = [p.paragraphs for p in accepted if p.paragraphs is not None]
        if named and len(item.mandatory_paragraphs) > 1:
            covered = {para for paras in named for para in paras}
            item.missing_paragraphs = [p for p in item.mandatory_paragraphs if p not in covered]
            if item.missing_paragraphs:
                item.status = "partial"
    elif any(p.score >= implemented_score for p in item.provisions):
        item.status = "implemented"
    elif item.provisions:
        item.status = "partial"


def coverage_for_versions(
    session: Session,
    versions: Sequence[DocumentVersionRow],
    *,
    all_articles: bool = False,
    implemented_score: float = IMPLEMENTED_SCORE,
) -> tuple[list[ArticleCoverage], list[str]]:
    """Per-article coverage over ``versions`` together, plus warnings."""
    articles = _articles(all_articles)
    by_id = {a.article_id: a for a in articles}
    refs = {v.id: f"{v.document_id}@{v.version_date.isoformat()}" for v in versions}
    warnings = []
    aligned = set(
        session.scalars(
            select(AlignmentRunRow.version_id).where(AlignmentRunRow.version_id.in_(list(refs)))
        )
    )
    for vid, ref in refs.items():
        if vid not in aligned:
            warnings.append(f"{ref} has never been aligned: run `treatywatch align {ref}`")
    # Only the columns coverage reads: loading whole rows would decode every
    # link's evidence JSON, which made this the costliest part of a country page.
    # Review status is filtered here, not in SQL: almost every link is accepted
    # or suggested, so a status condition would tempt SQLite into scanning the
    # whole status index instead of starting from the versions' provisions.
    rows = session.execute(
        select(
            AlignmentRow.id,
            AlignmentRow.article_id,
            AlignmentRow.score,
            AlignmentRow.status,
            # As text, decoded below only when present: most links name no paragraph.
            AlignmentRow.evidence["paragraphs"].as_string(),
            ProvisionRow.version_id,
            ProvisionRow.path,
            ProvisionRow.label,
            ProvisionRow.heading,
        )
        .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
        .where(
            ProvisionRow.version_id.in_(list(refs)),
            AlignmentRow.article_id.like(f"{INSTRUMENT}/%"),
        )
        .order_by(ProvisionRow.version_id, ProvisionRow.ordinal, AlignmentRow.id)
    )
    for row in rows:
        item = by_id.get(row.article_id)
        if item is None or row.status not in COUNTING:
            continue
        paragraphs = json.loads(row[4]) if row[4] else None
        item.provisions.append(
            Implementer(
                alignment_id=row.id,
                ref=f"{refs[row.version_id]}#{row.path}",
                label=row.label,
                heading=row.heading,
                score=row.score,
                status=row.status,
                paragraphs=tuple(str(p) for p in paragraphs) if paragraphs else None,
            )
        )
    for item in articles:
        item.provisions.sort(key=lambda p: (p.status != "accepted", -p.score))
        _judge(item, implemented_score)
    return articles, warnings


def coverage(
    target: str,
    *,
    url: str | None = None,
    all_articles: bool = False,
    implemented_score: float | None = None,
) -> CoverageReport:
    """Coverage of one law (``DOC`` / ``DOC@DATE``) or a country (``KEN``: latest versions)."""
    threshold = IMPLEMENTED_SCORE if implemented_score is None else implemented_score
    if not 0.0 <= threshold <= 1.0:
        raise TreatywatchError(
            f"implemented score {threshold} is outside 0–1",
            hint="pass a probability, e.g. --min-score 0.75",
        )
    text = target.strip()
    ensure_current(url)
    with session_scope(url) as session:
        if "/" in text:
            version = find_version(session, text)
            versions = [version]
            scope, name = "document", version.document_id
        else:
            code = lookup(text).code
            documents = session.scalars(
                select(DocumentRow)
                .where(DocumentRow.jurisdiction_code == code)
                .order_by(DocumentRow.id)
            ).all()
            versions = [d.versions[-1] for d in documents if d.versions]
            if not versions:
                raise NoDocumentsError(
                    f"no stored laws for {code}",
                    hint=f"ingest one with `treatywatch ingest FILE --country {code}`",
                )
            scope, name = "country", code
        articles, warnings = coverage_for_versions(
            session, versions, all_articles=all_articles, implemented_score=threshold
        )
        return CoverageReport(
            scope=scope,
            target=name,
            versions=[f"{v.document_id}@{v.version_date.isoformat()}" for v in versions],
            articles=articles,
            implemented_score=threshold,
            warnings=warnings,
        )
