"""Build the :class:`LawView` detectors read, from one stored law version.

Provisions come from :func:`provisions_for_version` (the same top-level
units alignment and the gold labels use); alignments from the
``alignments`` table, rejected links left out. A version that was never
aligned still gets a view, with no alignments: detectors then rely on
ingest's provision kinds alone, and :func:`is_aligned` lets callers say so.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.align.provisions import provisions_for_version
from treatywatch.assess.model import AlignedArticle, LawView
from treatywatch.store.models import AlignmentRow, DocumentVersionRow

_CHUNK = 500


def law_view(session: Session, version: DocumentVersionRow) -> LawView:
    provisions = provisions_for_version(session, version)
    key_of = {p.provision_id: p.key for p in provisions if p.provision_id is not None}
    alignments: dict[str, list[AlignedArticle]] = {}
    ids = sorted(key_of)
    for start in range(0, len(ids), _CHUNK):
        rows = session.scalars(
            select(AlignmentRow)
            .where(AlignmentRow.provision_id.in_(ids[start : start + _CHUNK]))
            .order_by(AlignmentRow.provision_id, AlignmentRow.rank, AlignmentRow.article_id)
        )
        for row in rows:
            if row.status == "rejected":
                continue
            alignments.setdefault(key_of[row.provision_id], []).append(
                AlignedArticle(row.article_id, float(row.score), row.status)
            )
    document = version.document
    language = (version.language or document.language or "en").split("-")[0]
    return LawView(
        document_id=document.id,
        version_id=version.id,
        version_date=version.version_date.isoformat(),
        title=document.title,
        country=document.jurisdiction_code,
        language=language,
        provisions=provisions,
        alignments=alignments,
    )


def is_aligned(law: LawView) -> bool:
    """Whether any alignment (suggested or reviewed) exists for the version."""
    return bool(law.alignments)
