"""Read a stored law version as the list of provisions alignment works on.

Alignment works on top-level provisions (sections, articles): that is the
unit laws are cited by and the unit the gold labels use. A provision's
text includes its sub-provisions, so "(2) the court may order..." deep in
a section still counts for that section. Containers (parts, chapters)
are not aligned themselves; their heading travels with each provision as
context ("Part IV — Procedural powers").
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.align.model import ProvisionText
from treatywatch.ingest.model import Segmentation
from treatywatch.store.models import DocumentVersionRow, ProvisionRow

CONTAINER_DEPTH = 0


def provisions_for_version(session: Session, version: DocumentVersionRow) -> list[ProvisionText]:
    """Top-level provisions of ``version`` in document order, with full text."""
    rows = session.scalars(
        select(ProvisionRow)
        .where(ProvisionRow.version_id == version.id)
        .order_by(ProvisionRow.ordinal)
    ).all()
    language = (version.language or version.document.language or "en").split("-")[0]
    by_id = {row.id: row for row in rows}
    top_of: dict[int, int] = {}
    bodies: dict[int, list[str]] = {}
    order: list[ProvisionRow] = []
    for row in rows:
        if row.depth == CONTAINER_DEPTH:
            continue
        parent = by_id.get(row.parent_id) if row.parent_id else None
        if row.depth == 1 or parent is None or parent.depth == CONTAINER_DEPTH:
            top_of[row.id] = row.id
            order.append(row)
            bodies[row.id] = [row.text] if row.text else []
            continue
        top = top_of.get(parent.id, parent.id)
        top_of[row.id] = top
        if row.text and top in bodies:
            bodies[top].append(row.text)
    out: list[ProvisionText] = []
    for row in order:
        container = by_id.get(row.parent_id) if row.parent_id else None
        container_heading = None
        if container is not None and container.depth == CONTAINER_DEPTH:
            container_heading = (
                " ".join(
                    part
                    for part in (
                        container.label and f"{container.unit} {container.label}",
                        container.heading,
                    )
                    if part
                )
                or None
            )
        out.append(
            ProvisionText(
                key=row.path,
                label=row.label,
                heading=row.heading,
                text="\n".join(bodies[row.id]),
                kind=row.kind,
                language=language,
                container=container_heading or row.container,
                provision_id=row.id,
                details=dict(row.details or {}),
            )
        )
    return out


def provisions_from_segmentation(
    segmentation: Segmentation, language: str | None
) -> list[ProvisionText]:
    """Top-level provisions of an in-memory segmentation, shaped like the store's."""
    lang = (language or "en").split("-")[0]
    return [
        ProvisionText(
            key=node.path,
            label=node.label,
            heading=node.heading,
            text=node.full_text,
            kind=node.kind,
            language=lang,
            container=node.container,
            details=dict(node.details),
        )
        for node in segmentation.provisions
    ]
