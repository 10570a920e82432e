"""CLI of the assessment stage: ``assess`` and ``findings list|show|confirm|override``.

Thin commands: parse, call one function of :mod:`treatywatch.assess.service`
or :mod:`treatywatch.assess.review`, render. Explanations and quotes are law
text, so they are printed escaped (a law containing "[bold]" prints as is).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Annotated, Any

import typer
from rich.markup import escape

from treatywatch.output import Format, console, emit_records, err_console, print_json, table

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format for tables.")]
findings_app = typer.Typer(help="Stored rights findings: list, show, confirm, override.")

SCORE_COLUMNS = [
    ("number", "#"),
    ("criterion", "criterion"),
    ("status", "status"),
    ("severity", "severity"),
    ("score", "score"),
    ("findings", "findings"),
    ("reviewed", "reviewed"),
]
FINDING_COLUMNS = [
    ("id", "id"),
    ("criterion", "criterion"),
    ("provision", "provision"),
    ("status", "status"),
    ("severity", "severity"),
    ("review_status", "review"),
    ("explanation", "explanation"),
]


def _is_document(target: str) -> bool:
    return "/" in target or "@" in target


def assess_command(
    target: Annotated[str, typer.Argument(help="A document (DOC or DOC@DATE) or a country code.")],
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Check a law (or every law of a State) against the 13 rights criteria; store findings."""
    from treatywatch.assess.service import assess_country, assess_document

    if _is_document(target):
        with _status(f"Assessing {target}…", as_json):
            assessment = assess_document(target)
        records = [assessment.record()]
    else:
        with _status(f"Assessing the laws of {target}…", as_json):
            country = assess_country(target)
        records = [a.record() for a in country.assessments]
        if as_json or fmt is Format.JSON:
            print_json(country.record())
            return
    if as_json or fmt is Format.JSON:
        print_json(records[0])
        return
    for record in records:
        _render(record, fmt)


def _status(message: str, quiet: bool) -> AbstractContextManager[Any]:
    return nullcontext() if quiet else err_console.status(message)


def _render(record: dict[str, Any], fmt: Format) -> None:
    rows = [
        {**c, "criterion": f"{c['criterion']}", "score": _pct(c["score"])}
        for c in record["scorecard"]["criteria"]
    ]
    if fmt is Format.CSV:
        emit_records(rows, SCORE_COLUMNS, fmt)
        return
    for warning in record["warnings"]:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")
    console.print(
        f"[bold]{escape(record['document'])}@{record['version']}[/] "
        f"({escape(record['title'])}): overall score {_pct(record['scorecard']['overall'])}"
    )
    console.print(table(rows, SCORE_COLUMNS, title="Scorecard (status = worst finding)"))
    serious = record["serious_crimes"]
    if serious:
        console.print(
            table(
                [
                    {**s, "content_offence": "yes" if s["content_offence"] else "no"}
                    for s in serious
                ],
                [
                    ("label", "provision"),
                    ("heading", "heading"),
                    ("max_years", "max years"),
                    ("content_offence", "content offence"),
                ],
                title="Serious crimes (≥ 4 years: within UNCC cooperation)",
            )
        )
    problems = [f for f in record["findings"] if f["status"] != "meets"]
    console.print(f"[bold]Findings that do not meet the criterion[/] ({len(problems)}):")
    for finding in problems:
        where = f" {finding['provision']}" if finding["provision"] else ""
        reviewed = (
            "" if finding["review_status"] == "suggested" else f" [{finding['review_status']}]"
        )
        console.print(
            f"  #{finding['id']} {finding['status']}/{finding['severity']} "
            f"{finding['criterion']}{escape(where)}{escape(reviewed)}: "
            f"{escape(finding['explanation'])}"
        )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def findings_list(
    target: Annotated[str, typer.Argument(help="A document (DOC or DOC@DATE) or a country code.")],
    criterion: Annotated[str | None, typer.Option(help="Only this criterion id.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    review: Annotated[
        str | None, typer.Option(help="Only this review state (suggested, accepted, overridden).")
    ] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List stored findings (run `treatywatch assess` first)."""
    from treatywatch.assess.service import list_findings

    records = list_findings(target, criterion=criterion, status=status, review=review)
    if not records and not as_json and fmt is Format.TABLE:
        console.print(
            f"No stored findings for {escape(target)}; run `treatywatch assess {target}`."
        )
        return
    emit_records(records, FINDING_COLUMNS, Format.JSON if as_json else fmt, title="Findings")


def findings_show(
    finding_id: Annotated[int, typer.Argument(help="The finding id (from `findings list`).")],
    as_json: JsonOpt = False,
) -> None:
    """Show one finding with its evidence quotes."""
    from treatywatch.assess.service import show_finding

    record = show_finding(finding_id)
    if as_json:
        print_json(record)
        return
    console.print(
        f"[bold]Finding {record['id']}[/] · {record['criterion']} · {record['status']} "
        f"({record['severity']}) · {record['review_status']}"
    )
    console.print(escape(record["explanation"]))
    evidence = [e for e in record["evidence"] if isinstance(e, dict)]
    if evidence:
        console.print(
            table(evidence, [("label", "provision"), ("cue", "signal"), ("quote", "quote")])
        )


def findings_confirm(
    finding_id: Annotated[int, typer.Argument(help="The finding id.")],
    reviewer: Annotated[str, typer.Option(help="Your name (written to the audit log).")],
    comment: Annotated[str | None, typer.Option(help="Why you agree (optional).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Confirm the machine's verdict on a finding."""
    from treatywatch.assess.review import confirm_finding

    result = confirm_finding(finding_id, reviewer=reviewer, comment=comment)
    if as_json:
        print_json(result)
        return
    console.print(f"Finding {result['id']} confirmed by {escape(result['reviewer'])}.")


def findings_override(
    finding_id: Annotated[int, typer.Argument(help="The finding id.")],
    reviewer: Annotated[str, typer.Option(help="Your name (written to the audit log).")],
    comment: Annotated[str, typer.Option(help="Why the machine verdict is wrong.")],
    status: Annotated[str | None, typer.Option(help="The correct status.")] = None,
    severity: Annotated[str | None, typer.Option(help="The correct severity.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Replace a finding's status and/or severity with your own, with a reason."""
    from treatywatch.assess.review import override_finding

    result = override_finding(
        finding_id, reviewer=reviewer, comment=comment, status=status, severity=severity
    )
    if as_json:
        print_json(result)
        return
    console.print(
        f"Finding {result['id']} overridden by {escape(result['reviewer'])}: "
        f"{result['status']} ({result['severity']})."
    )


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root `treatywatch` app."""
    app.command("assess")(assess_command)
    findings_app.command("list")(findings_list)
    findings_app.command("show")(findings_show)
    findings_app.command("confirm")(findings_confirm)
    findings_app.command("override")(findings_override)
    app.add_typer(findings_app, name="findings")
