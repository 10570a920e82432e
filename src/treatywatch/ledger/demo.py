"""The ledger's part of ``make demo``: load States, seed facts, real status files, cases.

Real per-State data is read from ``../shared/data`` (or
``TREATYWATCH_SHARED_DATA``) at demo time and never copied into the repo;
without it the demo still loads the States, the seed facts and the
fictional sample cases.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from treatywatch.config import settings
from treatywatch.ledger.importer import import_paths
from treatywatch.output import console
from treatywatch.store import session_scope

DEMO_ACTOR = "treatywatch-demo"


def seed_path() -> Path:
    return Path(str(resources.files("treatywatch.ledger").joinpath("data/seed.yaml")))


def sample_cases_path() -> Path:
    return Path(str(resources.files("treatywatch.cases").joinpath("data/sample_cases.yaml")))


def shared_sources(shared: Path) -> list[tuple[str, list[Path]]]:
    """The real status files the demo imports, in order, when they exist."""
    wanted: list[tuple[str, list[Path]]] = [
        ("UNCC signatures seen (CSV)", [shared / "uncc-status-seen.csv"]),
        ("GA 74/247 roll call", [shared / "unga-74-247"]),
        (
            "UNTC chapter XVIII status files (2018)",
            sorted(shared.glob("untc-mtdsg-2018/XVIII-*.xml")),
        ),
        (
            "UNTC chapter XVIII scrape (2015, second source)",
            sorted(shared.glob("untc-scrape-2015/treaties/18-*.csv")),
        ),
    ]
    return [
        (label, [p for p in paths if p.exists()])
        for label, paths in wanted
        if any(p.exists() for p in paths)
    ]


def run(*, import_cases: Callable[..., dict[str, Any]]) -> None:
    from treatywatch.ledger.cli import FEED_FILENAME, init_states, shared_data_dir
    from treatywatch.ledger.conflicts import find_conflicts
    from treatywatch.ledger.status import ledger_status
    from treatywatch.ledger.watch import write_feed

    console.rule("[bold]Ledger: State status")
    states = init_states(actor=DEMO_ACTOR)
    console.print(f"Jurisdictions: {states['total']} tracked ({states['created']} new).")
    seed = import_paths([seed_path()], actor=DEMO_ACTOR)
    console.print(f"Seed facts: {seed['instrument_events']} new, {seed['unchanged']} known.")
    shared = shared_data_dir()
    if shared is None:
        console.print("[yellow]../shared/data not found: real status files skipped.[/]")
    else:
        for label, paths in shared_sources(shared):
            report = import_paths(paths, actor=DEMO_ACTOR)
            console.print(
                f"{label}: {report['imported']} events imported, {report['unchanged']} known, "
                f"{len(report['skipped'])} rows skipped, {report['conflicts']} conflicts."
            )
    cases = import_cases(sample_cases_path(), actor=DEMO_ACTOR)
    console.print(
        f"Fictional sample cases: {cases['created']} new, {cases['updated']} updated, "
        f"{cases['unchanged']} unchanged."
    )
    feed_path = settings().data_dir / FEED_FILENAME
    with session_scope() as session:
        status = ledger_status(session, "uncc")
        conflicts = find_conflicts(session)
        feed = write_feed(session, feed_path)
    eif = status["entry_into_force"] or (
        f"not yet determined ({status['qualifying_instruments']} of {status['threshold']} "
        "qualifying instruments)"
    )
    console.print(
        f"UNCC as of {status['as_of']}: [bold]{status['signatories']}[/] signatories on record, "
        f"{status['parties']} parties; projected entry into force: [bold]{eif}[/]."
    )
    reported = [e for e in status["instrument_events"] if e["event"] == "status-count"]
    if reported:
        counts = ", ".join(f"{v} {k}" for k, v in reported[0]["details"].items())
        console.print(f"  (the UNTC status page reports {counts}; the per-State list is partial.)")
    console.print(
        f"Conflicting facts between sources: {len(conflicts)} (treatywatch ledger conflicts)."
    )
    console.print(f"Atom feed of new facts: [bold]{feed['output']}[/] ({feed['entries']} entries).")
    for command in (
        "treatywatch ledger status --instrument uncc",
        "treatywatch ledger timeline KEN",
        "treatywatch ledger conflicts --instrument untc-XVIII-12-b",
        "treatywatch cases list --role analyst",
        "treatywatch cases link  # after the ingest step: ties the sample cases to the laws",
    ):
        console.print(f"  [cyan]{command}[/]")
