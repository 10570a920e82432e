"""Looking up stored laws: documents, their versions, and one version's tree.

``DOC`` means the latest version, ``DOC@DATE`` one dated version; an
unknown id is a clear error with "did you mean" suggestions. Exports,
diffs and ``treatywatch documents`` all go through here, so they agree on
what "the latest version" is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.model import Segmentation
from treatywatch.ingest.persist import CONTAINER_DEPTH, read_segmentation
from treatywatch.ingest.workid import VersionRef
from treatywatch.store.models import (
    DocumentRow,
    DocumentVersionRow,
    JurisdictionRow,
    ProvenanceRow,
    ProvisionRow,
)
from treatywatch.suggest import close_matches


class UnknownDocumentError(TreatywatchError):
    """No stored document (or version) has this id."""


@dataclass(frozen=True)
class VersionInfo:
    """Everything about one stored version except its provisions."""

    document_id: str
    title: str
    doctype: str
    country: str
    country_alpha2: str | None
    language: str | None
    date: dt.date
    sha256: str
    source_format: str
    source_url: str | None
    source_file: str | None
    retrieved: str | None
    produced_by: str | None
    version_id: int

    @property
    def ref(self) -> str:
        return f"{self.document_id}@{self.date.isoformat()}"

    def record(self) -> dict[str, Any]:
        return {
            "id": self.document_id,
            "version": self.date.isoformat(),
            "title": self.title,
            "country": self.country,
            "language": self.language,
            "sha256": self.sha256,
            "source_format": self.source_format,
            "source_url": self.source_url,
            "source_file": self.source_file,
            "retrieved": self.retrieved,
            "produced_by": self.produced_by,
        }


def find_document(session: Session, document_id: str) -> DocumentRow:
    row = session.get(DocumentRow, document_id)
    if row is None:
        known = session.scalars(select(DocumentRow.id)).all()
        titles = session.execute(select(DocumentRow.title, DocumentRow.id)).all()
        suggestions = close_matches(
            document_id, [(k, k) for k in known] + [(t, i) for t, i in titles]
        )
        hint = (
            f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else "list stored laws with `treatywatch documents list`"
        )
        raise UnknownDocumentError(f"no stored document {document_id!r}", hint=hint)
    return row


def find_version(session: Session, ref: str | VersionRef) -> DocumentVersionRow:
    """The version ``ref`` names: its date, or the latest when no date is given.

    One query (version and document together) when the version exists; the
    slower path below only runs to explain what is missing.
    """
    parsed = VersionRef.parse(ref) if isinstance(ref, str) else ref
    query = (
        select(DocumentVersionRow)
        .join(DocumentVersionRow.document)
        .options(contains_eager(DocumentVersionRow.document))
        .where(DocumentVersionRow.document_id == str(parsed.work))
    )
    if parsed.date is not None:
        query = query.where(DocumentVersionRow.version_date == parsed.date)
    found = session.execute(query.order_by(DocumentVersionRow.version_date.desc()).limit(1)).first()
    if found is not None:
        return found[0]
    document = find_document(session, str(parsed.work))
    versions = list(document.versions)
    if not versions:
        raise UnknownDocumentError(
            f"document {document.id!r} has no stored version",
            hint=f"ingest one with `treatywatch ingest FILE --id {document.id}`",
        )
    if parsed.date is None:
        return versions[-1]
    for version in versions:
        if version.version_date == parsed.date:
            return version
    dates = ", ".join(v.version_date.isoformat() for v in versions)
    raise UnknownDocumentError(
        f"document {document.id!r} has no version dated {parsed.date.isoformat()}",
        hint=f"stored versions: {dates}",
    )


def version_info(session: Session, version: DocumentVersionRow) -> VersionInfo:
    document = version.document
    jurisdiction = session.get(JurisdictionRow, document.jurisdiction_code)
    provenance = (
        session.get(ProvenanceRow, version.provenance_id) if version.provenance_id else None
    )
    return VersionInfo(
        document_id=document.id,
        title=document.title,
        doctype=document.doc_type,
        country=document.jurisdiction_code,
        country_alpha2=jurisdiction.alpha2 if jurisdiction else None,
        language=version.language or document.language,
        date=version.version_date,
        sha256=version.sha256,
        source_format=version.source_format,
        source_url=provenance.source_url if provenance else None,
        source_file=provenance.source_file if provenance else None,
        retrieved=provenance.retrieved if provenance else None,
        produced_by=provenance.produced_by if provenance else None,
        version_id=version.id,
    )


def load_version(session: Session, ref: str | VersionRef) -> tuple[VersionInfo, Segmentation]:
    """One version's facts and its provision tree, read back from the store."""
    version = find_version(session, ref)
    return version_info(session, version), read_segmentation(session, version.id)


def list_documents(session: Session, *, country: str | None = None) -> list[dict[str, Any]]:
    """One record per stored law: id, country, title, language, versions, latest."""
    query = select(DocumentRow).order_by(DocumentRow.jurisdiction_code, DocumentRow.id)
    if country:
        query = query.where(DocumentRow.jurisdiction_code == country.upper())
    records = []
    for document in session.scalars(query):
        versions = list(document.versions)
        latest = versions[-1] if versions else None
        records.append(
            {
                "id": document.id,
                "country": document.jurisdiction_code,
                "title": document.title,
                "language": document.language,
                "versions": [v.version_date.isoformat() for v in versions],
                "latest": latest.version_date.isoformat() if latest else None,
                "provisions": _top_level_count(session, latest.id) if latest else 0,
            }
        )
    return records


def _top_level_count(session: Session, version_id: int) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(ProvisionRow)
        .where(ProvisionRow.version_id == version_id, ProvisionRow.depth == 1)
    )
    return int(count or 0)


def version_summary(session: Session, version: DocumentVersionRow) -> dict[str, Any]:
    """``documents show``: the version's facts, its other versions and counts by kind."""
    info = version_info(session, version)
    kinds = session.execute(
        select(ProvisionRow.kind, func.count())
        .where(ProvisionRow.version_id == version.id, ProvisionRow.depth == 1)
        .group_by(ProvisionRow.kind)
    ).all()
    containers = session.scalar(
        select(func.count())
        .select_from(ProvisionRow)
        .where(ProvisionRow.version_id == version.id, ProvisionRow.depth == CONTAINER_DEPTH)
    )
    return {
        **info.record(),
        "versions": [v.version_date.isoformat() for v in version.document.versions],
        "provisions": sum(int(n) for _k, n in kinds),
        "containers": int(containers or 0),
        "kinds": {k: int(n) for k, n in sorted(kinds)},
        "warnings": list((version.details or {}).get("warnings", [])),
    }
