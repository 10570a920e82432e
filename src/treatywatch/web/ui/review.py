"""The review queue and the review buttons behind it (analysts only).

Decisions go through the domain services (:mod:`treatywatch.align.review`,
:mod:`treatywatch.assess.review`), which write the change and its audit
row in one transaction with the logged-in user as reviewer, so a review
from the web and one from the CLI leave the same trail. Buttons post plain
forms (they work without JavaScript and redirect back); with HTMX the
server answers with the changed item only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from treatywatch.align import review as align_review
from treatywatch.assess import review as finding_review
from treatywatch.assess.model import SEVERITIES, STATUSES
from treatywatch.assess.service import finding_record
from treatywatch.assess.store import provision_keys
from treatywatch.errors import TreatywatchError
from treatywatch.store.models import DocumentRow, DocumentVersionRow, FindingRow
from treatywatch.web.access import allow
from treatywatch.web.deps import web_settings
from treatywatch.web.ui.links import article_url, ref_url
from treatywatch.web.ui.render import DB, UiRoute, is_htmx, page, render, safe_next, wants_json, who

router = APIRouter(route_class=UiRoute, tags=["ui"])
QUEUE_LIMIT = 50
ALIGNMENT_ACTIONS = ("accept", "reject", "override")
FINDING_ACTIONS = ("confirm", "override")
_SEVERITY_ORDER = {s: i for i, s in enumerate(reversed(SEVERITIES))}


class UnknownActionError(TreatywatchError):
    """A review button that does not exist."""


def _alignment_view(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **record,
        "url": article_url(record["article"]),
        "provision_url": ref_url(record["provision"]) if record.get("provision") else None,
    }


def _finding_queue(session: Session, country: str | None, limit: int) -> list[dict[str, Any]]:
    query = (
        select(FindingRow, DocumentVersionRow)
        .join(DocumentVersionRow, DocumentVersionRow.id == FindingRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(FindingRow.review_status == "suggested")
    )
    if country:
        query = query.where(DocumentRow.jurisdiction_code == country.strip().upper())
    severity = case(_SEVERITY_ORDER, value=FindingRow.severity, else_=len(SEVERITIES))
    query = query.order_by(severity, FindingRow.id).limit(limit)
    keys_by_version: dict[int, dict[int | None, str]] = {}
    out = []
    for finding, version in session.execute(query):
        keys = keys_by_version.setdefault(version.id, provision_keys(session, version))
        ref = f"{version.document_id}@{version.version_date.isoformat()}"
        record = finding_record(finding, ref, keys)
        record["provision_url"] = (
            ref_url(f"{ref}#{record['provision']}") if record["provision"] else None
        )
        out.append(record)
    return out


@router.get("/review", summary="Review queue: suggested alignments and findings")
def queue(
    request: Request,
    session: DB,
    country: str | None = None,
    document: str | None = None,
    order: align_review.Order = "uncertain",
) -> Response:
    url = web_settings(request).database_url
    alignments = align_review.queue(
        url, document=document or None, country=country or None, order=order, limit=QUEUE_LIMIT
    )
    data = {
        "filters": {"country": country, "document": document, "order": order},
        "orders": list(align_review.QUEUE_ORDERS),
        "alignments": [_alignment_view(a) for a in alignments],
        "findings": _finding_queue(session, country or None, QUEUE_LIMIT),
        "finding_statuses": list(STATUSES),
        "severities": list(SEVERITIES),
    }
    return page(request, "ui/review.html.j2", data, title="Review queue")


allow("analyst", "GET", "/review")


def _answer(
    request: Request, result: dict[str, Any], fragment: str, item: dict[str, Any], back: str
) -> Response:
    if wants_json(request):
        return JSONResponse(jsonable_encoder(result))
    if is_htmx(request):
        return HTMLResponse(render(request, fragment, item=item, done=result["action"]))
    return RedirectResponse(back, status_code=303)


@router.post(
    "/review/alignments/{alignment_id}/{action}",
    summary="Accept, reject or override a suggested alignment",
)
def review_alignment(
    request: Request,
    alignment_id: int,
    action: str,
    comment: Annotated[str, Form(max_length=2000)] = "",
    article: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if action not in ALIGNMENT_ACTIONS:
        raise UnknownActionError(
            f"unknown review action {action!r}", hint=f"use one of: {', '.join(ALIGNMENT_ACTIONS)}"
        )
    url = web_settings(request).database_url
    reviewer = who(request).username or ""
    note = comment or None
    if action == "accept":
        result = align_review.accept(alignment_id, reviewer, note, url=url)
    elif action == "reject":
        result = align_review.reject(alignment_id, reviewer, note, url=url)
    else:
        if not article.strip():
            raise align_review.ReviewError(
                "an override needs the article the provision implements instead",
                hint="type an article id such as uncc/art-9",
            )
        result = align_review.override(alignment_id, article, reviewer, note, url=url)
    record = result.record()
    item = _alignment_view(record["alignments"][0])
    item["replacement"] = (
        _alignment_view(record["alignments"][1]) if len(record["alignments"]) > 1 else None
    )
    back = safe_next(next, item["provision_url"] or "/review")
    return _answer(request, record, "ui/_alignment_done.html.j2", item, back)


allow("analyst", "POST", "/review/alignments/{alignment_id}/{action}")


@router.post(
    "/review/findings/{finding_id}/{action}",
    summary="Confirm a finding, or override its status/severity with a reason",
)
def review_finding(
    request: Request,
    finding_id: int,
    action: str,
    comment: Annotated[str, Form(max_length=2000)] = "",
    status: Annotated[str, Form(max_length=40)] = "",
    severity: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if action not in FINDING_ACTIONS:
        raise UnknownActionError(
            f"unknown review action {action!r}", hint=f"use one of: {', '.join(FINDING_ACTIONS)}"
        )
    url = web_settings(request).database_url
    reviewer = who(request).username or ""
    if action == "confirm":
        result = finding_review.confirm_finding(
            finding_id, reviewer=reviewer, comment=comment or None, url=url
        )
    else:
        result = finding_review.override_finding(
            finding_id,
            reviewer=reviewer,
            comment=comment,
            status=status or None,
            severity=severity or None,
            url=url,
        )
    record = {"action": action, "finding": result}
    return _answer(request, record, "ui/_finding_done.html.j2", result, safe_next(next, "/review"))


allow("analyst", "POST", "/review/findings/{finding_id}/{action}")
