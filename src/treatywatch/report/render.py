"""Turn report data into HTML, PDF, Markdown or JSON, and write it safely.

- HTML is self-contained: the stylesheet is inlined, charts and maps are
  inline SVG, and nothing is fetched, so a report opens offline and can be
  archived as one file. Jinja2 autoescaping is on for every template and
  law text is never marked safe; only the SVG this package draws (escaped
  as it is built) and our own stylesheet are.
- PDF is that same HTML through WeasyPrint, so the two never differ.
- Markdown (for GitHub) passes every interpolated value through
  :func:`md_escape`, which neutralises HTML and Markdown syntax in law
  text: GitHub renders raw HTML in Markdown, so an unescaped quote could
  inject markup into a published page.
- JSON is the data dict itself.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from treatywatch.errors import TreatywatchError
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.report.charts import HeatmapColumn, HeatmapRow, heatmap, legend, status_bar_chart
from treatywatch.report.palette import (
    LEDGER_COLOURS,
    NO_DATA,
    STATUS_LABELS,
    score_colour,
)
from treatywatch.report.worldmap import MapDatum, choropleth


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    MD = "md"
    JSON = "json"


class OutputPathError(TreatywatchError):
    """The report cannot be written where the user asked."""


class PdfUnavailableError(TreatywatchError):
    """WeasyPrint (the PDF renderer) is missing or cannot load its system libraries."""


# --- HTML --------------------------------------------------------------------


def _environment(markdown: bool = False) -> Environment:
    env = Environment(
        loader=PackageLoader("treatywatch.report", "templates"),
        # Markdown escapes through md_escape (finalize), which also neutralises HTML.
        autoescape=not markdown,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if markdown else None,
    )
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
    env.filters["pct"] = _pct
    env.filters["share"] = _share
    env.filters["years"] = lambda y: "life" if y >= 99 else f"{y:g} years"
    env.filters["raw"] = MdRaw
    return env


def _pct(value: float | None, digits: int = 0) -> str:
    """A 0–100 score as "43%"."""
    return "—" if value is None else f"{value:.{digits}f}%"


def _share(value: float | None) -> str:
    """A 0–1 fraction as "25%"."""
    return "—" if value is None else f"{100 * value:.0f}%"


def _stylesheet() -> Markup:
    css = resources.files("treatywatch.report").joinpath("static/report.css")
    return Markup(css.read_text(encoding="utf-8"))  # noqa: S704 - our own stylesheet


def _criterion_columns(data: dict[str, Any]) -> list[HeatmapColumn]:
    return [
        HeatmapColumn(c["id"], str(c["number"]), f"{c['number']}. {c['name']}")
        for c in data["methodology"]["criteria"]
    ]


def _country_charts(data: dict[str, Any]) -> dict[str, Markup]:
    counts = {k: v for k, v in data["summary"]["status_counts"].items() if v}
    rows = [
        HeatmapRow(v["ref"], v["title"], v["criteria"], _pct(v["score"], 0))
        for v in data["version_verdicts"]
    ]
    if len(rows) > 1:
        all_laws = {c["criterion"]: c["status"] for c in data["scorecard"]["criteria"]}
        rows.append(
            HeatmapRow("all", "All laws together", all_laws, _pct(data["summary"]["score"], 0))
        )
    return {
        "status_bars": status_bar_chart(counts, "Criteria by status"),
        "heatmap": heatmap(rows, _criterion_columns(data), "Laws × rights criteria"),
        "legend": legend(),
    }


def _numeric(code: str) -> str | None:
    try:
        return lookup(code).numeric
    except TreatywatchError:
        return None


def _global_charts(data: dict[str, Any]) -> dict[str, Any]:
    countries = data["countries"]
    rows = [
        HeatmapRow(c["country"], c["name"], c["criteria"], _pct(c["score"], 0)) for c in countries
    ]
    articles = [
        HeatmapColumn(a["id"], str(a["number"]), f"Art. {a['number']} {a['title']}")
        for a in data["articles"]
    ]
    coverage_rows = [
        HeatmapRow(c["country"], c["name"], c["coverage"], f"{c['implemented']}") for c in countries
    ]
    totals: dict[str, int] = {}
    for c in countries:
        for status, n in c["status_counts"].items():
            totals[status] = totals.get(status, 0) + n
    score_map = choropleth(
        [
            MapDatum(
                c["country"],
                c["numeric"] or _numeric(c["country"]),
                c["name"],
                score_colour(c["score"]),
                f"score {_pct(c['score'], 0)}",
            )
            for c in countries
        ],
        "Rights score by country",
        [
            ("0%", score_colour(0)),
            ("50%", score_colour(50)),
            ("100%", score_colour(100)),
            ("no data", NO_DATA),
        ],
    )
    status_map = choropleth(
        [
            MapDatum(
                c["country"],
                c["numeric"] or _numeric(c["country"]),
                c["name"],
                LEDGER_COLOURS.get((c["treaty_status"] or {}).get("status", "none"), NO_DATA),
                (c["treaty_status"] or {}).get("status", "no ledger data"),
            )
            for c in countries
        ],
        "UNCC status by country",
        list(LEDGER_COLOURS.items()),
    )
    return {
        "status_bars": status_bar_chart(
            {k: v for k, v in totals.items() if v}, "Verdicts across all countries"
        ),
        "heatmap": heatmap(rows, _criterion_columns(data), "Countries × rights criteria"),
        "coverage_heatmap": heatmap(
            coverage_rows, articles, "Countries × mandatory UNCC articles", coverage=True
        ),
        "legend": legend(),
        "coverage_legend": legend("coverage"),
        "score_map": score_map,
        "status_map": status_map,
    }


def render_html(data: dict[str, Any]) -> str:
    """The self-contained HTML report for ``data`` (from :mod:`.build`)."""
    charts = _global_charts(data) if data["kind"] == "global" else _country_charts(data)
    template = _environment().get_template(
        "global.html.j2" if data["kind"] == "global" else "report.html.j2"
    )
    return template.render(data=data, charts=charts, css=_stylesheet())


# --- Markdown ------------------------------------------------------------------


class MdRaw(str):
    """Markdown this package wrote itself (a link target, a table rule): not escaped."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def md_escape(value: Any) -> Any:
    """Make any value inert in GitHub Markdown: HTML entities, escaped syntax, one line."""
    if isinstance(value, MdRaw):
        return str(value)
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(data: dict[str, Any]) -> str:
    template = _environment(markdown=True).get_template(
        "global.md.j2" if data["kind"] == "global" else "report.md.j2"
    )
    return template.render(data=data)


