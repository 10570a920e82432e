"""Stored laws: documents (works), their dated versions, and provisions.

Ids with slashes (``ken/act/2018/5``) are path tails
(``/documents/ken/act/2018/5``); versions and provisions are addressed by
their numeric ids, or by ref (``DOC@DATE#path``) through
``/provisions/lookup`` — the deep link a citation gives you.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.align.review import alignment_with_evidence, find_provision, run_record
from treatywatch.cases.service import cases_for_provision
from treatywatch.ingest.documents import find_document, find_version, version_summary
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
)
from treatywatch.web.api import records
from treatywatch.web.api.common import DB, MAX_ID, RESPONSES, Caller, RowId, role_of, rule
from treatywatch.web.api.errors import NotFoundError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, keyset_page, link_header
from treatywatch.web.api.schemas import (
    DocumentDetail,
    DocumentOut,
    Page,
    ProvisionDetail,
    ProvisionOut,
    VersionDetail,
    VersionOut,
)

router = APIRouter(tags=["documents"], responses=RESPONSES)

DocumentSort = Literal["id", "-id", "title", "-title", "country", "-country"]
ProvisionSort = Literal["ordinal", "-ordinal", "id", "-id"]
CountryParam = Annotated[
    str | None, Query(min_length=1, max_length=3, description="ISO 3166 alpha-3 code, e.g. KEN.")
]
DocumentParam = Annotated[
    str | None,
    Query(max_length=300, description="DOC (its latest version) or DOC@YYYY-MM-DD."),
]


@router.get("/documents", response_model=Page[DocumentOut], summary="List stored laws")
def list_documents(
    request: Request,
    session: DB,
    country: CountryParam = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    doc_type: Annotated[str | None, Query(max_length=40)] = None,
    sort: DocumentSort = "id",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Laws in the store with their version dates."""
    query = select(DocumentRow)
    if country:
        query = query.where(DocumentRow.jurisdiction_code == country.upper())
    if language:
        query = query.where(DocumentRow.language == language)
    if doc_type:
        query = query.where(DocumentRow.doc_type == doc_type)
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={
            "id": DocumentRow.id,
            "title": DocumentRow.title,
            "country": DocumentRow.jurisdiction_code,
        },
        tiebreak=DocumentRow.id,
        cursor=cursor,
        limit=limit,
    )
    items = [records.document_record(d) for d in page.items]
    return respond(
        request, page.body(items), model=Page[DocumentOut], headers=link_header(request, page)
    )


rule("public", "GET", "/documents")


@router.get(
    "/documents/{document_id:path}", response_model=DocumentDetail, summary="One stored law"
)
def get_document(request: Request, session: DB, document_id: str) -> Response:
    """A law and each of its versions (ids usable with ``/versions/{id}``)."""
    document = find_document(session, document_id)
    versions = list(document.versions)
    counts = records.provision_counts(session, [v.id for v in versions])
    record = {
        **records.document_record(document),
        "version_details": [records.version_record(v, counts.get(v.id, 0)) for v in versions],
    }
    return respond(request, record, model=DocumentDetail)


rule("public", "GET", "/documents/{document_id:path}")


