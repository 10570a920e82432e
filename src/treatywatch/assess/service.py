"""The assessment use cases the CLI (and later the web UI and reports) call.

``assess_document`` runs every detector on one stored version, saves the
findings (keeping reviewed ones) and returns the assessment as it now
stands in the store — reviewed verdicts included, so the scorecard shows
what analysts decided, not only what the machine said.

Decision on unaligned laws: the assessment runs on ingest data alone
(provision kinds, penalties) and says so in a warning, rather than
refusing; alignment only widens which provisions count as offences, powers
and cooperation rules. ``assess_country`` assesses the latest version of
every document of a State; a State with no documents is an error with the
command that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.assess.engine import (
    ENGINE_VERSION,
    Assessment,
    assess_law,
    order_findings,
    scorecard,
    worst_status,
)
from treatywatch.assess.lawview import is_aligned, law_view
from treatywatch.assess.review import get_finding
from treatywatch.assess.store import provision_keys, save_findings, stored_findings, version_ref
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import find_version
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.changes import compact_if_large
from treatywatch.store.models import DocumentRow, DocumentVersionRow, FindingRow

NOT_ALIGNED = "not aligned yet: run `treatywatch align {ref}` for article-based signals"


class NoDocumentsError(TreatywatchError):
    """A State was named that has no stored law to assess."""


@dataclass
class CountryAssessment:
    """Every stored law of one State assessed, and a combined scorecard."""

    country: str
    name: str
    assessments: list[Assessment]
    combined: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "name": self.name,
            "documents": [a.record() for a in self.assessments],
            "combined_scorecard": self.combined,
        }


def _assess_version(session: Session, version: DocumentVersionRow, actor: str) -> Assessment:
    law = law_view(session, version)
    warnings = [] if is_aligned(law) else [NOT_ALIGNED.format(ref=version.document_id)]
    fresh = assess_law(law, warnings=warnings)
    save_findings(
        session,
        version,
        law,
        fresh.findings,
        actor=actor,
        run_info={"engine_version": ENGINE_VERSION, "cues": fresh.cues_fingerprint},
    )
    compact_if_large(session)  # findings are rewritten per run; keep the change log bounded
    stored = stored_findings(session, version, law)
    by_identity = {id(f): fid for fid, f in stored}
    ordered = order_findings(law, [f for _fid, f in stored])
    fresh.findings = ordered
    fresh.finding_ids = [by_identity[id(f)] for f in ordered]
    fresh.scorecard = scorecard(ordered)
    return fresh


def assess_document(
    ref: str, url: str | None = None, *, actor: str = "treatywatch assess"
) -> Assessment:
    """Assess ``DOC`` or ``DOC@DATE`` and store the findings (one transaction)."""
    ensure_current(url)
    with session_scope(url) as session:
        return _assess_version(session, find_version(session, ref), actor)


def assess_country(
    code: str, url: str | None = None, *, actor: str = "treatywatch assess"
) -> CountryAssessment:
    """Assess the latest version of every stored law of one State."""
    jurisdiction = lookup(code)
    ensure_current(url)
    with session_scope(url) as session:
        documents = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.jurisdiction_code == jurisdiction.code)
            .order_by(DocumentRow.id)
        ).all()
        versions = [d.versions[-1] for d in documents if d.versions]
        if not versions:
            raise NoDocumentsError(
                f"no stored law for {jurisdiction.code} ({jurisdiction.name})",
                hint=f"ingest one first: `treatywatch ingest FILE --country {jurisdiction.code}`",
            )
        assessments = [_assess_version(session, v, actor) for v in versions]
    return CountryAssessment(
        jurisdiction.code, jurisdiction.name, assessments, combined_scorecard(assessments)
    )


def combined_scorecard(assessments: list[Assessment]) -> dict[str, Any]:
    """A State's scorecard over all its laws.

    A safeguard may sit in another law of the same State (judicial
    authorization in a procedure code), so a whole-law "not found" finding
    is dropped when another of the State's laws has a finding on that
    criterion that meets or partly meets it; everything else is pooled and
    scored with the same rule as one law.
    """
    pooled = [f for a in assessments for f in a.findings]
    satisfied = {f.criterion_id for f in pooled if f.status in ("meets", "partly")}
    kept = [
        f
        for f in pooled
        if not (
            f.provision_key is None
            and f.status in ("not-addressed", "needs-review")
            and f.criterion_id in satisfied
        )
    ]
    card = scorecard(kept).record()
    card["documents"] = [a.law.document_id for a in assessments]
    card["worst"] = worst_status([c["status"] for c in card["criteria"]])
    return card


def list_findings(
    ref: str,
    url: str | None = None,
    *,
    criterion: str | None = None,
    status: str | None = None,
    review: str | None = None,
) -> list[dict[str, Any]]:
    """Stored findings of a version (or of every law of a country), filtered, as records."""
    ensure_current(url)
    with session_scope(url) as session:
        versions = _versions(session, ref)
        out: list[dict[str, Any]] = []
        for version in versions:
            keys = provision_keys(session, version)
            query = select(FindingRow).where(FindingRow.version_id == version.id)
            if criterion:
                query = query.where(FindingRow.criterion_id == criterion)
            if status:
                query = query.where(FindingRow.status == status)
            if review:
                query = query.where(FindingRow.review_status == review)
            for row in session.scalars(query.order_by(FindingRow.id)):
                out.append(finding_record(row, version_ref(version), keys))
        return out


def _versions(session: Session, ref: str) -> list[DocumentVersionRow]:
    if "/" in ref or "@" in ref:
        return [find_version(session, ref)]
    jurisdiction = lookup(ref)
    documents = session.scalars(
        select(DocumentRow).where(DocumentRow.jurisdiction_code == jurisdiction.code)
    ).all()
    versions = [d.versions[-1] for d in documents if d.versions]
    if not versions:
        raise NoDocumentsError(
            f"no stored law for {jurisdiction.code} ({jurisdiction.name})",
            hint=f"ingest one first: `treatywatch ingest FILE --country {jurisdiction.code}`",
        )
    return versions


def finding_record(row: FindingRow, version: str, keys: dict[int | None, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "version": version,
        "criterion": row.criterion_id,
        "detector": row.detector,
        "provision": keys.get(row.provision_id) if row.provision_id else None,
        "status": row.status,
        "severity": row.severity,
        "review_status": row.review_status,
        "reviewer": row.reviewer,
        "review_comment": row.review_comment,
        "explanation": row.explanation,
        "evidence": row.evidence,
    }


def show_finding(finding_id: int, url: str | None = None) -> dict[str, Any]:
    ensure_current(url)
    with session_scope(url) as session:
        row = get_finding(session, finding_id)
        version = session.get(DocumentVersionRow, row.version_id)
        assert version is not None
        return finding_record(row, version_ref(version), provision_keys(session, version))
