"""Countries side by side, sortable by any column, with CSV and JSON exports.

The matrix is :func:`treatywatch.report.compare.compare` — the same code
as ``treatywatch compare`` — so the web table, its CSV and the CLI agree.
Sorting happens on the server (column headers are links), which keeps the
table usable without JavaScript and makes every sorted view a shareable URL.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request, Response

from treatywatch.report.compare import By, compare
from treatywatch.report.targets import NoLawsError
from treatywatch.web.access import allow
from treatywatch.web.deps import web_settings
from treatywatch.web.ui.links import article_url, country_url
from treatywatch.web.ui.render import UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])
MAX_COUNTRIES_PARAM = 2000


def _csv(columns: list[tuple[str, str]], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _key, header in columns])
    for row in rows:
        writer.writerow(["" if row.get(key) is None else row.get(key) for key, _h in columns])
    return out.getvalue()


@router.get("/compare", summary="Comparison matrix across countries (html, json or csv)")
def compare_page(
    request: Request,
    by: By = By.CRITERIA,
    sort: str | None = None,
    countries: str = "",
    format: str = "html",
) -> Response:
    codes = [c.strip() for c in countries[:MAX_COUNTRIES_PARAM].split(",") if c.strip()]
    try:
        result = compare(codes, by=by, sort=sort or None, url=web_settings(request).database_url)
    except NoLawsError as exc:
        data: dict[str, Any] = {
            "by": by.value,
            "sort": sort,
            "columns": [],
            "rows": [],
            "warnings": [f"{exc.message}: {exc.hint}"],
        }
        return page(request, "ui/compare.html.j2", data, title="Compare countries")
    columns = [{"key": k, "header": h} for k, h in result.columns]
    if format == "csv":
        body = _csv(result.columns, result.records)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="treatywatch-{by.value}.csv"'},
        )
    rows = [{**r, "url": country_url(r["country"])} for r in result.records]
    data = {
        "by": by.value,
        "sort": sort or ("score" if by is By.CRITERIA else "implemented"),
        "countries": codes,
        "columns": columns,
        "rows": rows,
        "column_urls": {
            c["key"]: article_url(c["key"]) for c in columns if c["key"].startswith("uncc/")
        },
        "warnings": result.warnings,
    }
    return page(request, "ui/compare.html.j2", data, title="Compare countries")


allow("public", "GET", "/compare")
