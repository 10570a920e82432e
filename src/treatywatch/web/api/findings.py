"""Rights findings: list and filter them, and review them (analysts).

Reviews go through :mod:`treatywatch.assess.review` (its own transaction,
audit row with before/after, actor = the logged-in user).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.assess.review import confirm_finding, override_finding
from treatywatch.assess.service import finding_record
from treatywatch.assess.store import version_ref
from treatywatch.ingest.documents import find_version
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow, DocumentVersionRow, FindingRow, ProvisionRow
from treatywatch.web.api.common import DB, RESPONSES, Caller, RowId, StoreUrl, actor_of, rule
from treatywatch.web.api.errors import NotFoundError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, keyset_page, link_header
from treatywatch.web.api.schemas import (
    ConfirmBody,
    FindingOut,
    FindingOverrideBody,
    FindingReviewOut,
    FindingStatus,
    Page,
    ReviewState,
    Severity,
)

router = APIRouter(tags=["findings"], responses=RESPONSES)

FindingSort = Literal["id", "-id", "criterion", "-criterion"]


def finding_records(session: Session, rows: Sequence[FindingRow]) -> list[dict[str, Any]]:
    """Records for a page of findings, with version refs and provision paths in two queries."""
    version_ids = {r.version_id for r in rows}
    versions = {
        v.id: v
        for v in session.scalars(
            select(DocumentVersionRow).where(DocumentVersionRow.id.in_(version_ids))
        )
    }
    provision_ids = {r.provision_id for r in rows if r.provision_id is not None}
    paths: dict[int | None, str] = {
        pid: path
        for pid, path in session.execute(
            select(ProvisionRow.id, ProvisionRow.path).where(ProvisionRow.id.in_(provision_ids))
        )
    }
    return [finding_record(r, version_ref(versions[r.version_id]), paths) for r in rows]


def _not_found(finding_id: int) -> NotFoundError:
    return NotFoundError(
        f"no finding with id {finding_id}",
        hint="list findings with GET /api/v1/findings?document=DOC",
    )


@router.get("/findings", response_model=Page[FindingOut], summary="List findings")
def list_findings(
    request: Request,
    session: DB,
    document: Annotated[
        str | None, Query(max_length=300, description="DOC (latest version) or DOC@DATE.")
    ] = None,
    country: Annotated[str | None, Query(min_length=1, max_length=3)] = None,
    criterion: Annotated[str | None, Query(max_length=60)] = None,
    status: FindingStatus | None = None,
    severity: Severity | None = None,
    review_status: ReviewState | None = None,
    sort: FindingSort = "id",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Verdicts on rights criteria, with explanation and evidence; filters combine."""
    query = select(FindingRow).join(
        DocumentVersionRow, DocumentVersionRow.id == FindingRow.version_id
    )
    if document:
        query = query.where(FindingRow.version_id == find_version(session, document).id)
    if country:
        query = query.join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id).where(
            DocumentRow.jurisdiction_code == country.upper()
        )
    if criterion:
        query = query.where(FindingRow.criterion_id == criterion)
    if status:
        query = query.where(FindingRow.status == status)
    if severity:
        query = query.where(FindingRow.severity == severity)
    if review_status:
        query = query.where(FindingRow.review_status == review_status)
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={"id": FindingRow.id, "criterion": FindingRow.criterion_id},
        tiebreak=FindingRow.id,
        cursor=cursor,
        limit=limit,
    )
    items = finding_records(session, page.items)
    return respond(
        request, page.body(items), model=Page[FindingOut], headers=link_header(request, page)
    )


rule("public", "GET", "/findings")


@router.get("/findings/{finding_id}", response_model=FindingOut, summary="One finding")
def get_finding(request: Request, session: DB, finding_id: RowId) -> Response:
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise _not_found(finding_id)
    return respond(request, finding_records(session, [row])[0], model=FindingOut)


rule("public", "GET", "/findings/{finding_id}")


def _require(url: str, finding_id: int) -> None:
    with session_scope(url) as session:
        if session.get(FindingRow, finding_id) is None:
            raise _not_found(finding_id)


@router.post(
    "/findings/{finding_id}/confirm",
    response_model=FindingReviewOut,
    summary="Confirm a finding",
)
def confirm(
    request: Request, who: Caller, url: StoreUrl, finding_id: RowId, body: ConfirmBody
) -> Response:
    """Mark the machine's verdict as checked by you."""
    _require(url, finding_id)
    result = confirm_finding(finding_id, reviewer=actor_of(who), comment=body.comment, url=url)
    return respond(request, result, model=FindingReviewOut)


rule("analyst", "POST", "/findings/{finding_id}/confirm")


@router.post(
    "/findings/{finding_id}/override",
    response_model=FindingReviewOut,
    summary="Override a finding",
)
def override(
    request: Request, who: Caller, url: StoreUrl, finding_id: RowId, body: FindingOverrideBody
) -> Response:
    """Replace the status and/or severity, with a comment saying why (422 if neither given)."""
    _require(url, finding_id)
    result = override_finding(
        finding_id,
        reviewer=actor_of(who),
        comment=body.comment,
        status=body.status,
        severity=body.severity,
        url=url,
    )
    return respond(request, result, model=FindingReviewOut)


rule("analyst", "POST", "/findings/{finding_id}/override")
