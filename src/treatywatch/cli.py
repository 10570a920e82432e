"""The ``treatywatch`` command line: thin commands over the domain packages.

Each command parses options, calls one domain function and renders the
result; every command takes ``--json`` so scripts never scrape tables.
User errors (:class:`TreatywatchError`) print a message and a hint and exit
non-zero, without a traceback.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel

from treatywatch import __version__
from treatywatch.align.cli import register as register_align
from treatywatch.align.evaluation.cli import register as register_eval
from treatywatch.assess.cli import register as register_assess
from treatywatch.catalogue import Catalogue, Category
from treatywatch.catalogue.loader import article_record
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.cli import register as register_ingest
from treatywatch.ledger.cli import register as register_ledger
from treatywatch.output import Format, console, emit_records, err_console, print_json, table
from treatywatch.report.cli import register as register_report
from treatywatch.store import ensure_current, init_store, session_scope
from treatywatch.store.search_index import search as search_index
from treatywatch.web.cli import register as register_web

app = typer.Typer(
    name="treatywatch",
    help="Monitor how States implement the UN Convention against Cybercrime.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
articles_app = typer.Typer(help="Browse convention articles.", no_args_is_help=True)
catalogue_app = typer.Typer(help="Check catalogue data files.", no_args_is_help=True)
app.add_typer(articles_app, name="articles")
app.add_typer(catalogue_app, name="catalogue")
register_ingest(app)
register_ledger(app)
register_align(app)
register_eval(app)
register_report(app)
register_assess(app)
register_web(app)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ARTICLE_COLUMNS = [
    ("id", "id"),
    ("chapter", "ch."),
    ("title", "title"),
    ("category", "category"),
    ("obligation", "obligation"),
]
CROSSWALK_COLUMNS = [
    ("uncc", "UNCC"),
    ("uncc_title", "UNCC title"),
    ("relation", "relation"),
    ("budapest", "Budapest"),
    ("budapest_title", "Budapest title"),
    ("note", "note"),
]


def _version(value: bool) -> None:
    if value:
        console.print(f"treatywatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """treatywatch: UNCC implementation and human-rights monitoring."""


# --- store ----------------------------------------------------------------------


@app.command()
def init(
    force_catalogue: Annotated[
        bool, typer.Option(help="Reload the catalogue even if unchanged.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create or upgrade the store and load the convention catalogue (idempotent)."""
    report = init_store(force_catalogue=force_catalogue)
    data = {
        "database": report.database,
        "revision_before": report.revision_before,
        "revision": report.revision_after,
        "catalogue_changed": report.catalogue.changed,
        "instruments": report.catalogue.instruments,
        "articles": report.catalogue.articles,
        "crosswalk_links": report.catalogue.crosswalk_links,
        "criteria": report.catalogue.criteria,
    }
    if as_json:
        print_json(data)
        return
    action = "created" if report.revision_before is None else "checked"
    console.print(f"Store {action} at [bold]{report.database}[/] (schema {report.revision_after}).")
    state = "loaded" if report.catalogue.changed else "already up to date"
    console.print(
        f"Catalogue {state}: {report.catalogue.articles} articles in "
        f"{report.catalogue.instruments} instruments, {report.catalogue.crosswalk_links} "
        f"crosswalk links, {report.catalogue.criteria} rights criteria."
    )


# --- catalogue --------------------------------------------------------------------


