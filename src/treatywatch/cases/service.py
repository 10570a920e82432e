"""Add, import, find and export misuse cases; count them per provision.

Cases cite a law by its work id (``ken/act/2018/5``) and a provision by its
path in the provision tree (``sec-22``). When the law is in the store the
citation is checked against its provisions (a wrong path is an error with
close matches); when it is not ingested yet the citation is kept as a
reference with a warning, and ``link_documents`` connects it later. Every
write is audit-logged in the same transaction, without restricted values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.cases.input import (
    CaseInput,
    CaseInputError,
    parse_case,
    read_case_file,
    restricted_updates,
)
from treatywatch.cases.records import audit_view, case_record, check_role
from treatywatch.errors import TreatywatchError
from treatywatch.ledger.jurisdictions import ensure_jurisdiction, load_jurisdictions, resolve
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import CaseRow, DocumentRow, DocumentVersionRow, ProvisionRow
from treatywatch.suggest import close_matches


class UnknownCaseError(TreatywatchError):
    """No case with that key."""


class ProvisionNotFoundError(TreatywatchError):
    """A case cites a provision its (stored) law does not have."""


@dataclass
class CaseWriteReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    keys: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "keys": self.keys,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


def _provision_paths(session: Session, document_id: str) -> list[str]:
    return list(
        session.scalars(
            select(ProvisionRow.path)
            .join(DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id)
            .where(DocumentVersionRow.document_id == document_id)
            .distinct()
        )
    )


def check_citation(session: Session, case: CaseInput) -> tuple[str | None, list[str]]:
    """(document_id to link or None, warnings); raises if a stored law lacks the provision."""
    if case.law is None:
        if case.provision:
            return None, [f"case {case.key}: provision {case.provision!r} given without a law"]
        return None, []
    document = session.get(DocumentRow, case.law)
    if document is None:
        return None, [
            f"case {case.key}: law {case.law!r} is not in the store yet; the citation is kept "
            "and can be linked with `treatywatch cases link` after ingesting it"
        ]
    warnings = []
    if document.jurisdiction_code != case.country:
        warnings.append(
            f"case {case.key}: law {case.law} belongs to {document.jurisdiction_code}, "
            f"the case to {case.country}"
        )
    if case.provision:
        paths = _provision_paths(session, case.law)
        if paths and case.provision not in paths:
            suggestions = close_matches(case.provision, [(p, p) for p in paths])
            raise ProvisionNotFoundError(
                f"case {case.key}: {case.law} has no provision {case.provision!r}",
                hint=(f"did you mean: {', '.join(suggestions)}? " if suggestions else "")
                + "paths look like "
                + ", ".join(paths[:3]),
            )
        if not paths:
            warnings.append(f"case {case.key}: {case.law} has no provisions stored yet")
    return document.id, warnings


def save_case(session: Session, case: CaseInput, *, actor: str) -> tuple[CaseRow, str, list[str]]:
    """Create or update one case by key; returns (row, created|updated|unchanged, warnings)."""
    document_id, warnings = check_citation(session, case)  # may raise: before any write
    ensure_jurisdiction(session, case.country)
    warnings = case.warnings + warnings
    row = session.scalars(select(CaseRow).where(CaseRow.case_key == case.key)).first()
    before = audit_view(row) if row is not None else None
    restricted, kept = restricted_updates(row.restricted if row else {}, case.restricted)
    warnings += [
        f"case {case.key}: restricted field {k!r} reads REDACTED (an export?); "
        "the stored value was kept"
        for k in kept
    ]
    values = {
        "jurisdiction_code": case.country,
        "title": case.title,
        "event_date": case.date,
        "document_ref": case.law,
        "document_id": document_id,
        "provision_path": case.provision,
        "outcome": case.outcome,
        "summary": case.summary,
        "tags": case.tags,
        "sources": case.sources,
        "sensitivity": case.sensitivity,
        "restricted": restricted,
    }
    if row is None:
        row = CaseRow(case_key=case.key, **values)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="case.create",
            entity_type="case",
            entity_id=case.key,
            after=audit_view(row),
        )
        return row, "created", warnings
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if not changed:
        return row, "unchanged", warnings
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="case.update",
        entity_type="case",
        entity_id=case.key,
        before=before,
        after=audit_view(row),
    )
    return row, "updated", warnings


def add_case(raw: dict[str, Any], *, actor: str, url: str | None = None) -> dict[str, Any]:
    """``treatywatch cases add``: one case from options, validated and audit-logged."""
    case = parse_case(raw, "case")
    ensure_current(url)
    with session_scope(url) as session:
        row, action, warnings = save_case(session, case, actor=actor)
        record = case_record(row, role="admin")
    return {"action": action, "case": record, "warnings": warnings}


def import_cases(path: Path, *, actor: str, url: str | None = None) -> dict[str, Any]:
    """Import a YAML/CSV case file in one transaction; bad records are skipped and listed."""
    raws = read_case_file(path)
    ensure_current(url)
    report = CaseWriteReport()
    with session_scope(url) as session:
        load_jurisdictions(session)
        seen: dict[str, str] = {}
        for label, raw in raws:
            try:
                case = parse_case(raw, label)
                if case.key in seen:
                    raise CaseInputError(f"{label}: key {case.key!r} repeats {seen[case.key]}")
                seen[case.key] = label
                # save_case validates the citation before it writes anything
                _row, action, warnings = save_case(session, case, actor=actor)
            except (CaseInputError, ProvisionNotFoundError) as exc:
                report.skipped.append({"row": label, "reason": exc.message, "hint": exc.hint or ""})
                continue
            setattr(report, action, getattr(report, action) + 1)
            report.keys.append(case.key)
            report.warnings += warnings
    return report.record()


def _query(
    *,
    country: str | None = None,
    law: str | None = None,
    provision: str | None = None,
    sensitivity: str | None = None,
) -> Any:
    query = select(CaseRow).order_by(
        CaseRow.event_date.is_(None), CaseRow.event_date, CaseRow.case_key
    )
    if country:
        query = query.where(CaseRow.jurisdiction_code == resolve(country).code)
    if law:
        query = query.where(CaseRow.document_ref == law)
    if provision:
        query = query.where(
            or_(CaseRow.provision_path == provision, CaseRow.provision_path.like(f"{provision}/%"))
        )
    if sensitivity:
        query = query.where(CaseRow.sensitivity == sensitivity)
    return query


def list_cases(
    session: Session,
    *,
    role: str = "viewer",
    country: str | None = None,
    tag: str | None = None,
    law: str | None = None,
    provision: str | None = None,
    sensitivity: str | None = None,
) -> list[dict[str, Any]]:
    check_role(role)
    rows = session.scalars(
        _query(country=country, law=law, provision=provision, sensitivity=sensitivity)
    ).all()
    records = [case_record(r, role) for r in rows]
    if tag:
        records = [r for r in records if tag.lower() in r["tags"]]
    return records


def get_case(session: Session, key: str, *, role: str = "viewer") -> dict[str, Any]:
    check_role(role)
    row = session.scalars(select(CaseRow).where(CaseRow.case_key == key.strip().lower())).first()
    if row is None and key.startswith("case-") and key[5:].isdigit():
        row = session.get(CaseRow, int(key[5:]))
    if row is None:
        keys = list(session.scalars(select(CaseRow.case_key).where(CaseRow.case_key.is_not(None))))
        suggestions = close_matches(key, [(k, k) for k in keys if k])
        raise UnknownCaseError(
            f"no case {key!r}",
            hint=(f"did you mean: {', '.join(suggestions)}?" if suggestions else "")
            or "list cases with `treatywatch cases list`",
        )
    return case_record(row, role)


def cases_for_provision(
    session: Session,
    document_id: str,
    path: str,
    *,
    role: str = "viewer",
    include_children: bool = True,
) -> list[dict[str, Any]]:
    """Cases citing this provision (and, by default, its sub-provisions), as ``role`` sees them.

    Reports count these as evidence for a provision's rights findings; the
    count never depends on the role, only what each record shows does.
    """
    check_role(role)
    condition = CaseRow.provision_path == path
    if include_children:
        condition = or_(condition, CaseRow.provision_path.like(f"{path}/%"))
    rows = session.scalars(
        select(CaseRow)
        .where(CaseRow.document_ref == document_id, condition)
        .order_by(CaseRow.event_date.is_(None), CaseRow.event_date, CaseRow.case_key)
    ).all()
    return [case_record(r, role) for r in rows]


def case_counts(session: Session, document_id: str) -> dict[str, int]:
    """Number of cases per cited provision path of one law."""
    counts: dict[str, int] = {}
    for path in session.scalars(
        select(CaseRow.provision_path).where(CaseRow.document_ref == document_id)
    ):
        key = path or ""
        counts[key] = counts.get(key, 0) + 1
    return counts


def link_documents(session: Session, *, actor: str) -> dict[str, Any]:
    """Connect cases to laws ingested since they were entered."""
    linked, pending = [], []
    rows = session.scalars(
        select(CaseRow).where(CaseRow.document_ref.is_not(None), CaseRow.document_id.is_(None))
    ).all()
    for row in rows:
        document = session.get(DocumentRow, row.document_ref)
        if document is None:
            pending.append(row.case_key or f"case-{row.id}")
            continue
        row.document_id = document.id
        linked.append(row.case_key or f"case-{row.id}")
        audit.record(
            session,
            actor=actor,
            action="case.link",
            entity_type="case",
            entity_id=row.case_key or str(row.id),
            after={"document_id": document.id},
        )
    return {"linked": linked, "pending": pending}


def export_records(
    session: Session, *, role: str = "viewer", **filters: Any
) -> list[dict[str, Any]]:
    """Records for CSV/JSON export: redacted for ``viewer`` unless a role is given."""
    return list_cases(session, role=role, **filters)
