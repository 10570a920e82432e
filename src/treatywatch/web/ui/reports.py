"""Reports served from the store: ``/reports/<country or DOC>.html`` (and ``.json``).

The page is :func:`treatywatch.report.render.render_html` of
:func:`treatywatch.report.build.build_report` — the very file ``treatywatch
report`` writes — so a report seen in the browser and one archived from
the CLI are the same document. It is self-contained (inline CSS and SVG,
no scripts), which the app's content-security policy allows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from treatywatch.errors import TreatywatchError
from treatywatch.report.build import build_report
from treatywatch.report.render import render_html
from treatywatch.web.access import allow
from treatywatch.web.deps import web_settings
from treatywatch.web.ui.render import UiRoute, wants_json

router = APIRouter(route_class=UiRoute, tags=["ui"])


class UnknownReportError(TreatywatchError):
    """The address names no report format."""


@router.get("/reports/{target:path}", summary="A country or law report (.html or .json)")
def report(request: Request, target: str) -> Response:
    key, dot, suffix = target.rpartition(".")
    if not dot or suffix not in ("html", "json") or not key:
        raise UnknownReportError(
            f"no report at {target[:80]!r}",
            hint="reports are /reports/<COUNTRY>.html or /reports/<DOC@DATE>.html (or .json)",
        )
    data = build_report(key, url=web_settings(request).database_url)
    if suffix == "json" or wants_json(request):
        return JSONResponse(jsonable_encoder(data))
    return HTMLResponse(render_html(data))


allow("public", "GET", "/reports/{target:path}")
