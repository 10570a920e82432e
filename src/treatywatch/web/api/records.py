"""JSON records of stored things, shared by the API and the UI's JSON twins.

Each function turns one row (or catalogue object) into the plain dict the
API's response model describes. The UI imports these rather than building
its own dicts, so an HTML page and its JSON twin always say the same thing.
Where a domain module already defines the record (catalogue articles,
alignments, findings, cases) it is reused, not re-implemented.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Catalogue, Instrument
from treatywatch.catalogue.loader import article_record
from treatywatch.catalogue.models import Article, Criterion
from treatywatch.store.models import (
    DocumentRow,
    DocumentVersionRow,
    JurisdictionRow,
    ProvisionRow,
    StatusEventRow,
)


def instrument_record(instrument: Instrument) -> dict[str, Any]:
    info = instrument.info
    return {
        "id": info.id,
        "short_title": info.short_title,
        "title": info.title,
        "body": info.body,
        "adopted": info.adopted,
        "opened_for_signature": info.opened_for_signature,
        "in_force": info.in_force,
        "article_count": info.article_count,
        "languages": list(info.languages),
        "chapters": [{"number": c.number, "title": c.title} for c in instrument.chapters],
    }


def article_out(article: Article, catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue's article record, with each counterpart's title for display."""
    record = article_record(article, catalogue)
    for counterpart in record["counterparts"]:
        other = counterpart["id"]
        counterpart["title"] = catalogue.article(other).title if other in catalogue else None
    return record


def criterion_record(criterion: Criterion) -> dict[str, Any]:
    return criterion.model_dump(mode="json")


def jurisdiction_record(row: JurisdictionRow, documents: int) -> dict[str, Any]:
    return {
        "code": row.code,
        "alpha2": row.alpha2,
        "numeric": row.numeric,
        "name": row.name,
        "official_name": row.official_name,
        "kind": row.kind,
        "documents": documents,
    }


def document_record(row: DocumentRow) -> dict[str, Any]:
    versions = [v.version_date for v in row.versions]
    return {
        "id": row.id,
        "country": row.jurisdiction_code,
        "title": row.title,
        "doc_type": row.doc_type,
        "language": row.language,
        "versions": versions,
        "latest": versions[-1] if versions else None,
    }


def provision_counts(session: Session, version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    rows = session.execute(
        select(ProvisionRow.version_id, func.count())
        .where(ProvisionRow.version_id.in_(version_ids))
        .group_by(ProvisionRow.version_id)
    ).all()
    return {int(vid): int(n) for vid, n in rows}


def version_record(row: DocumentVersionRow, provisions: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "document": row.document_id,
        "date": row.version_date,
        "ref": f"{row.document_id}@{row.version_date.isoformat()}",
        "language": row.language,
        "sha256": row.sha256,
        "source_format": row.source_format,
        "provisions": provisions,
    }


def provision_record(row: ProvisionRow, version: DocumentVersionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": f"{version.document_id}@{version.version_date.isoformat()}#{row.path}",
        "version_id": row.version_id,
        "parent_id": row.parent_id,
        "path": row.path,
        "ordinal": row.ordinal,
        "depth": row.depth,
        "unit": row.unit,
        "label": row.label,
        "heading": row.heading,
        "kind": row.kind,
        "text": row.text,
    }


def status_event_record(row: StatusEventRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "country": row.jurisdiction_code,
        "instrument": row.instrument_id,
        "event": row.event,
        "date": row.event_date,
        "date_precision": row.date_precision,
        "marker": row.marker,
        "vote": row.vote,
        "resolution": row.resolution,
        "note": row.note,
        "source_key": row.source_key,
    }
