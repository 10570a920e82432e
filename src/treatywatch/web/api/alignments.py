"""Provision → article links: list and filter them, and review them (analysts).

Review actions call :mod:`treatywatch.align.review`, which runs its own
transaction and writes the audit row (actor = the logged-in user) with
the change; the API adds nothing to the store itself. A review target
that does not exist in the URL is a 404; an unknown article or provision
named in the *body* is a 422 (the request, not the resource, is wrong).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from treatywatch.align import review
from treatywatch.align.review import alignment_record
from treatywatch.errors import UnknownNameError
from treatywatch.ingest.documents import UnknownDocumentError, find_version
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, DocumentRow, DocumentVersionRow, ProvisionRow
from treatywatch.web.api.common import DB, RESPONSES, Caller, RowId, StoreUrl, actor_of, rule
from treatywatch.web.api.errors import InvalidParameterError, NotFoundError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, keyset_page, link_header
from treatywatch.web.api.schemas import (
    AcceptBody,
    AddBody,
    AlignmentDetail,
    AlignmentOut,
    OverrideBody,
    Page,
    RejectBody,
    ReviewResultOut,
    ReviewState,
)

router = APIRouter(tags=["alignments"], responses=RESPONSES)

AlignmentSort = Literal["id", "-id", "score", "-score"]
T = TypeVar("T")


def _require(url: str, alignment_id: int) -> None:
    """404 for the URL's alignment before the body's refs are judged (422)."""
    with session_scope(url) as session:
        if session.get(AlignmentRow, alignment_id) is None:
            raise NotFoundError(
                f"no stored alignment with id {alignment_id}",
                hint="list ids with GET /api/v1/alignments?status=suggested",
            )


def body_refs(action: Callable[[], T]) -> T:
    """Run a review whose body names articles/provisions: unknown ones are a 422."""
    try:
        return action()
    except (UnknownNameError, UnknownDocumentError, review.UnknownProvisionError) as exc:
        raise InvalidParameterError(exc.message, hint=exc.hint) from None


@router.get("/alignments", response_model=Page[AlignmentOut], summary="List alignments")
def list_alignments(
    request: Request,
    session: DB,
    document: Annotated[
        str | None, Query(max_length=300, description="DOC (latest version) or DOC@DATE.")
    ] = None,
    country: Annotated[str | None, Query(min_length=1, max_length=3)] = None,
    article: Annotated[str | None, Query(max_length=60, examples=["uncc/art-7"])] = None,
    instrument: Literal["uncc", "budapest"] | None = None,
    status: ReviewState | None = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    sort: AlignmentSort = "id",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Machine-suggested and reviewed links, filtered; ``status=suggested`` is the review queue."""
    query = (
        select(AlignmentRow)
        .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
        .join(DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
    )
    if document:
        query = query.where(ProvisionRow.version_id == find_version(session, document).id)
    if country:
        query = query.where(DocumentRow.jurisdiction_code == country.upper())
    if article:
        query = query.where(AlignmentRow.article_id == article)
    if instrument:
        query = query.where(AlignmentRow.article_id.startswith(f"{instrument}/"))
    if status:
        query = query.where(AlignmentRow.status == status)
    if min_score is not None:
        query = query.where(AlignmentRow.score >= min_score)
    if max_score is not None:
        query = query.where(AlignmentRow.score <= max_score)
    page = keyset_page(
        session,
        query,
        sort=sort,
        columns={"id": AlignmentRow.id, "score": AlignmentRow.score},
        tiebreak=AlignmentRow.id,
        cursor=cursor,
        limit=limit,
    )
    items = [alignment_record(session, row) for row in page.items]
    return respond(
        request, page.body(items), model=Page[AlignmentOut], headers=link_header(request, page)
    )


rule("public", "GET", "/alignments")


@router.get("/alignments/{alignment_id}", response_model=AlignmentDetail, summary="One alignment")
def get_alignment(request: Request, session: DB, alignment_id: RowId) -> Response:
    """A link with its full evidence (matched terms, spans, rules, reviewer notes)."""
    row = session.get(AlignmentRow, alignment_id)
    if row is None:
        raise NotFoundError(
            f"no stored alignment with id {alignment_id}",
            hint="list ids with GET /api/v1/alignments?status=suggested",
        )
    record = {**alignment_record(session, row), "evidence": dict(row.evidence or {})}
    return respond(request, record, model=AlignmentDetail)


rule("public", "GET", "/alignments/{alignment_id}")


def _result(request: Request, result: review.ReviewResult) -> Response:
    return respond(request, result.record(), model=ReviewResultOut)


@router.post(
    "/alignments/{alignment_id}/accept",
    response_model=ReviewResultOut,
    summary="Accept a suggested link",
)
def accept_alignment(
    request: Request, who: Caller, url: StoreUrl, alignment_id: RowId, body: AcceptBody
) -> Response:
    """Confirm the link, optionally naming the article paragraphs the provision implements."""
    result = review.accept(
        alignment_id, actor_of(who), body.comment, paragraphs=body.paragraphs, url=url
    )
    return _result(request, result)


rule("analyst", "POST", "/alignments/{alignment_id}/accept")


@router.post(
    "/alignments/{alignment_id}/reject",
    response_model=ReviewResultOut,
    summary="Reject a suggested link",
)
def reject_alignment(
    request: Request, who: Caller, url: StoreUrl, alignment_id: RowId, body: RejectBody
) -> Response:
    """Say the link is wrong; the engine will not suggest this pair again."""
    return _result(request, review.reject(alignment_id, actor_of(who), body.comment, url=url))


rule("analyst", "POST", "/alignments/{alignment_id}/reject")


@router.post(
    "/alignments/{alignment_id}/override",
    response_model=ReviewResultOut,
    summary="Replace a link's article",
)
def override_alignment(
    request: Request, who: Caller, url: StoreUrl, alignment_id: RowId, body: OverrideBody
) -> Response:
    """The old link becomes ``overridden``; the link to ``article`` is made or reused, accepted."""
    _require(url, alignment_id)
    result = body_refs(
        lambda: review.override(
            alignment_id,
            body.article,
            actor_of(who),
            body.comment,
            paragraphs=body.paragraphs,
            url=url,
        )
    )
    return _result(request, result)


rule("analyst", "POST", "/alignments/{alignment_id}/override")


@router.post(
    "/alignments", response_model=ReviewResultOut, status_code=201, summary="Add a missed link"
)
def add_alignment(request: Request, who: Caller, url: StoreUrl, body: AddBody) -> Response:
    """Link a provision (``DOC@DATE#path``) to an article the engine did not suggest."""
    result = body_refs(
        lambda: review.add(
            body.provision,
            body.article,
            actor_of(who),
            body.comment,
            paragraphs=body.paragraphs,
            url=url,
        )
    )
    response = _result(request, result)
    response.status_code = 201
    return response


rule("analyst", "POST", "/alignments")
