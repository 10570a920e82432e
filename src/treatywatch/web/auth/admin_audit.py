"""Admin pages of the audit log: filter, page through, export everything that matches."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from treatywatch.web.access import allow
from treatywatch.web.auth.audit_query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AuditFilter,
    audit_facets,
    audit_page,
    export_csv,
    export_json,
)
from treatywatch.web.auth.common import Db
from treatywatch.web.deps import web_settings
from treatywatch.web.ui.render import UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["admin"])
BASE = "/admin/audit"
Text = Annotated[str | None, Query(max_length=200)]


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def _filter(
    actor: str | None,
    action: str | None,
    entity_type: str | None,
    entity_id: str | None,
    since: str | None,
    until: str | None,
) -> AuditFilter:
    return AuditFilter(actor, action, entity_type, entity_id, since, until)


@router.get(BASE, summary="The audit log, newest first (filters, cursor; ?format=json for JSON)")
def audit_log(
    request: Request,
    session: Db,
    actor: Text = None,
    action: Text = None,
    entity_type: Text = None,
    entity_id: Text = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    audit_filter = _filter(actor, action, entity_type, entity_id, since, until)
    data = audit_page(session, audit_filter, cursor=cursor, limit=limit)
    params = audit_filter.params()
    data["facets"] = audit_facets(session)
    data["next_url"] = (
        f"{BASE}?{urlencode({**params, 'cursor': data['next'], 'limit': limit})}"
        if data["next"]
        else None
    )
    data["export"] = {
        fmt.value: f"{BASE}/export?{urlencode({**params, 'format': fmt.value})}"
        for fmt in ExportFormat
    }
    return page(request, "auth/admin_audit.html.j2", data, title="Audit log")


allow("admin", "GET", BASE)


@router.get(BASE + "/export", summary="Every matching audit entry, oldest first, as CSV or JSON")
def audit_export(
    request: Request,
    actor: Text = None,
    action: Text = None,
    entity_type: Text = None,
    entity_id: Text = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    format: ExportFormat = ExportFormat.CSV,
) -> Response:
    audit_filter = _filter(actor, action, entity_type, entity_id, since, until)
    audit_filter.select()  # refuse bad dates now, not half-way through the stream
    url = web_settings(request).database_url
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"treatywatch-audit-{stamp}.{format.value}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    if format is ExportFormat.JSON:
        return StreamingResponse(
            export_json(url, audit_filter), media_type="application/json", headers=headers
        )
    return StreamingResponse(
        export_csv(url, audit_filter), media_type="text/csv; charset=utf-8", headers=headers
    )


allow("admin", "GET", BASE + "/export")
