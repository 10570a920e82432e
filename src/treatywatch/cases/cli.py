"""``treatywatch cases``: record, list and export misuse cases with redaction.

``--role`` stands in for the viewer's account until accounts arrive with
the web issue; every listing and export defaults to ``viewer`` (redacted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel

from treatywatch.cases.records import DEFAULT_ROLE
from treatywatch.cases.service import add_case, get_case, import_cases, link_documents, list_cases
from treatywatch.errors import TreatywatchError
from treatywatch.ledger.importer import default_actor
from treatywatch.output import Format, console, emit_records, print_json
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import ROLES

cases_app = typer.Typer(
    help="Documented misuse of cyber laws against people, with access control.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
RoleOpt = Annotated[
    str,
    typer.Option(
        help=f"Viewer role ({', '.join(ROLES)}); stands in for accounts until the web UI.",
    ),
]
CASE_COLUMNS = [
    ("key", "key"),
    ("country", "country"),
    ("date", "date"),
    ("title", "title"),
    ("law", "law"),
    ("provision", "provision"),
    ("tags", "tags"),
    ("sensitivity", "sensitivity"),
]
EXPORT_COLUMNS = [
    *CASE_COLUMNS,
    ("outcome", "outcome"),
    ("summary", "summary"),
    ("sources", "sources"),
    ("restricted", "restricted"),
    ("redacted", "redacted"),
    ("fictional", "fictional"),
]


def _parse_restricted(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise TreatywatchError(
                f"--restricted {item!r} is not FIELD=VALUE", hint="e.g. --restricted names='...'"
            )
        out[key.strip()] = value.strip()
    return out


@cases_app.command("add")
def cases_add(
    country: Annotated[str, typer.Option(help="Country code or name.")],
    title: Annotated[str, typer.Option(help="Short, non-identifying title.")],
    date: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    key: Annotated[str | None, typer.Option(help="Stable id (default: derived).")] = None,
    law: Annotated[str | None, typer.Option(help="Law work id, e.g. ken/act/2018/5.")] = None,
    provision: Annotated[str | None, typer.Option(help="Provision path, e.g. sec-22.")] = None,
    outcome: Annotated[str | None, typer.Option()] = None,
    summary: Annotated[str, typer.Option()] = "",
    tag: Annotated[
        list[str] | None, typer.Option(help="Repeatable: journalist, women, ...")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="Repeatable: URL or reference.")] = None,
    sensitivity: Annotated[
        str, typer.Option(help="public, restricted or confidential.")
    ] = "public",
    restricted: Annotated[
        list[str] | None, typer.Option(help="Repeatable FIELD=VALUE kept restricted (names=...).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record (or update, by key) one case; audit-logged."""
    raw: dict[str, Any] = {
        "key": key,
        "country": country,
        "title": title,
        "date": date,
        "law": law,
        "provision": provision,
        "outcome": outcome,
        "summary": summary,
        "tags": tag or [],
        "sources": source or [],
        "sensitivity": sensitivity,
        "restricted": _parse_restricted(restricted or []),
    }
    result = add_case(raw, actor=default_actor())
    if as_json:
        print_json(result)
        return
    console.print(f"Case [bold]{result['case']['key']}[/] {result['action']}.")
    for warning in result["warnings"]:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


@cases_app.command("import")
def cases_import(
    file: Annotated[Path, typer.Argument(help="YAML (list of cases) or CSV.")],
    as_json: JsonOpt = False,
) -> None:
    """Import cases from a file in one transaction; bad records are listed, not written."""
    report = import_cases(file, actor=default_actor())
    if as_json:
        print_json(report)
        return
    console.print(
        f"Cases: {report['created']} created, {report['updated']} updated, "
        f"{report['unchanged']} unchanged, {len(report['skipped'])} skipped."
    )
    for skip in report["skipped"]:
        console.print(f"[red]skipped[/] {escape(skip['row'])}: {escape(skip['reason'])}")
    for warning in report["warnings"]:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def _filters(
    country: str | None, tag: str | None, law: str | None, provision: str | None
) -> dict[str, Any]:
    return {"country": country, "tag": tag, "law": law, "provision": provision}


@cases_app.command("list")
def cases_list(
    country: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[str | None, typer.Option()] = None,
    law: Annotated[str | None, typer.Option(help="Law work id.")] = None,
    provision: Annotated[str | None, typer.Option(help="Provision path (with --law).")] = None,
    role: RoleOpt = DEFAULT_ROLE,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List cases as the given role may see them."""
    ensure_current()
    with session_scope() as session:
        records = list_cases(session, role=role, **_filters(country, tag, law, provision))
    emit_records(records, CASE_COLUMNS, Format.JSON if as_json else fmt, title="Cases")


@cases_app.command("show")
def cases_show(
    key: Annotated[str, typer.Argument(help="Case key.")],
    role: RoleOpt = DEFAULT_ROLE,
    as_json: JsonOpt = False,
) -> None:
    """One case, redacted for the given role."""
    ensure_current()
    with session_scope() as session:
        record = get_case(session, key, role=role)
    if as_json:
        print_json(record)
        return
    lines = [
        record["title"],
        f"{record['country']} · {record['date'] or 'date unknown'} · {record['sensitivity']}"
        + (" · FICTIONAL" if record["fictional"] else ""),
        f"Law: {record['law'] or '-'} {record['provision'] or ''}"
        + ("" if record["law_in_store"] or not record["law"] else " (not in the store yet)"),
        f"Outcome: {record['outcome'] or '-'}",
        f"Tags: {', '.join(record['tags']) or '-'}",
        f"Sources: {', '.join(record['sources']) or '-'}",
    ]
    if record["restricted"]:
        lines.append(
            "Restricted: " + "; ".join(f"{k}: {v}" for k, v in record["restricted"].items())
        )
    console.print(Panel(escape("\n".join(lines)), title=record["key"], expand=False))
    if record["summary"]:
        console.print(escape(record["summary"]))


@cases_app.command("export")
def cases_export(
    fmt: Annotated[Format, typer.Option("--format", help="csv or json.")] = Format.CSV,
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
    role: RoleOpt = DEFAULT_ROLE,
    country: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export cases (CSV or JSON), redacted unless --role allows more."""
    if as_json:
        fmt = Format.JSON
    if fmt is Format.TABLE:
        raise TreatywatchError(
            "export writes csv or json", hint="use --format csv or --format json"
        )
    ensure_current()
    with session_scope() as session:
        records = list_cases(session, role=role, **_filters(country, tag, None, None))
    if output is None:
        emit_records(records, EXPORT_COLUMNS, fmt)
        return
    from treatywatch.output import to_csv

    if fmt is Format.CSV:
        text = to_csv(records, [k for k, _h in EXPORT_COLUMNS])
    else:
        import json

        text = json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.print(
        f"Exported {len(records)} cases to {output} as {fmt.value} (role {role}"
        + (", redacted)" if any(r["redacted"] for r in records) else ")")
    )


@cases_app.command("link")
def cases_link(as_json: JsonOpt = False) -> None:
    """Connect cases to laws that were ingested after the cases were entered."""
    ensure_current()
    with session_scope() as session:
        result = link_documents(session, actor=default_actor())
    if as_json:
        print_json(result)
        return
    console.print(
        f"Linked {len(result['linked'])} cases; {len(result['pending'])} still cite laws "
        "not in the store."
    )
