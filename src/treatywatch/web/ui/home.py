"""The home page: what the store holds, and where to go next.

Counts are read live so the page says plainly when nothing has been
ingested, aligned or assessed yet, with the command that does it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatywatch.store.models import (
    AlignmentRow,
    DocumentRow,
    DocumentVersionRow,
    FindingRow,
)
from treatywatch.web.access import allow
from treatywatch.web.ui.render import DB, UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])


def _count(session: Session, column: Any) -> int:
    return int(session.scalar(select(func.count(column))) or 0)


@router.get("/", summary="Home page")
def home(request: Request, session: DB) -> Response:
    data = {
        "laws": _count(session, DocumentRow.id),
        "versions": _count(session, DocumentVersionRow.id),
        "countries": _count(session, func.distinct(DocumentRow.jurisdiction_code)),
        "alignments": dict(
            session.execute(
                select(AlignmentRow.status, func.count()).group_by(AlignmentRow.status)
            ).all()
        ),
        "findings": dict(
            session.execute(
                select(FindingRow.review_status, func.count()).group_by(FindingRow.review_status)
            ).all()
        ),
    }
    return page(request, "ui/home.html.j2", data, title="treatywatch")


allow("public", "GET", "/")
