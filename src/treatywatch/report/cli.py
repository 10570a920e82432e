"""``treatywatch report`` and ``treatywatch compare``, registered on the root app.

Thin commands: parse options, call :func:`.build.build_report` or
:func:`.compare.compare`, render or write.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from treatywatch.catalogue import Catalogue
from treatywatch.errors import TreatywatchError
from treatywatch.output import Format, console, emit_records, err_console, print_json
from treatywatch.report.build import build_report
from treatywatch.report.compare import By, Comparison, compare
from treatywatch.report.palette import COVERAGE_MARKS, STATUS_MARKS
from treatywatch.report.render import (
    ReportFormat,
    check_output_path,
    default_filename,
    fixed_time,
    render,
    write,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def report_command(
    target: Annotated[
        str | None,
        typer.Argument(help="A country code (KEN) or a law (DOC or DOC@DATE); omit with --global."),
    ] = None,
    everywhere: Annotated[
        bool, typer.Option("--global", help="One report on every country with stored laws.")
    ] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = (
        ReportFormat.HTML
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: stdout; PDF: a file in this folder)."
        ),
    ] = None,
    assess: Annotated[
        bool, typer.Option("--assess", help="Assess laws that have no findings yet, first.")
    ] = False,
    generated_at: Annotated[
        str | None,
        typer.Option(help="Fix the report timestamp (ISO 8601) for reproducible output."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """A published report: summary, scorecard, gap table, evidence, serious crimes, charts."""
    if everywhere == (target is not None):
        raise TreatywatchError(
            "give either a country or law to report on, or --global",
            hint="e.g. `treatywatch report KEN --format html` or `treatywatch report --global`",
        )
    if output is not None:
        check_output_path(output)  # fail before the (slow) build, not after
    data = build_report(target, generated_at=fixed_time(generated_at), assess=assess)
    if as_json and output is None:
        fmt = ReportFormat.JSON
    rendered = render(data, fmt)
    if output is None and fmt is not ReportFormat.PDF:
        sys.stdout.write(rendered.text())
        return
    path = write(rendered, output or Path(default_filename(data, fmt)))
    if as_json:
        print_json({"written": str(path), "format": fmt.value, "bytes": len(rendered.content)})
    else:
        err_console.print(f"Report written to [bold]{path}[/] ({fmt.value}).")


def compare_command(
    countries: Annotated[
        list[str] | None,
        typer.Option(
            "--countries", "-c", help="Country codes, comma-separated or repeated (default: all)."
        ),
    ] = None,
    by: Annotated[By, typer.Option("--by", help="Compare rights criteria or UNCC articles.")] = (
        By.CRITERIA
    ),
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    sort: Annotated[
        str | None,
        typer.Option(help="Column to sort by: score, implemented, country, name, or a column id."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Countries side by side: a matrix of criteria verdicts or of UNCC article coverage."""
    codes = [c.strip() for item in countries or [] for c in item.split(",") if c.strip()]
    result = compare(codes, by=by, sort=sort)
    if as_json or fmt is Format.JSON:
        print_json(result.record())
        return
    title = "Countries × rights criteria" if by is By.CRITERIA else "Countries × UNCC articles"
    records, columns = result.records, result.columns
    if fmt is Format.TABLE:
        records, columns = compact_table(result)
    emit_records(records, columns, fmt, title=title)
    if fmt is Format.TABLE:
        for warning in result.warnings:
            console.print(f"[dim]{escape(warning)}[/]")


def compact_table(result: Comparison) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """A terminal-sized table: marks instead of words (legend printed), and articles as rows.

    Forty-odd UNCC articles never fit across a terminal, while the countries compared
    usually do, so the article matrix is shown transposed; CSV and JSON keep one row per
    country.
    """
    marks = STATUS_MARKS if result.by is By.CRITERIA else COVERAGE_MARKS
    legend = ", ".join(f"{m} = {s}" for s, m in marks.items())
    result.warnings.insert(0, f"legend: {legend}")
    if result.by is By.CRITERIA:
        records = [
            {k: marks.get(v, v) if isinstance(v, str) else v for k, v in r.items()}
            for r in result.records
        ]
        columns = [(k, h.split(".", 1)[0]) for k, h in result.columns if k != "name"]
        return records, columns
    catalogue = Catalogue.load()
    articles = [k for k, _h in result.columns if k.startswith("uncc/")]
    rows = [
        {
            "article": f"{catalogue.article(a).number} {catalogue.article(a).title}",
            **{r["country"]: marks.get(r[a], r[a]) for r in result.records},
        }
        for a in articles
    ]
    rows.append(
        {"article": "implemented", **{r["country"]: r["implemented"] for r in result.records}}
    )
    return rows, [("article", "UNCC article")] + [
        (r["country"], r["country"]) for r in result.records
    ]


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
    app.command("compare")(compare_command)
