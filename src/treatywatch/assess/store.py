"""Persist findings without ever undoing a reviewer's decision.

A finding is identified, across runs, by (criterion, detector, provision):
the same detector asking the same question of the same provision. A re-run
of the assessment:

- updates a *suggested* finding it produces again, in place (same row id,
  so links and audit entries citing it stay valid);
- deletes a *suggested* finding it no longer produces (a stale verdict would
  still count in the scorecard);
- inserts findings it produces for the first time;
- leaves every reviewed finding (accepted or overridden) untouched, and
  does not add a machine twin beside it.

The run is one audit row (``assess.run``) with the counts, written in the
same transaction, like an alignment run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.assess.model import Evidence, Finding, LawView
from treatywatch.store.models import DocumentVersionRow, FindingRow, ProvisionRow

SUGGESTED = "suggested"
Key = tuple[str, str, int | None]


@dataclass(frozen=True)
class SaveOutcome:
    created: int
    updated: int
    removed: int
    kept_reviewed: int

    def record(self) -> dict[str, Any]:
        return asdict(self)


def version_ref(version: DocumentVersionRow) -> str:
    return f"{version.document_id}@{version.version_date.isoformat()}"


def _key(row: FindingRow) -> Key:
    return (row.criterion_id, row.detector, row.provision_id)


def save_findings(
    session: Session,
    version: DocumentVersionRow,
    law: LawView,
    findings: Sequence[Finding],
    *,
    actor: str = "treatywatch assess",
    run_info: dict[str, Any] | None = None,
) -> SaveOutcome:
    """Write one assessment's findings for ``version`` inside the caller's transaction."""
    ids = {p.key: p.provision_id for p in law.provisions}
    existing = {
        _key(row): row
        for row in session.scalars(select(FindingRow).where(FindingRow.version_id == version.id))
    }
    created = updated = 0
    wanted: set[Key] = set()
    for finding in findings:
        provision_id = ids.get(finding.provision_key) if finding.provision_key else None
        key = (finding.criterion_id, finding.detector, provision_id)
        if key in wanted:
            raise ValueError(f"two findings share the identity {key}")  # a detector bug
        wanted.add(key)
        values = {
            "status": finding.status,
            "severity": finding.severity,
            "explanation": finding.explanation,
            "evidence": [e.record() for e in finding.evidence],
        }
        row = existing.get(key)
        if row is None:
            session.add(
                FindingRow(
                    version_id=version.id,
                    criterion_id=finding.criterion_id,
                    provision_id=provision_id,
                    detector=finding.detector,
                    review_status=SUGGESTED,
                    **values,
                )
            )
            created += 1
        elif row.review_status == SUGGESTED:
            for name, value in values.items():
                setattr(row, name, value)
            updated += 1
    removed = 0
    for key, row in existing.items():
        if row.review_status == SUGGESTED and key not in wanted:
            session.delete(row)
            removed += 1
    kept = sum(1 for row in existing.values() if row.review_status != SUGGESTED)
    outcome = SaveOutcome(created, updated, removed, kept)
    audit.record(
        session,
        actor=actor,
        action="assess.run",
        entity_type="document_version",
        entity_id=version_ref(version),
        before={"findings": len(existing)} if existing else None,
        after={**outcome.record(), "findings": len(findings), **(run_info or {})},
    )
    session.flush()
    return outcome


def stored_findings(
    session: Session, version: DocumentVersionRow, law: LawView
) -> list[tuple[int, Finding]]:
    """The version's stored findings (reviewed ones with the reviewer's verdict), by id."""
    keys = {p.provision_id: p.key for p in law.provisions}
    rows = session.scalars(
        select(FindingRow).where(FindingRow.version_id == version.id).order_by(FindingRow.id)
    ).all()
    return [(row.id, finding_from_row(row, keys)) for row in rows]


def finding_from_row(row: FindingRow, keys: dict[int | None, str]) -> Finding:
    return Finding(
        criterion_id=row.criterion_id,
        status=row.status,
        severity=row.severity,
        explanation=row.explanation,
        detector=row.detector,
        evidence=[_evidence(item) for item in row.evidence or [] if isinstance(item, dict)],
        provision_key=keys.get(row.provision_id) if row.provision_id else None,
        review_status=row.review_status,
        reviewer=row.reviewer,
        review_comment=row.review_comment,
    )


def _evidence(item: dict[str, Any]) -> Evidence:
    return Evidence(
        provision_key=str(item.get("provision") or ""),
        provision_label=item.get("label"),
        heading=item.get("heading"),
        start=int(item.get("start") or 0),
        end=int(item.get("end") or 0),
        quote=str(item.get("quote") or ""),
        cue=str(item.get("cue") or ""),
    )


def provision_keys(session: Session, version: DocumentVersionRow) -> dict[int | None, str]:
    rows = session.execute(
        select(ProvisionRow.id, ProvisionRow.path).where(ProvisionRow.version_id == version.id)
    )
    return {pid: path for pid, path in rows}
