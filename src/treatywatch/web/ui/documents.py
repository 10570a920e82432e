"""Stored laws, their versions and provisions, at the addresses reports link to.

``/documents/<doc>@<date>/provisions/<path>`` is the pattern of
:func:`treatywatch.report.links.provision_url`; document ids and provision
paths both contain "/", so one catch-all route splits the address on
``/provisions/``. A provision page puts the law text (evidence spans
marked) beside the articles it is linked to and the findings that cite it,
with review buttons for analysts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from treatywatch.align.review import alignment_record, find_provision
from treatywatch.assess.model import SEVERITIES, STATUSES
from treatywatch.assess.service import finding_record
from treatywatch.catalogue import Catalogue
from treatywatch.ingest.documents import find_version, list_documents, version_summary
from treatywatch.store.changes import CATALOGUE, LAWS, version_scope
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    DocumentRow,
    DocumentVersionRow,
    FindingRow,
    ProvisionRow,
)
from treatywatch.web.access import allow
from treatywatch.web.ui.highlight import alignment_spans, finding_spans, segments
from treatywatch.web.ui.links import article_url, country_url, ref_url, report_url, version_url
from treatywatch.web.ui.pagecache import BuiltPage, PageSource, serve_cached
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
async def document_or_provision(request: Request, ref: str) -> Response:
    version_ref, sep, path = ref.partition(SEPARATOR)
    version_ref = version_ref.rstrip("/")

    def source(session: Session) -> PageSource:
        resolved_version(session, version_ref)  # unknown laws: a 404 page before anything else
        if sep and path:
            return provision_source(version_ref, path.strip("/"))
        return version_source(version_ref)

    return await serve_cached(request, source)


def resolved_version(session: Session, text: str) -> DocumentVersionRow:
    """:func:`find_version`, once per session.

    SQLAlchemy's identity map holds rows weakly, so resolving the same
    ``DOC@DATE`` again (route, stamp, page) re-read the law's rows each time;
    the session keeps the resolved version — and its document — alive here.
    """
    memo: dict[str, tuple[DocumentVersionRow, DocumentRow]] = session.info.setdefault(
        "resolved_versions", {}
    )
    if text not in memo:
        version = find_version(session, text)
        memo[text] = (version, version.document)
    return memo[text][0]


def _version_scopes(version_ref: str) -> Callable[[Session], list[str]]:
    def scopes(session: Session) -> list[str]:
        return [version_scope(resolved_version(session, version_ref).id), LAWS, CATALOGUE]

    return scopes


def provision_source(version_ref: str, path: str) -> PageSource:
    """A provision page, buildable without a request."""

    def build(session: Session) -> BuiltPage:
        data = provision_page(session, version_ref, path)
        heading = data["provision"]["heading"] or ""
        label = data["provision"]["label"] or data["provision"]["path"]
        title = f"{label} {heading}".strip() + f" — {data['version']['title']}"
        return BuiltPage("ui/provision.html.j2", data, title)

    return PageSource(_version_scopes(version_ref), build)


def version_source(version_ref: str) -> PageSource:
    """A law version's page, buildable without a request."""

    def build(session: Session) -> BuiltPage:
        data = version_page(session, version_ref)
        return BuiltPage("ui/version.html.j2", data, data["version"]["title"])

    return PageSource(_version_scopes(version_ref), build)


allow("public", "GET", "/documents/{ref:path}")


def _version_status(session: Session, version: DocumentVersionRow) -> dict[str, Any]:
    ref = f"{version.document_id}@{version.version_date.isoformat()}"
    aligned, findings = session.execute(
        select(
            exists().where(AlignmentRunRow.version_id == version.id),
            exists().where(FindingRow.version_id == version.id),
        )
    ).one()
    return {
        "ref": ref,
        "aligned": bool(aligned),
        "assessed": bool(findings),
        "align_command": f"treatywatch align {ref}",
        "assess_command": f"treatywatch assess {ref}",
    }


def version_page(session: Session, text: str) -> dict[str, Any]:
    version = resolved_version(session, text)
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


@dataclass(frozen=True)
class _Node:
    """The columns a provision page needs of one provision (no ORM identity)."""

    id: int
    parent_id: int | None
    path: str
    label: str | None
    heading: str | None
    text: str | None


