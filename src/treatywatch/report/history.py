"""Change over time: what a new version of a law did to its verdicts.

When a law is amended, the store holds both texts side by side; once both
have findings, the report shows the verdict on each criterion before and
after, so "the insult offence was repealed" shows up as scope moving from
fails to partly (or not), rather than as two unrelated reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.report.findings import findings_for_versions, version_ref
from treatywatch.report.scorecard import VersionChange, version_change
from treatywatch.store.models import DocumentVersionRow, FindingRow


def assessed_version_ids(session: Session, version_ids: Sequence[int]) -> set[int]:
    """The subset of ``version_ids`` with at least one stored finding."""
    if not version_ids:
        return set()
    return set(
        session.scalars(
            select(FindingRow.version_id)
            .where(FindingRow.version_id.in_(list(version_ids)))
            .distinct()
        )
    )


def changes_for_documents(session: Session, document_ids: Sequence[str]) -> list[VersionChange]:
    """For each law with two or more assessed versions: the last two, compared."""
    out = []
    for document_id in sorted(set(document_ids)):
        versions = session.scalars(
            select(DocumentVersionRow)
            .where(DocumentVersionRow.document_id == document_id)
            .order_by(DocumentVersionRow.version_date)
        ).all()
        assessed = assessed_version_ids(session, [v.id for v in versions])
        chosen = [v for v in versions if v.id in assessed][-2:]
        if len(chosen) < 2:
            continue
        found = findings_for_versions(session, [v.id for v in chosen])
        before, after = chosen
        out.append(
            version_change(
                version_ref(before), found[before.id], version_ref(after), found[after.id]
            )
        )
    return out
