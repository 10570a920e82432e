"""CLI commands of the ledger stage, registered on the root app by treatywatch.cli.

Three sub-apps: ``jurisdictions`` (who can be a party), ``ledger`` (status
events, entry into force, conflicts, timelines, feed, diff) and ``cases``
(misuse cases, in ``treatywatch.cases.cli``). Commands stay thin: parse,
call one domain function, render.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel

from treatywatch.cases.cli import cases_app
from treatywatch.config import settings
from treatywatch.errors import TreatywatchError
from treatywatch.ledger import instruments as registry
from treatywatch.ledger.conflicts import find_conflicts
from treatywatch.ledger.importer import default_actor, import_paths
from treatywatch.ledger.jurisdictions import KINDS, known_jurisdictions, load_jurisdictions, resolve
from treatywatch.ledger.status import ledger_status
from treatywatch.ledger.timeline import timeline as state_timeline
from treatywatch.ledger.watch import diff as ledger_diff
from treatywatch.ledger.watch import write_feed
from treatywatch.options import parse_day
from treatywatch.output import Format, console, emit_records, print_json, table
from treatywatch.store import ensure_current, session_scope

ledger_app = typer.Typer(
    help="State status ledger: votes, signatures, ratifications, entry into force.",
    no_args_is_help=True,
)
jurisdictions_app = typer.Typer(
    help="UN Member and observer States and the EU, with names and aliases.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
InstrumentOpt = Annotated[
    str, typer.Option(help="uncc, budapest, budapest-p1, budapest-p2 or untc-<MTDSG no>.")
]
FEED_FILENAME = "ledger-feed.xml"

JURISDICTION_COLUMNS = [("code", "code"), ("name", "name"), ("kind", "kind"), ("alpha2", "α2")]
EVENT_COLUMNS = [
    ("code", "code"),
    ("name", "State"),
    ("instrument", "instrument"),
    ("event", "event"),
    ("date", "date"),
    ("date_precision", "precision"),
    ("detail", "detail"),
    ("source_key", "source"),
]
STATE_COLUMNS = [
    ("code", "code"),
    ("name", "State"),
    ("status", "status"),
    ("signature_date", "signed"),
    ("consent_date", "consent"),
    ("consent_type", "type"),
    ("party_from", "in force for it"),
    ("votes_text", "votes"),
]
CONFLICT_COLUMNS = [
    ("code", "code"),
    ("name", "State"),
    ("instrument", "instrument"),
    ("fact", "fact"),
    ("kinds", "disagreement"),
    ("claims", "what each source says"),
]
TIMELINE_COLUMNS = [("date", "date"), ("type", "type"), ("summary", "what")]


# --- jurisdictions --------------------------------------------------------------------


def _jurisdiction_records(kind: str | None) -> list[dict[str, Any]]:
    if kind is not None and kind not in KINDS:
        raise TreatywatchError(f"unknown kind {kind!r}", hint=f"choose one of: {', '.join(KINDS)}")
    return [j.record() for j in known_jurisdictions([kind] if kind else None)]


@jurisdictions_app.command("list")
def jurisdictions_list(
    kind: Annotated[str | None, typer.Option(help="member, observer, reio or other.")] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Every jurisdiction the ledger tracks (193 members, 2 observers, the EU, ...)."""
    records = _jurisdiction_records(kind)
    emit_records(records, JURISDICTION_COLUMNS, Format.JSON if as_json else fmt, title="States")


@jurisdictions_app.command("show")
def jurisdictions_show(
    state: Annotated[str, typer.Argument(help="A code (KEN, KE) or a name, e.g. 'Viet Nam'.")],
    as_json: JsonOpt = False,
) -> None:
    """One jurisdiction: codes, kind, names in the six UN languages, aliases."""
    record = resolve(state).record()
    if as_json:
        print_json(record)
        return
    console.print(
        Panel(
            f"[bold]{record['name']}[/] ({record['code']}, {record['alpha2'] or '-'}, "
            f"{record['numeric'] or '-'}) · {record['kind']}",
            expand=False,
        )
    )
    rows = [{"lang": k, "name": v} for k, v in record["names"].items()]
    console.print(table(rows, [("lang", "language"), ("name", "name")]))
    if record["aliases"]:
        console.print("Also matched as: " + ", ".join(record["aliases"]))


# --- ledger: states and import ----------------------------------------------------------