# --- JSON and PDF ----------------------------------------------------------------


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render_pdf(html: str) -> bytes:
    """PDF bytes from report HTML (WeasyPrint; no network: the HTML fetches nothing)."""
    try:
        weasyprint = importlib.import_module("weasyprint")  # untyped; loads pango via cffi
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            f"PDF output needs WeasyPrint, which could not be loaded ({exc})",
            hint="install it with `pip install weasyprint`, or use --format html",
        ) from None
    pdf = weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse every fetch: a report is self-contained, so any URL is a bug or an injection."""
    raise ValueError(f"report rendering never fetches resources (asked for {url!r})")


# --- writing ------------------------------------------------------------------------


def check_output_path(path: Path) -> Path:
    """Fail early, with a typed error naming the path, if the report cannot be written there."""
    target = path.expanduser()
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputPathError(
            f"cannot write the report to {target}: it is a folder",
            hint=f"give a file name, e.g. --output {target / 'report.html'}",
        )
    if not parent.exists():
        raise OutputPathError(
            f"cannot write the report to {target}: folder {parent} does not exist",
            hint=f"create it first (mkdir -p {parent}) or choose another --output",
        )
    if not parent.is_dir():
        raise OutputPathError(
            f"cannot write the report to {target}: {parent} is not a folder",
            hint="choose an --output inside an existing folder",
        )
    writable = os.access(target, os.W_OK) if target.exists() else os.access(parent, os.W_OK)
    if not writable:
        raise OutputPathError(
            f"cannot write the report to {target}: permission denied",
            hint="choose an --output in a folder you can write to",
        )
    return target


@dataclass(frozen=True)
class Rendered:
    format: ReportFormat
    content: bytes

    def text(self) -> str:
        return self.content.decode("utf-8")


def render(data: dict[str, Any], fmt: ReportFormat) -> Rendered:
    if fmt is ReportFormat.JSON:
        return Rendered(fmt, render_json(data).encode("utf-8"))
    if fmt is ReportFormat.MD:
        return Rendered(fmt, render_markdown(data).encode("utf-8"))
    html = render_html(data)
    if fmt is ReportFormat.PDF:
        return Rendered(fmt, render_pdf(html))
    return Rendered(fmt, html.encode("utf-8"))


def write(rendered: Rendered, path: Path) -> Path:
    """Write atomically (temp file + rename) so a failed run never leaves half a report."""
    target = check_output_path(path)
    temp = target.with_name(f".{target.name}.tmp")
    try:
        temp.write_bytes(rendered.content)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputPathError(
            f"cannot write the report to {target}: {exc.strerror or exc}",
            hint="choose another --output",
        ) from None
    return target


def default_filename(data: dict[str, Any], fmt: ReportFormat) -> str:
    key = re.sub(r"[^A-Za-z0-9]+", "-", str(data["subject"]["key"])).strip("-").lower()
    return f"treatywatch-report-{key}.{fmt.value}"


def fixed_time(text: str | None) -> dt.datetime | None:
    """``--generated-at`` for reproducible reports (an ISO timestamp; UTC if no zone)."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise TreatywatchError(
            f"--generated-at {text!r} is not a timestamp",
            hint="write it as ISO 8601, e.g. 2025-01-31T12:00:00+00:00",
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
