"""Stored laws, their versions and provisions, at the addresses reports link to.

``/documents/<doc>@<date>/provisions/<path>`` is the pattern of
:func:`treatywatch.report.links.provision_url`; document ids and provision
paths both contain "/", so one catch-all route splits the address on
``/provisions/``. A provision page puts the law text (evidence spans
marked) beside the articles it is linked to and the findings that cite it,
with review buttons for analysts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatywatch.align.review import alignment_record, find_provision
from treatywatch.assess.model import SEVERITIES, STATUSES
from treatywatch.assess.service import finding_record
from treatywatch.assess.store import provision_keys
from treatywatch.catalogue import Catalogue
from treatywatch.ingest.documents import find_version, list_documents, version_summary
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    DocumentVersionRow,
    FindingRow,
    ProvisionRow,
)
from treatywatch.web.access import allow
from treatywatch.web.ui.highlight import alignment_spans, finding_spans, segments
from treatywatch.web.ui.links import article_url, country_url, ref_url, report_url, version_url
from treatywatch.web.ui.render import DB, UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])
SEPARATOR = "/provisions/"


@router.get("/documents", summary="Stored laws")
def documents(request: Request, session: DB) -> Response:
    records = [
        {
            **d,
            "url": version_url(d["id"], d["latest"]),
            "country_url": country_url(d["country"]),
        }
        for d in list_documents(session)
    ]
    return page(request, "ui/documents.html.j2", {"documents": records}, title="Laws")


allow("public", "GET", "/documents")


@router.get(
    "/documents/{ref:path}",
    summary="A law version (DOC@DATE) or one provision (DOC@DATE/provisions/PATH)",
)
def document_or_provision(request: Request, ref: str, session: DB) -> Response:
    version_ref, sep, path = ref.partition(SEPARATOR)
    if sep and path:
        data = provision_page(session, version_ref, path.strip("/"))
        heading = data["provision"]["heading"] or ""
        label = data["provision"]["label"] or data["provision"]["path"]
        title = f"{label} {heading}".strip() + f" — {data['version']['title']}"
        return page(request, "ui/provision.html.j2", data, title=title)
    data = version_page(session, version_ref.rstrip("/"))
    return page(request, "ui/version.html.j2", data, title=data["version"]["title"])


allow("public", "GET", "/documents/{ref:path}")


def _version_status(session: Session, version: DocumentVersionRow) -> dict[str, Any]:
    ref = f"{version.document_id}@{version.version_date.isoformat()}"
    aligned = session.scalar(
        select(func.count())
        .select_from(AlignmentRunRow)
        .where(AlignmentRunRow.version_id == version.id)
    )
    findings = session.scalar(
        select(func.count()).select_from(FindingRow).where(FindingRow.version_id == version.id)
    )
    return {
        "ref": ref,
        "aligned": bool(aligned),
        "assessed": bool(findings),
        "align_command": f"treatywatch align {ref}",
        "assess_command": f"treatywatch assess {ref}",
    }


def version_page(session: Session, text: str) -> dict[str, Any]:
    version = find_version(session, text)
    summary = version_summary(session, version)
    status = _version_status(session, version)
    counts: dict[int, dict[str, int]] = {}
    for pid, state, n in session.execute(
        select(AlignmentRow.provision_id, AlignmentRow.status, func.count())
        .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
        .where(ProvisionRow.version_id == version.id)
        .group_by(AlignmentRow.provision_id, AlignmentRow.status)
    ):
        counts.setdefault(pid, {})[state] = int(n)
    finding_counts = dict(
        session.execute(
            select(FindingRow.provision_id, func.count())
            .where(FindingRow.version_id == version.id)
            .group_by(FindingRow.provision_id)
        ).all()
    )
    rows = session.scalars(
        select(ProvisionRow)
        .where(ProvisionRow.version_id == version.id, ProvisionRow.depth <= 1)
        .order_by(ProvisionRow.ordinal)
    ).all()
    date = version.version_date.isoformat()
    provisions = [
        {
            "path": row.path,
            "label": row.label,
            "heading": row.heading,
            "kind": row.kind,
            "unit": row.unit,
            "container": row.depth == 0,
            "url": ref_url(f"{version.document_id}@{date}#{row.path}"),
            "alignments": counts.get(row.id, {}),
            "findings": int(finding_counts.get(row.id, 0)),
        }
        for row in rows
    ]
    return {
        "version": {
            **summary,
            "ref": status["ref"],
            "url": version_url(version.document_id, date),
            "country_url": country_url(summary["country"]),
            "report_url": report_url(summary["country"]),
            "versions": [
                {"date": d, "url": version_url(version.document_id, d)} for d in summary["versions"]
            ],
        },
        "status": status,
        "provisions": provisions,
    }


def _subtree(session: Session, version_id: int, row: ProvisionRow) -> list[ProvisionRow]:
    """The provision and its descendants, in document order."""
    rows = session.scalars(
        select(ProvisionRow)
        .where(ProvisionRow.version_id == version_id)
        .order_by(ProvisionRow.ordinal)
    ).all()
    keep = {row.id}
    out = []
    for candidate in rows:
        if candidate.id == row.id or candidate.parent_id in keep:
            keep.add(candidate.id)
            out.append(candidate)
    return out


def _full_text(nodes: list[ProvisionRow]) -> str:
    """Heading, newline, body: the text alignment and assessment offsets point into."""
    top = nodes[0]
    body = "\n".join(n.text for n in nodes if n.text)
    return f"{top.heading}\n{body}" if top.heading else body


def provision_page(session: Session, version_text: str, path: str) -> dict[str, Any]:
    version, row = find_provision(session, f"{version_text}#{path}")
    date = version.version_date.isoformat()
    ref = f"{version.document_id}@{date}#{row.path}"
    nodes = _subtree(session, version.id, row)
    full = _full_text(nodes)
    catalogue = Catalogue.load()
    spans = []
    alignments = []
    for link in session.scalars(
        select(AlignmentRow)
        .where(AlignmentRow.provision_id == row.id)
        .order_by(AlignmentRow.article_id.like("uncc/%").desc(), AlignmentRow.rank, AlignmentRow.id)
    ):
        record = alignment_record(session, link)
        evidence = dict(link.evidence or {})
        record["url"] = article_url(link.article_id)
        record["signals"] = [
            {
                "method": s.get("method"),
                "strength": s.get("strength"),
                "terms": s.get("terms") or [],
                "note": s.get("note"),
            }
            for s in evidence.get("signals") or []
        ]
        record["summary"] = (
            catalogue.article(link.article_id).summary if link.article_id in catalogue else None
        )
        alignments.append(record)
        if link.status in ("accepted", "suggested"):
            spans += alignment_spans(full, evidence, link.article_id)
    keys = provision_keys(session, version)
    findings = []
    for finding in session.scalars(
        select(FindingRow).where(FindingRow.version_id == version.id).order_by(FindingRow.id)
    ):
        cited = any(
            isinstance(e, dict) and e.get("provision") == row.path for e in finding.evidence or []
        )
        if finding.provision_id != row.id and not cited:
            continue
        findings.append(finding_record(finding, f"{version.document_id}@{date}", keys))
        if finding.review_status != "rejected":
            spans += finding_spans(full, row.path, finding.evidence, finding.criterion_id)
    siblings = session.execute(
        select(ProvisionRow.path, ProvisionRow.label, ProvisionRow.heading)
        .where(ProvisionRow.version_id == version.id, ProvisionRow.depth == row.depth)
        .order_by(ProvisionRow.ordinal)
    ).all()
    paths = [s[0] for s in siblings]
    at = paths.index(row.path) if row.path in paths else -1

    def neighbour(i: int) -> dict[str, Any] | None:
        if at < 0 or not 0 <= i < len(siblings):
            return None
        p, label, heading = siblings[i]
        return {
            "path": p,
            "label": label,
            "heading": heading,
            "url": ref_url(f"{version.document_id}@{date}#{p}"),
        }

    parent = session.get(ProvisionRow, row.parent_id) if row.parent_id else None
    status = _version_status(session, version)
    return {
        "version": {
            "document": version.document_id,
            "version_date": date,
            "ref": status["ref"],
            "title": version.document.title,
            "country": version.document.jurisdiction_code,
            "language": version.language or version.document.language,
            "url": version_url(version.document_id, date),
            "country_url": country_url(version.document.jurisdiction_code),
        },
        "status": status,
        "provision": {
            "ref": ref,
            "path": row.path,
            "label": row.label,
            "heading": row.heading,
            "kind": row.kind,
            "unit": row.unit,
            "url": ref_url(ref),
            "text": full,
            "children": [
                {
                    "path": n.path,
                    "label": n.label,
                    "url": ref_url(f"{version.document_id}@{date}#{n.path}"),
                }
                for n in nodes[1:]
                if n.parent_id == row.id
            ],
        },
        "parent": {
            "path": parent.path,
            "label": parent.label,
            "heading": parent.heading,
            "url": ref_url(f"{version.document_id}@{date}#{parent.path}"),
        }
        if parent is not None and parent.depth > 0
        else None,
        "previous": neighbour(at - 1),
        "next": neighbour(at + 1),
        "highlighted": [s.record() for s in segments(full, spans)],
        "alignments": alignments,
        "findings": findings,
        "finding_statuses": list(STATUSES),
        "severities": list(SEVERITIES),
    }