def _subtree(session: Session, version_id: int, row: ProvisionRow) -> list[_Node]:
    """The provision and its descendants, in document order.

    Ordinals number a law's provisions in document order, so a subtree is the
    run of rows that starts at the provision and ends at the first row whose
    parent is outside it. Rows are read in growing pages (64, then 1,024,
    then the rest) and reading stops at that row, instead of loading the
    whole law for every provision page. (Pages, not a streaming cursor:
    PostgreSQL would open a server-side cursor for that, several round trips
    for a handful of rows.)
    """
    keep = {row.id}
    out: list[_Node] = []
    start = row.ordinal
    for size in (64, 1024, None):
        query = (
            select(
                ProvisionRow.id,
                ProvisionRow.parent_id,
                ProvisionRow.path,
                ProvisionRow.label,
                ProvisionRow.heading,
                ProvisionRow.text,
                ProvisionRow.ordinal,
            )
            .where(ProvisionRow.version_id == version_id, ProvisionRow.ordinal >= start)
            .order_by(ProvisionRow.ordinal)
        )
        rows = session.execute(query.limit(size) if size else query).all()
        for candidate in rows:
            node = _Node(*candidate[:6])
            if node.id == row.id or node.parent_id in keep:
                keep.add(node.id)
                out.append(node)
            elif out:
                return out
        if size is None or len(rows) < size:
            break
        start = rows[-1].ordinal + 1
    return out or [_Node(row.id, row.parent_id, row.path, row.label, row.heading, row.text)]


def _neighbours(
    session: Session, version_id: int, row: ProvisionRow
) -> tuple[tuple[str, str | None, str | None] | None, ...]:
    """The provisions just before and after ``row`` at its depth (same law version),
    in one query: the two ordinals are found by subqueries."""
    same_level = (ProvisionRow.version_id == version_id, ProvisionRow.depth == row.depth)
    before = (
        select(func.max(ProvisionRow.ordinal))
        .where(*same_level, ProvisionRow.ordinal < row.ordinal)
        .scalar_subquery()
    )
    after = (
        select(func.min(ProvisionRow.ordinal))
        .where(*same_level, ProvisionRow.ordinal > row.ordinal)
        .scalar_subquery()
    )
    found = session.execute(
        select(ProvisionRow.path, ProvisionRow.label, ProvisionRow.heading, ProvisionRow.ordinal)
        .where(*same_level, ProvisionRow.ordinal.in_([before, after]))
        .order_by(ProvisionRow.ordinal)
    ).all()
    previous = next((tuple(f[:3]) for f in found if f.ordinal < row.ordinal), None)
    following = next((tuple(f[:3]) for f in found if f.ordinal > row.ordinal), None)
    return previous, following  # type: ignore[return-value]


def _full_text(nodes: list[_Node]) -> str:
    """Heading, newline, body: the text alignment and assessment offsets point into."""
    top = nodes[0]
    body = "\n".join(n.text for n in nodes if n.text)
    return f"{top.heading}\n{body}" if top.heading else body


def _paths_of(session: Session, ids: set[int]) -> dict[int | None, str]:
    """Paths of the provisions some findings point at (not the whole law's)."""
    if not ids:
        return {}
    rows = session.execute(
        select(ProvisionRow.id, ProvisionRow.path).where(ProvisionRow.id.in_(sorted(ids)))
    )
    return {pid: path for pid, path in rows}


def provision_page(session: Session, version_text: str, path: str) -> dict[str, Any]:
    version = resolved_version(session, version_text)
    row = session.scalar(
        select(ProvisionRow).where(ProvisionRow.version_id == version.id, ProvisionRow.path == path)
    )
    if row is None:  # the domain's lookup says what is wrong and suggests paths
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
    cited_findings = [
        finding
        for finding in session.scalars(
            select(FindingRow).where(FindingRow.version_id == version.id).order_by(FindingRow.id)
        )
        if finding.provision_id == row.id
        or any(
            isinstance(e, dict) and e.get("provision") == row.path for e in finding.evidence or []
        )
    ]
    keys = _paths_of(session, {f.provision_id for f in cited_findings if f.provision_id})
    findings = []
    for finding in cited_findings:
        findings.append(finding_record(finding, f"{version.document_id}@{date}", keys))
        if finding.review_status != "rejected":
            spans += finding_spans(full, row.path, finding.evidence, finding.criterion_id)

    def neighbour(found: tuple[str, str | None, str | None] | None) -> dict[str, Any] | None:
        if found is None:
            return None
        p, label, heading = found
        return {
            "path": p,
            "label": label,
            "heading": heading,
            "url": ref_url(f"{version.document_id}@{date}#{p}"),
        }

    before, after = _neighbours(session, version.id, row)
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
        "previous": neighbour(before),
        "next": neighbour(after),
        "highlighted": [s.record() for s in segments(full, spans)],
        "alignments": alignments,
        "findings": findings,
        "finding_statuses": list(STATUSES),
        "severities": list(SEVERITIES),
    }