@router.get("/versions", response_model=Page[VersionOut], summary="List law versions")
def list_versions(
    request: Request,
    session: DB,
    document: Annotated[str | None, Query(max_length=200, description="Document id.")] = None,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Dated texts of stored laws, oldest id first."""
    query = select(DocumentVersionRow)
    if document:
        query = query.where(DocumentVersionRow.document_id == find_document(session, document).id)
    page = keyset_page(
        session,
        query,
        sort="id",
        columns={"id": DocumentVersionRow.id},
        tiebreak=DocumentVersionRow.id,
        cursor=cursor,
        limit=limit,
    )
    counts = records.provision_counts(session, [v.id for v in page.items])
    items = [records.version_record(v, counts.get(v.id, 0)) for v in page.items]
    return respond(
        request, page.body(items), model=Page[VersionOut], headers=link_header(request, page)
    )


rule("public", "GET", "/versions")


def _version(session: Session, version_id: int) -> DocumentVersionRow:
    row = session.get(DocumentVersionRow, version_id)
    if row is None:
        raise NotFoundError(
            f"no stored version with id {version_id}",
            hint="list versions with GET /api/v1/versions?document=DOC",
        )
    return row


@router.get("/versions/{version_id}", response_model=VersionDetail, summary="One law version")
def get_version(request: Request, session: DB, version_id: RowId) -> Response:
    """A version's source, provenance and provision counts by kind."""
    version = _version(session, version_id)
    summary = version_summary(session, version)
    counts = records.provision_counts(session, [version.id])
    record = {
        **records.version_record(version, counts.get(version.id, 0)),
        "title": summary["title"],
        "country": summary["country"],
        "source_url": summary["source_url"],
        "source_file": summary["source_file"],
        "retrieved": summary["retrieved"],
        "produced_by": summary["produced_by"],
        "kinds": summary["kinds"],
        "warnings": summary["warnings"],
    }
    return respond(request, record, model=VersionDetail)


rule("public", "GET", "/versions/{version_id}")


@router.get("/provisions", response_model=Page[ProvisionOut], summary="List provisions")
def list_provisions(
    request: Request,
    session: DB,
    version_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    document: DocumentParam = None,
    kind: Annotated[str | None, Query(max_length=30, description="e.g. offence, power.")] = None,
    depth: Annotated[int | None, Query(ge=0, le=20)] = None,
    text: Annotated[
        str | None, Query(max_length=200, description="Case-insensitive part of the text.")
    ] = None,
    sort: ProvisionSort = "ordinal",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Provision nodes (parts, sections, subsections...), in document order by default."""
    query = select(ProvisionRow, DocumentVersionRow).join(
        DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id
    )
    if version_id is not None:
        query = query.where(ProvisionRow.version_id == version_id)
    if document:
        query = query.where(ProvisionRow.version_id == find_version(session, document).id)
    if kind:
        query = query.where(ProvisionRow.kind == kind)
    if depth is not None:
        query = query.where(ProvisionRow.depth == depth)
    if text:
        query = query.where(ProvisionRow.text.icontains(text, autoescape=True))
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={"ordinal": ProvisionRow.ordinal, "id": ProvisionRow.id},
        tiebreak=ProvisionRow.id,
        cursor=cursor,
        limit=limit,
    )
    versions = {
        v.id: v
        for v in session.scalars(
            select(DocumentVersionRow).where(
                DocumentVersionRow.id.in_({p.version_id for p in page.items})
            )
        )
    }
    items = [records.provision_record(p, versions[p.version_id]) for p in page.items]
    return respond(
        request, page.body(items), model=Page[ProvisionOut], headers=link_header(request, page)
    )


rule("public", "GET", "/provisions")


def provision_detail(
    session: Session, version: DocumentVersionRow, provision: ProvisionRow, role: str
) -> dict[str, Any]:
    """A provision with every link to a convention article (with evidence) and its cases."""
    links = session.scalars(
        select(AlignmentRow)
        .where(AlignmentRow.provision_id == provision.id)
        .order_by(AlignmentRow.article_id.like("uncc/%").desc(), AlignmentRow.rank, AlignmentRow.id)
    ).all()
    run = session.scalars(
        select(AlignmentRunRow)
        .where(AlignmentRunRow.version_id == version.id)
        .order_by(AlignmentRunRow.id.desc())
        .limit(1)
    ).first()
    children = session.scalars(
        select(ProvisionRow.path)
        .where(ProvisionRow.parent_id == provision.id)
        .order_by(ProvisionRow.ordinal)
    ).all()
    base = f"{version.document_id}@{version.version_date.isoformat()}"
    return {
        **records.provision_record(provision, version),
        "document": version.document_id,
        "version_date": version.version_date,
        "children": [f"{base}#{path}" for path in children],
        "last_run": run_record(run),
        "alignments": [alignment_with_evidence(session, row) for row in links],
        "cases": cases_for_provision(session, version.document_id, provision.path, role=role),
    }


@router.get(
    "/provisions/lookup",
    response_model=ProvisionDetail,
    summary="A provision by reference (deep link)",
)
def lookup_provision(
    request: Request,
    session: DB,
    who: Caller,
    ref: Annotated[
        str,
        Query(
            min_length=1,
            max_length=600,
            description="DOC@DATE#path, or DOC#path for the latest version "
            "(URL-encode '#' as %23).",
        ),
    ],
) -> Response:
    """The provision a citation names, as in ``/provisions/{id}``."""
    version, provision = find_provision(session, ref)
    return respond(
        request, provision_detail(session, version, provision, role_of(who)), model=ProvisionDetail
    )


rule("public", "GET", "/provisions/lookup")


@router.get(
    "/provisions/{provision_id}",
    response_model=ProvisionDetail,
    summary="One provision with its alignments",
)
def get_provision(request: Request, session: DB, who: Caller, provision_id: RowId) -> Response:
    """Text, sub-provisions, every article it aligns to (with evidence) and cases citing it."""
    provision = session.get(ProvisionRow, provision_id)
    if provision is None:
        raise NotFoundError(
            f"no provision with id {provision_id}",
            hint="find ids with GET /api/v1/provisions?document=DOC",
        )
    version = provision.version
    return respond(
        request, provision_detail(session, version, provision, role_of(who)), model=ProvisionDetail
    )


rule("public", "GET", "/provisions/{provision_id}")