@articles_app.command("list")
def articles_list(
    instrument: Annotated[str | None, typer.Option(help="uncc or budapest.")] = None,
    chapter: Annotated[str | None, typer.Option(help="Chapter number, e.g. IV.")] = None,
    category: Annotated[Category | None, typer.Option(help="Article category.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List articles, filtered by instrument, chapter or category."""
    catalogue = Catalogue.load()
    if instrument and instrument not in catalogue.instruments:
        raise TreatywatchError(
            f"unknown instrument {instrument!r}",
            hint=f"choose one of: {', '.join(catalogue.instruments)}",
        )
    records = catalogue.article_records(instrument=instrument, chapter=chapter, category=category)
    if not records:
        raise TreatywatchError(
            "no article matches these filters",
            hint="check --chapter (roman numeral, e.g. IV) against `treatywatch articles list`",
        )
    emit_records(records, ARTICLE_COLUMNS, Format.JSON if as_json else fmt)


@articles_app.command("show")
def articles_show(
    article_id: Annotated[str, typer.Argument(help="e.g. uncc/art-28 or budapest/art-19")],
    as_json: JsonOpt = False,
) -> None:
    """Show one article: summary, obligations, safeguards, counterparts, criteria."""
    catalogue = Catalogue.load()
    article = catalogue.article(article_id)
    record = article_record(article, catalogue)
    record["safeguard_for"] = [str(a.id) for a in catalogue.safeguarded_by(article.id)]
    if as_json:
        print_json(record)
        return
    _render_article(record, catalogue)


def _render_article(record: dict[str, Any], catalogue: Catalogue) -> None:
    header = (
        f"[bold]{record['id']}[/]  {record['title']}\n"
        f"Chapter {record['chapter']}: {record['chapter_title']}"
        + (f" · {record['section']}" if record["section"] else "")
        + f"\nCategory: {record['category']} · Obligation: {record['obligation']}"
    )
    console.print(Panel(header, expand=False))
    console.print(f"[bold]Summary[/]\n{record['summary']}\n")
    console.print(f"[bold]Obligation note[/]\n{record['obligation_note']}\n")
    if record["obligations"]:
        console.print(
            table(
                record["obligations"],
                [("paragraph", "para."), ("strength", "strength"), ("summary", "what it asks")],
                title="Obligations by paragraph",
            )
        )

    def titled(ids: list[str]) -> str:
        return ", ".join(f"{i} ({catalogue.article(i).title})" for i in ids) or "none"

    console.print(f"[bold]Safeguards that govern it:[/] {titled(record['safeguards'])}")
    if record["safeguard_for"]:
        console.print(f"[bold]Safeguard for:[/] {', '.join(record['safeguard_for'])}")
    other = "Budapest" if record["instrument"] == "uncc" else "UNCC"
    if record["counterparts"]:
        rows = [{**c, "title": catalogue.article(c["id"]).title} for c in record["counterparts"]]
        console.print(
            table(
                rows,
                [("id", "article"), ("title", "title"), ("relation", "relation"), ("note", "note")],
                title=f"{other} counterparts",
            )
        )
    else:
        console.print(f"[bold]{other} counterparts:[/] none")
    names = [f"{c} ({catalogue.criterion(c).name})" for c in record["criteria"]]
    console.print(f"[bold]Rights criteria it raises:[/] {', '.join(names) or 'none'}")
    words = "; ".join(f"{lang}: {', '.join(ws)}" for lang, ws in record["keywords"].items())
    console.print(f"[dim]Keywords — {words}[/]")


@app.command()
def crosswalk(
    relation: Annotated[str | None, typer.Option(help="Only links of this relation.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """The UNCC ↔ Budapest crosswalk, each link typed and explained."""
    catalogue = Catalogue.load()
    records = catalogue.crosswalk_records()
    if relation:
        valid = sorted({r["relation"] for r in records})
        if relation not in valid:
            raise TreatywatchError(
                f"unknown relation {relation!r}", hint=f"choose one of: {', '.join(valid)}"
            )
        records = [r for r in records if r["relation"] == relation]
    emit_records(records, CROSSWALK_COLUMNS, Format.JSON if as_json else fmt, title="Crosswalk")


@app.command()
def criteria(
    criterion_id: Annotated[str | None, typer.Argument(help="Show one criterion.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The human-rights criteria every law is assessed against."""
    catalogue = Catalogue.load()
    if criterion_id:
        record = catalogue.criterion(criterion_id).model_dump(mode="json")
        if as_json:
            print_json(record)
            return
        console.print(Panel(f"[bold]{record['number']}. {record['name']}[/]\n{record['question']}"))
        console.print(record["rationale"])
        console.print("[bold]Met when[/]: " + "; ".join(record["evidence_satisfies"]))
        console.print("[bold]Fails when[/]: " + "; ".join(record["evidence_fails"]))
        console.print(
            table(record["severity_scale"], [("level", "severity"), ("meaning", "meaning")])
        )
        return
    records = catalogue.criteria_records()
    cols = [("number", "#"), ("id", "id"), ("name", "name"), ("question", "question")]
    emit_records(records, cols, Format.JSON if as_json else Format.TABLE, title="Rights criteria")


class SearchTarget(StrEnum):
    ALL = "all"
    ARTICLE = "article"
    PROVISION = "provision"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for, e.g. 'interception'.")],
    target: Annotated[
        SearchTarget, typer.Option("--type", help="Search articles, provisions or both.")
    ] = SearchTarget.ALL,
    scope: Annotated[
        str | None,
        typer.Option("--in", help="Only within an instrument (uncc) or a document id."),
    ] = None,
    instrument: Annotated[
        str | None, typer.Option(help="Only articles of this instrument (uncc or budapest).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over the catalogue and ingested provisions, ranked, with snippets."""
    entity_type = None if target is SearchTarget.ALL else target.value
    if instrument:
        entity_type, scope = SearchTarget.ARTICLE.value, instrument
    ensure_current()
    with session_scope() as session:
        hits = search_index(session, query, entity_type=entity_type, scope=scope, limit=limit)
    records = [hit.__dict__ for hit in hits]
    if as_json:
        print_json(records)
        return
    if not records:
        console.print(f"Nothing matches {query!r}. Try fewer or broader words.")
        return
    cols = [
        ("entity_type", "type"),
        ("entity_id", "id"),
        ("title", "title"),
        ("score", "score"),
        ("snippet", "snippet"),
    ]
    console.print(table(records, cols, title=f"Search: {query}"))


@app.command()
def summary(as_json: JsonOpt = False) -> None:
    """Articles per chapter and crosswalk coverage: the catalogue at a glance."""
    catalogue = Catalogue.load()
    chapters = []
    for inst in catalogue.instruments.values():
        counts = Counter(a.chapter for a in inst.articles)
        mandatory = Counter(a.chapter for a in inst.articles if a.obligation.value != "none")
        for chapter in inst.chapters:
            numbers = [a.number for a in inst.articles if a.chapter == chapter.number]
            chapters.append(
                {
                    "instrument": inst.id,
                    "chapter": chapter.number,
                    "title": chapter.title,
                    "articles": counts[chapter.number],
                    "range": str(numbers[0])
                    if len(numbers) == 1
                    else f"{numbers[0]}–{numbers[-1]}",
                    "binding": mandatory[chapter.number],
                }
            )
    coverage = catalogue.crosswalk_coverage()
    relations = Counter(link.relation.value for link in catalogue.crosswalk)
    data = {"chapters": chapters, "crosswalk_coverage": coverage, "relations": dict(relations)}
    if as_json:
        print_json(data)
        return
    cols = [
        ("instrument", "instrument"),
        ("chapter", "ch."),
        ("title", "title"),
        ("range", "articles"),
        ("articles", "count"),
        ("binding", "with obligations"),
    ]
    console.print(table(chapters, cols, title="Articles per chapter"))
    rows = [
        {
            "instrument": inst,
            "articles": c["articles"],
            "with_counterpart": c["with_counterpart"],
            "share": f"{c['with_counterpart'] / c['articles']:.0%}",
        }
        for inst, c in coverage.items()
    ]
    console.print(
        table(
            rows,
            [
                ("instrument", "instrument"),
                ("articles", "articles"),
                ("with_counterpart", "with a counterpart"),
                ("share", "share"),
            ],
            title="Crosswalk coverage (equivalent or partial links)",
        )
    )
    console.print("Link types: " + ", ".join(f"{k} {v}" for k, v in sorted(relations.items())))


@app.command()
def demo() -> None:
    """Run the end-to-end demo on the configured store (what `make demo` calls)."""
    from treatywatch.demo import run

    run()


@catalogue_app.command("check")
def catalogue_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder with uncc.yaml, budapest.yaml, ...")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate catalogue data files and list every problem found."""
    catalogue = Catalogue.load(directory)
    counts = {i.id: len(i.articles) for i in catalogue.instruments.values()}
    data = {
        "valid": True,
        "directory": str(catalogue.source_dir),
        "articles": counts,
        "crosswalk_links": len(catalogue.crosswalk),
        "criteria": len(catalogue.criteria),
    }
    if as_json:
        print_json(data)
        return
    console.print(f"[green]Catalogue valid[/]: {data}")


def _wants_json(argv: list[str]) -> bool:
    """Whether the user asked for JSON output (``--json``, ``--format json|=json``)."""
    if "--json" in argv or "--format=json" in argv:
        return True
    return any(a == "--format" and b == "json" for a, b in itertools.pairwise(argv))


def main() -> None:
    """Entry point: run the app and turn user errors into messages and exit codes.

    Typer handles usage errors itself (exit code 2 with a usage line); a
    :class:`TreatywatchError` from a command is printed as a message and a
    hint, as JSON when ``--json`` was asked for, and exits with its code.
    """
    wants_json = _wants_json(sys.argv[1:])
    try:
        app()
    except TreatywatchError as exc:
        if wants_json:
            print_json(exc.to_dict())
        else:
            err_console.print(f"[bold red]error:[/] {exc.message}")
            if exc.hint:
                err_console.print(f"[yellow]hint:[/] {exc.hint}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
