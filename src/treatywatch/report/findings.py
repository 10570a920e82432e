"""Stored findings as plain records, with the provision and law they cite.

Reports read findings from the store, not from the assessment engine, so
what a report shows is exactly what an analyst can review and what the
audit log covers. A finding a reviewer *rejected* is kept out of every
verdict (a person said it is wrong) but still counted, so a report can say
how much was thrown out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.report.links import provision_anchor, provision_url
from treatywatch.store.models import DocumentVersionRow, FindingRow, ProvisionRow

REVIEWED = ("accepted", "overridden")
REJECTED = "rejected"


@dataclass(frozen=True)
class VersionRef:
    """One dated law version, as reports cite it."""

    version_id: int
    document_id: str
    version_date: str
    title: str
    country: str

    @property
    def ref(self) -> str:
        return f"{self.document_id}@{self.version_date}"

    def record(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "document": self.document_id,
            "version_date": self.version_date,
            "ref": self.ref,
            "title": self.title,
            "country": self.country,
        }


def version_ref(version: DocumentVersionRow) -> VersionRef:
    return VersionRef(
        version.id,
        version.document_id,
        version.version_date.isoformat(),
        version.document.title,
        version.document.jurisdiction_code,
    )


@dataclass(frozen=True)
class StoredFinding:
    """A :class:`FindingRow` joined with the provision it is about."""

    id: int
    version: VersionRef
    criterion_id: str
    status: str
    severity: str
    explanation: str
    detector: str
    evidence: tuple[dict[str, Any], ...]
    review_status: str
    reviewer: str | None
    review_comment: str | None
    provision_path: str | None
    provision_label: str | None
    provision_heading: str | None

    @property
    def reviewed(self) -> bool:
        """A person confirmed or corrected it (rejected ones never reach verdicts)."""
        return self.review_status in REVIEWED

    @property
    def rejected(self) -> bool:
        return self.review_status == REJECTED

    def record(self) -> dict[str, Any]:
        link = anchor = None
        if self.provision_path:
            link = provision_url(
                self.version.document_id, self.version.version_date, self.provision_path
            )
            anchor = provision_anchor(
                self.version.document_id, self.version.version_date, self.provision_path
            )
        return {
            "id": self.id,
            "document": self.version.document_id,
            "version_date": self.version.version_date,
            "criterion": self.criterion_id,
            "status": self.status,
            "severity": self.severity,
            "explanation": self.explanation,
            "detector": self.detector,
            "provision": self.provision_path,
            "provision_label": self.provision_label,
            "provision_heading": self.provision_heading,
            "provision_url": link,
            "provision_anchor": anchor,
            "evidence": [_evidence_record(self.version, e) for e in self.evidence],
            "review_status": self.review_status,
            "reviewed": self.reviewed,
            "reviewer": self.reviewer,
            "review_comment": self.review_comment,
        }


def _evidence_record(version: VersionRef, evidence: dict[str, Any]) -> dict[str, Any]:
    """An evidence record with its deep link; the quote is law text, kept as-is (escaped later)."""
    path = evidence.get("provision")
    out = dict(evidence)
    if isinstance(path, str) and path:
        out["url"] = provision_url(version.document_id, version.version_date, path)
        out["anchor"] = provision_anchor(version.document_id, version.version_date, path)
    else:
        out["url"] = out["anchor"] = None
    return out


def findings_for_versions(
    session: Session, version_ids: Sequence[int]
) -> dict[int, list[StoredFinding]]:
    """Findings per version id, in a stable order (criterion, provision order, id)."""
    if not version_ids:
        return {}
    versions = {
        v.id: version_ref(v)
        for v in session.scalars(
            select(DocumentVersionRow).where(DocumentVersionRow.id.in_(list(version_ids)))
        )
    }
    rows = session.execute(
        select(FindingRow, ProvisionRow.path, ProvisionRow.label, ProvisionRow.heading)
        .outerjoin(ProvisionRow, ProvisionRow.id == FindingRow.provision_id)
        .where(FindingRow.version_id.in_(list(version_ids)))
        .order_by(
            FindingRow.version_id,
            FindingRow.criterion_id,
            ProvisionRow.ordinal.is_(None),
            ProvisionRow.ordinal,
            FindingRow.id,
        )
    ).all()
    out: dict[int, list[StoredFinding]] = {vid: [] for vid in version_ids}
    for row, path, label, heading in rows:
        out[row.version_id].append(
            StoredFinding(
                id=row.id,
                version=versions[row.version_id],
                criterion_id=row.criterion_id,
                status=row.status,
                severity=row.severity,
                explanation=row.explanation,
                detector=row.detector,
                evidence=tuple(e for e in (row.evidence or []) if isinstance(e, dict)),
                review_status=row.review_status,
                reviewer=row.reviewer,
                review_comment=row.review_comment,
                provision_path=path,
                provision_label=label,
                provision_heading=heading,
            )
        )
    return out