@ledger_app.command("states")
def ledger_states(
    kind: Annotated[str | None, typer.Option(help="member, observer, reio or other.")] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Same as `treatywatch jurisdictions list`."""
    jurisdictions_list(kind=kind, fmt=fmt, as_json=as_json)


def init_states(url: str | None = None, actor: str | None = None) -> dict[str, int]:
    ensure_current(url)
    with session_scope(url) as session:
        report = load_jurisdictions(session, actor=actor or default_actor())
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "total": report.total,
    }


@ledger_app.command("init-states")
def ledger_init_states(as_json: JsonOpt = False) -> None:
    """Load every tracked jurisdiction into the store (idempotent)."""
    data = init_states()
    if as_json:
        print_json(data)
        return
    console.print(
        f"Jurisdictions: {data['created']} created, {data['updated']} updated, "
        f"{data['unchanged']} unchanged ({data['total']} in all)."
    )


@ledger_app.command("import")
def ledger_import(
    paths: Annotated[
        list[Path], typer.Argument(help="Status files or folders (XML, HTML, CSV, YAML).")
    ],
    instrument: Annotated[
        str | None,
        typer.Option(help="Instrument for files that do not name one (default uncc for votes)."),
    ] = None,
    source_url: Annotated[
        str | None, typer.Option(help="Where the file came from, if it does not say.")
    ] = None,
    retrieved: Annotated[
        str | None, typer.Option(help="When it was retrieved, e.g. 2026-11-20.")
    ] = None,
    infer_absent: Annotated[
        bool, typer.Option(help="Record UN members missing from a roll call as absent.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import status events; re-importing changes nothing, bad rows are listed."""
    report = import_paths(
        paths,
        instrument=instrument,
        source_url=source_url,
        retrieved=retrieved,
        infer_absent=infer_absent,
    )
    if as_json:
        print_json(report)
        return
    console.print(
        f"Imported [bold]{report['imported']}[/] events ({report['unchanged']} already known, "
        f"{report['instrument_events']} instrument facts), skipped {len(report['skipped'])}, "
        f"{report['conflicts']} conflicts between sources."
    )
    if report["skipped"]:
        rows = [s | {"suggestions": ", ".join(s.get("suggestions", []))} for s in report["skipped"]]
        cols = [("row", "row"), ("reason", "reason"), ("suggestions", "did you mean")]
        if any("file" in s for s in rows):
            cols.insert(0, ("file", "file"))
        console.print(table(rows[:50], cols, title="Skipped rows"))
        if len(rows) > 50:
            console.print(f"... and {len(rows) - 50} more (use --json for all)")
    for warning in report["warnings"]:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


@ledger_app.command("instruments")
def ledger_instruments(fmt: FormatOpt = Format.TABLE, as_json: JsonOpt = False) -> None:
    """Instruments the ledger tracks, with their entry-into-force parameters."""
    records = []
    for item in registry.tracked_instruments().values():
        record = item.record()
        rule = record["entry_into_force_rule"] or {}
        record["threshold"] = rule.get("threshold")
        record["later_party"] = rule.get("later_party_delay")
        records.append(record)
    cols = [
        ("id", "id"),
        ("title", "title"),
        ("opened_for_signature", "opened"),
        ("threshold", "threshold"),
        ("later_party", "later parties"),
    ]
    emit_records(records, cols, Format.JSON if as_json else fmt, title="Instruments")


# --- ledger: views ----------------------------------------------------------------------


@ledger_app.command("events")
def ledger_events(
    instrument: Annotated[str | None, typer.Option(help="Only this instrument.")] = None,
    state: Annotated[str | None, typer.Option(help="Only this State (code or name).")] = None,
    event: Annotated[str | None, typer.Option(help="Only this event type.")] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Status events as stored, each with its source."""
    from treatywatch.ledger.queries import event_records

    ensure_current()
    with session_scope() as session:
        records = event_records(session, instrument=instrument, state=state, event=event)
    emit_records(records, EVENT_COLUMNS, Format.JSON if as_json else fmt, title="Status events")


def _state_rows(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in states:
        rows.append(
            s
            | {
                "signature_date": (s["signature"] or {}).get("date"),
                "consent_date": (s["consent"] or {}).get("date"),
                "consent_type": (s["consent"] or {}).get("type"),
                "votes_text": "; ".join(f"{v['resolution']}: {v['vote']}" for v in s["votes"]),
            }
        )
    return rows


@ledger_app.command("status")
def ledger_status_cmd(
    instrument: InstrumentOpt = "uncc",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date, YYYY-MM-DD.")] = None,
    all_states: Annotated[
        bool, typer.Option(help="List every tracked State, not only those with events.")
    ] = False,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Counts, the actual or projected entry into force, and each State's status."""
    day = parse_day(as_of, "--as-of")
    ensure_current()
    with session_scope() as session:
        data = ledger_status(session, instrument, as_of=day, all_states=all_states)
    if as_json or fmt is Format.JSON:
        print_json(data)
        return
    if fmt is Format.CSV:
        emit_records(_state_rows(data["states"]), STATE_COLUMNS, Format.CSV)
        return
    _render_status(data)


def _render_status(data: dict[str, Any]) -> None:
    eif = data["entry_into_force"]
    if data["entry_into_force_status"] == "not-yet-determined":
        eif_text = (
            f"not yet determined: {data['qualifying_instruments']} of {data['threshold']} "
            "qualifying instruments deposited"
        )
    elif eif:
        eif_text = f"{eif} ({data['entry_into_force_status']})"
    else:
        eif_text = "no rule recorded for this instrument"
    console.print(
        Panel(
            f"[bold]{data['title']}[/] ({data['instrument']}) as of {data['as_of']}\n"
            f"Signatories {data['signatories']} · parties {data['parties']} "
            f"(in force for {data['in_force_for']}) · entry into force: {eif_text}",
            expand=False,
        )
    )
    for fact in data["instrument_events"]:
        if fact["event"] == "status-count":
            console.print(f"Reported by the source: {fact['details']} ({fact['note']})")
    if data["undated"]:
        codes = ", ".join(u["code"] for u in data["undated"])
        console.print(f"[yellow]Not counted (no date in the source):[/] {codes}")
    console.print(table(_state_rows(data["states"]), STATE_COLUMNS, title="States"))


def _conflict_rows(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for c in conflicts:
        claims = "; ".join(
            f"{e['event']} {e['date'] or '?'}"
            + (f" {e['vote']}" if e["vote"] else "")
            + f" ({e['source_key']})"
            for e in c["events"]
        )
        rows.append(c | {"claims": claims})
    return rows


@ledger_app.command("conflicts")
def ledger_conflicts(
    instrument: Annotated[str | None, typer.Option(help="Only this instrument.")] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Facts on which sources disagree (all versions are kept, with provenance)."""
    if instrument:
        instrument = registry.get(instrument).id
    ensure_current()
    with session_scope() as session:
        conflicts = find_conflicts(session, instrument=instrument)
    if as_json or fmt is Format.JSON:
        print_json(conflicts)
        return
    emit_records(_conflict_rows(conflicts), CONFLICT_COLUMNS, fmt, title="Conflicts")
    if fmt is Format.TABLE and not conflicts:
        console.print("No conflicts between sources.")


@ledger_app.command("timeline")
def ledger_timeline(
    state: Annotated[str, typer.Argument(help="A code (KEN) or a name.")],
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """A State's treaty actions, law versions, findings changes and cases, by date."""
    ensure_current()
    with session_scope() as session:
        data = state_timeline(session, state)
    if as_json or fmt is Format.JSON:
        print_json(data)
        return
    emit_records(
        data["items"], TIMELINE_COLUMNS, fmt, title=f"{data['name']} ({data['code']}): timeline"
    )


@ledger_app.command("feed")
def ledger_feed(
    output: Annotated[
        Path | None, typer.Option(help="Atom file to write (default: in the data folder).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only what was recorded since, YYYY-MM-DD.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 200,
    as_json: JsonOpt = False,
) -> None:
    """Write an Atom feed of new status events and new law versions."""
    day = parse_day(since, "--since")
    target = output or settings().data_dir / FEED_FILENAME
    ensure_current()
    with session_scope() as session:
        data = write_feed(session, target, since=day, limit=limit)
    if as_json:
        print_json(data)
        return
    console.print(f"Wrote {data['entries']} entries to [bold]{data['output']}[/].")


@ledger_app.command("diff")
def ledger_diff_cmd(
    since: Annotated[str, typer.Option("--since", help="Start date, YYYY-MM-DD.")],
    until: Annotated[str | None, typer.Option(help="End date (default today).")] = None,
    instrument: Annotated[
        list[str] | None, typer.Option(help="Instrument(s) to compare (default all tracked).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed between two dates: status transitions, dated events, new law versions."""
    start = parse_day(since, "--since")
    assert start is not None
    end = parse_day(until, "--until")
    if end is not None and end < start:
        raise TreatywatchError("--until is before --since", hint="swap the dates")
    wanted = [registry.get(i).id for i in instrument] if instrument else None
    ensure_current()
    with session_scope() as session:
        data = ledger_diff(session, start, until=end, instruments=wanted)
    if as_json:
        print_json(data)
        return
    for item in data["instruments"]:
        console.print(
            f"[bold]{item['instrument']}[/] {data['since']} → {data['until']}: "
            f"{item['before']} → {item['after']}"
        )
        if item["changes"]:
            console.print(
                table(
                    item["changes"],
                    [("code", "code"), ("name", "State"), ("from", "from"), ("to", "to")],
                )
            )
    console.print(
        f"{len(data['events_dated'])} events dated in the period; "
        f"{data['events_recorded']} events and {len(data['law_versions'])} law versions recorded "
        "since the start date."
    )


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root `treatywatch` app."""
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(jurisdictions_app, name="jurisdictions")
    app.add_typer(cases_app, name="cases")


# --- demo -------------------------------------------------------------------------------


def shared_data_dir() -> Path | None:
    """``TREATYWATCH_SHARED_DATA``, else ``$TREATYWATCH_SHARED/data``, else ../shared/data."""
    if os.environ.get("TREATYWATCH_SHARED_DATA"):
        path = Path(os.environ["TREATYWATCH_SHARED_DATA"])
    elif os.environ.get("TREATYWATCH_SHARED"):
        path = Path(os.environ["TREATYWATCH_SHARED"]) / "data"
    else:
        path = Path(__file__).resolve().parents[4] / "shared" / "data"
    return path if path.is_dir() else None


def demo_step() -> None:
    """This stage's part of `make demo` (called by treatywatch.demo)."""
    from treatywatch.cases.service import import_cases
    from treatywatch.ledger.demo import run

    run(import_cases=import_cases)
