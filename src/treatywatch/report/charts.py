"""Charts as inline SVG, drawn here rather than by a charting library.

A report must render with no network and come out byte-identical from the
same store (tests diff two runs), and PDF output goes through the same
HTML. Plain SVG written by a few dozen lines of code meets all three and
lets every mark carry ``data-*`` attributes a test (or a screen reader,
through ``<title>``) can check. All text is escaped as it is written, so
the returned :class:`~markupsafe.Markup` is safe to embed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from treatywatch.report.palette import (
    COVERAGE_COLOURS,
    COVERAGE_MARKS,
    DARK_TEXT_ON,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MARKS,
)

FONT = "font-family=\"'DejaVu Sans', Arial, sans-serif\""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: float, height: float, label: str, body: list[str], kind: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{_e(kind)}" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'role="img" aria-label="{_e(label)}" {FONT} font-size="11">'
        f"<title>{_e(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every piece escaped above


def status_bar_chart(counts: Mapping[str, int], title: str) -> Markup:
    """Vertical bars: how many criteria have each status."""
    statuses = [s for s in STATUS_COLOURS if s in counts]
    top = max([counts[s] for s in statuses] + [1])
    bar_w, gap, plot_h, left, base = 56, 18, 150, 34, 180
    width = left + len(statuses) * (bar_w + gap) + 10
    body = [f'<text x="{left}" y="14" font-weight="bold">{_e(title)}</text>']
    for tick in range(0, top + 1, max(1, top // 4 or 1)):
        y = base - plot_h * tick / top
        body.append(
            f'<line x1="{left - 4}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for i, status in enumerate(statuses):
        x = left + gap / 2 + i * (bar_w + gap)
        h = plot_h * counts[status] / top
        label = STATUS_LABELS[status]
        body.append(
            f'<rect class="bar" data-status="{_e(status)}" data-count="{counts[status]}" '
            f'x="{x:.1f}" y="{base - h:.1f}" width="{bar_w}" height="{h:.1f}" '
            f'fill="{STATUS_COLOURS[status]}" stroke="#555" stroke-width="0.5">'
            f"<title>{_e(label)}: {counts[status]}</title></rect>"
            f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">'
            f"{counts[status]}</text>"
            f'<text x="{x + bar_w / 2:.1f}" y="{base + 14}" text-anchor="middle">{_e(label)}</text>'
        )
    body.append(f'<line x1="{left}" x2="{width - 6}" y1="{base}" y2="{base}" stroke="#333"/>')
    return _svg(width, base + 24, title, body, "status-bars")


@dataclass(frozen=True)
class HeatmapRow:
    key: str  # country code or version ref: goes into data-row
    label: str
    cells: Mapping[str, str]  # column key -> status
    note: str | None = None  # e.g. the score, printed after the label


@dataclass(frozen=True)
class HeatmapColumn:
    key: str
    short: str  # printed above the column ("1", "Art. 7")
    name: str  # full name, in the cell tooltip


def heatmap(
    rows: Sequence[HeatmapRow],
    columns: Sequence[HeatmapColumn],
    title: str,
    *,
    coverage: bool = False,
) -> Markup:
    """Rows × columns coloured by status (rights verdicts, or UNCC coverage)."""
    colours = COVERAGE_COLOURS if coverage else STATUS_COLOURS
    marks = COVERAGE_MARKS if coverage else STATUS_MARKS
    cell, label_w, top = 30, 270, 46
    width = label_w + len(columns) * cell + 10
    height = top + len(rows) * cell + 10
    body = [f'<text x="4" y="14" font-weight="bold">{_e(title)}</text>']
    for j, column in enumerate(columns):
        x = label_w + j * cell + cell / 2
        body.append(
            f'<text class="column" data-column="{_e(column.key)}" x="{x:.1f}" y="{top - 8}" '
            f'text-anchor="middle" font-size="10"><title>{_e(column.name)}</title>'
            f"{_e(column.short)}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * cell
        label = row.label if len(row.label) <= 30 else row.label[:29] + "…"
        note = f" ({row.note})" if row.note else ""
        body.append(
            f'<text class="row" data-row="{_e(row.key)}" x="{label_w - 6}" y="{y + cell / 2 + 4}" '
            f'text-anchor="end">{_e(label)}{_e(note)}<title>{_e(row.label)}</title></text>'
        )
        for j, column in enumerate(columns):
            status = row.cells.get(column.key, "not-assessed" if not coverage else "not-found")
            x = label_w + j * cell
            text_colour = (
                "#222"
                if (coverage and status == "partial") or (not coverage and status in DARK_TEXT_ON)
                else "#fff"
            )
            body.append(
                f'<rect class="cell" data-row="{_e(row.key)}" data-column="{_e(column.key)}" '
                f'data-status="{_e(status)}" x="{x}" y="{y}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="{colours.get(status, "#e0e0e0")}">'
                f"<title>{_e(row.label)} — {_e(column.name)}: {_e(status)}</title></rect>"
                f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" '
                f'text-anchor="middle" fill="{text_colour}" font-weight="bold">'
                f"{_e(marks.get(status, '?'))}</text>"
            )
    return _svg(width, height, title, body, "coverage-heatmap" if coverage else "heatmap")


def legend(kind: str = "status") -> Markup:
    """A one-line legend for the status (or coverage) colours, as SVG."""
    if kind == "coverage":
        items = [(k, COVERAGE_COLOURS[k], COVERAGE_MARKS[k]) for k in COVERAGE_COLOURS]
    else:
        items = [(STATUS_LABELS[k], STATUS_COLOURS[k], STATUS_MARKS[k]) for k in STATUS_COLOURS]
    body, x = [], 4.0
    for label, colour, mark in items:
        body.append(
            f'<rect x="{x:.1f}" y="4" width="14" height="14" fill="{colour}" stroke="#555" '
            f'stroke-width="0.5"/><text x="{x + 18:.1f}" y="15">{_e(mark)} = {_e(label)}</text>'
        )
        x += 30 + 7 * len(label) + 14
    return _svg(x, 22, f"legend: {kind}", body, "legend")
