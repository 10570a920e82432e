"""CLI commands of the ingest stage, registered on the root app by treatywatch.cli.

``ingest``, ``ingest-batch``, ``documents list|show``, ``diff``, ``export``
and ``sources list|fetch``: each parses its options, calls one function of
the ingest package and renders the result (Rich for people, ``--json`` for
programs). Law text is printed through :func:`rich.markup.escape` or
``Text`` objects, never as markup, so a law containing "[bold]" prints as
written.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from treatywatch.errors import TreatywatchError
from treatywatch.options import parse_day
from treatywatch.output import Format, console, emit_records, err_console, print_json, table

if TYPE_CHECKING:  # imported lazily at run time: `treatywatch --help` stays fast
    from treatywatch.ingest.diff import ProvisionChange
    from treatywatch.ingest.sources import SourceRegistry

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
MaxMbOpt = Annotated[
    float | None,
    typer.Option(
        "--max-mb",
        min=0.001,
        help="Refuse files larger than this many MB (default 50, or TREATYWATCH_MAX_FILE_MB).",
    ),
]
RegistryOpt = Annotated[
    Path | None,
    typer.Option(help="A sources YAML file to use instead of the bundled registry."),
]
documents_app = typer.Typer(help="Browse stored laws and their versions.", no_args_is_help=True)
sources_app = typer.Typer(help="Known official sources of laws; fetch and ingest them.")

DOCUMENT_COLUMNS = [
    ("id", "document"),
    ("country", "country"),
    ("title", "title"),
    ("language", "lang."),
    ("latest", "latest version"),
    ("versions", "versions"),
    ("provisions", "provisions"),
]
BATCH_COLUMNS = [
    ("file", "file"),
    ("status", "status"),
    ("id", "document"),
    ("version", "version"),
    ("provisions", "provisions"),
    ("error", "problem"),
]


def _max_bytes(max_mb: float | None) -> int | None:
    return int(max_mb * 1024 * 1024) if max_mb else None


def _status(message: str, quiet: bool) -> AbstractContextManager[Any]:
    return nullcontext() if quiet else err_console.status(message)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")


def ingest_command(
    file: Annotated[Path, typer.Argument(help="The law: PDF, DOCX, HTML, TXT, AKN XML or JSON.")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 code, e.g. KEN.")],
    title: Annotated[str | None, typer.Option(help="The law's title.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Date of this text (YYYY-MM-DD); default today.")
    ] = None,
    doc_id: Annotated[
        str | None,
        typer.Option("--id", help="Work id (ken/act/2018/5) or just its number (5)."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Where the file came from (URL).")] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Force a reader: pdf, docx, html, txt, md, akn, json."),
    ] = None,
    max_mb: MaxMbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Read a law, split it into provisions and store it as a dated version."""
    from treatywatch.ingest.pipeline import IngestRequest, ingest
    from treatywatch.store import ensure_current

    ensure_current()
    request = IngestRequest(
        path=file,
        country=country,
        title=title,
        date=parse_day(date, "--date"),
        doc_id=doc_id,
        source_url=source,
        format=fmt,
        max_bytes=_max_bytes(max_mb),
    )
    with _status(f"Ingesting {file.name}…", as_json):
        result = ingest(request)
    if as_json:
        print_json(result.record())
        return
    _warn(result.warnings)
    if result.status == "unchanged":
        console.print(
            f"[bold]{escape(result.ref)}[/] unchanged: the store already has this exact text "
            f"(sha256 {result.sha256[:12]}…)."
        )
        return
    tops = result.segmentation.provisions
    console.print(
        f"Stored [bold]{escape(result.ref)}[/] ({escape(result.title)}): {len(tops)} "
        f"provisions in {len(result.segmentation.containers)} containers, "
        f"language {result.language or 'unknown'}."
    )
    rows = [{"label": p.label, "heading": p.heading, "kind": p.kind, "path": p.path} for p in tops]
    cols = [("label", "no."), ("heading", "heading"), ("kind", "kind"), ("path", "path")]
    console.print(table(rows, cols, title="Top-level provisions"))


def batch_command(
    folder: Annotated[Path, typer.Argument(help="Folder holding the files.")],
    manifest: Annotated[
        Path | None,
        typer.Option(
            help="CSV or YAML: file, country, title, date, id, source (default: "
            "FOLDER/manifest.csv or manifest.yaml)."
        ),
    ] = None,
    max_mb: MaxMbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest every file a manifest lists; a failed file is reported and the rest go on."""
    from treatywatch.ingest.manifest import load_manifest, run_batch
    from treatywatch.store import ensure_current

    ensure_current()
    manifest_path = manifest or _default_manifest(folder)
    entries = load_manifest(manifest_path, folder)
    outcomes = []
    with Progress(
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        disable=as_json,
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(entries))
        for outcome in run_batch(entries, max_bytes=_max_bytes(max_mb)):
            outcomes.append(outcome)
            progress.update(task, advance=1, description=escape(outcome.entry.file.name))
    records = [o.record() for o in outcomes]
    failed = sum(1 for o in outcomes if o.error)
    if as_json:
        print_json(
            {
                "manifest": str(manifest_path),
                "stored": sum(1 for o in outcomes if o.status == "stored"),
                "unchanged": sum(1 for o in outcomes if o.status == "unchanged"),
                "failed": failed,
                "documents": records,
            }
        )
    else:
        for record in records:
            record["file"] = Path(record["file"]).name
        console.print(table(records, BATCH_COLUMNS, title=f"Batch ingest: {manifest_path.name}"))
        console.print(
            f"{len(records) - failed} of {len(records)} files ingested"
            + (f", [red]{failed} failed[/]" if failed else "")
            + "."
        )
    if failed:
        raise typer.Exit(1)


def _default_manifest(folder: Path) -> Path:
    for name in ("manifest.csv", "manifest.yaml", "manifest.yml"):
        if (folder / name).is_file():
            return folder / name
    raise TreatywatchError(
        f"no manifest given and none found in {folder}",
        hint="pass --manifest manifest.csv (columns: file, country, title, date, id, source)",
    )


def documents_list(
    country: Annotated[str | None, typer.Option(help="Only laws of this country (ISO3).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List stored laws with their versions."""
    from treatywatch.ingest.documents import list_documents
    from treatywatch.store import ensure_current, session_scope

    ensure_current()
    with session_scope() as session:
        records = list_documents(session, country=country)
    if not records and not as_json and fmt is Format.TABLE:
        console.print("No laws stored yet. Add one with `treatywatch ingest FILE --country ISO3`.")
        return
    emit_records(records, DOCUMENT_COLUMNS, Format.JSON if as_json else fmt, title="Laws")


def documents_show(
    ref: Annotated[str, typer.Argument(help="DOC or DOC@YYYY-MM-DD, e.g. ken/act/2018/5.")],
    provisions: Annotated[
        bool, typer.Option("--provisions", help="Also list every provision node.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """One stored version: facts, provenance, other versions, provisions by kind."""
    from treatywatch.ingest.documents import find_version, version_summary
    from treatywatch.ingest.persist import container_records, provision_records, read_segmentation
    from treatywatch.store import ensure_current, session_scope

    ensure_current()
    with session_scope() as session:
        version = find_version(session, ref)
        summary = version_summary(session, version)
        segmentation = read_segmentation(session, version.id)
    summary["containers_list"] = container_records(segmentation)
    summary["provisions_list"] = provision_records(segmentation)
    if as_json:
        print_json(summary)
        return
    lines = [
        f"[bold]{escape(summary['id'])}@{summary['version']}[/]  {escape(summary['title'])}",
        f"Country {summary['country']} · language {summary['language'] or 'unknown'} · "
        f"format {summary['source_format']} · versions: {', '.join(summary['versions'])}",
        f"sha256 {summary['sha256']}",
        f"Source: {escape(summary['source_url'] or summary['source_file'] or 'unknown')} "
        f"(retrieved {summary['retrieved']}, by {escape(summary['produced_by'] or '?')})",
        f"{summary['provisions']} provisions in {summary['containers']} containers: "
        + ", ".join(f"{k} {n}" for k, n in summary["kinds"].items()),
    ]
    console.print("\n".join(lines))
    _warn(summary["warnings"])
    records = (
        summary["provisions_list"]
        if provisions
        else [r for r in summary["provisions_list"] if r["depth"] == 1]
    )
    cols = [("path", "path"), ("label", "no."), ("heading", "heading"), ("kind", "kind")]
    console.print(table(records, cols, title="Provisions"))


def diff_command(
    old: Annotated[str, typer.Argument(help="Older version, DOC@YYYY-MM-DD.")],
    new: Annotated[str, typer.Argument(help="Newer version, DOC@YYYY-MM-DD (or DOC: latest).")],
    as_json: JsonOpt = False,
) -> None:
    """Provision-level redline between two versions: added, removed, changed (word diff)."""
    from treatywatch.ingest.diff import diff_segmentations
    from treatywatch.ingest.documents import load_version
    from treatywatch.store import ensure_current, session_scope

    ensure_current()
    with session_scope() as session:
        old_info, old_tree = load_version(session, old)
        new_info, new_tree = load_version(session, new)
    result = diff_segmentations(old_tree, new_tree, old_name=old_info.ref, new_name=new_info.ref)
    if as_json:
        print_json(result.record())
        return
    counts = result.counts()
    console.print(
        f"[bold]{escape(old_info.ref)}[/] → [bold]{escape(new_info.ref)}[/]: "
        f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
        f"{counts['unchanged']} unchanged."
    )
    for change in result.changes:
        console.print(_render_change(change))


def _render_change(change: ProvisionChange) -> Text:
    symbol = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}
    mark, colour = symbol[change.status]
    path = change.new_path or change.old_path
    if change.renumbered and change.old_path and change.new_path:
        path = f"{change.old_path} → {change.new_path}"
    header = Text(
        f"\n{mark} {path}  {change.heading or ''} ({change.status})", style=f"bold {colour}"
    )
    body = Text("\n")
    for op in change.words:
        if op.op == "equal":
            words = op.text.split()
            shown = op.text if len(words) <= 24 else " ".join([*words[:10], "…", *words[-10:]])
            body.append(shown + " ")
        elif change.status != "changed":  # a whole provision: the header says which
            body.append(op.text + " ", style=colour)
        elif op.op == "delete":
            # Markers as well as colour: readable in a pipe, a log or without colour vision.
            body.append(f"[-{op.text}-]", style="red strike")
            body.append(" ")
        else:
            body.append(f"{{+{op.text}+}}", style="green underline")
            body.append(" ")
    if change.parts:
        parts = ", ".join(f"{p['path']} {p['status']}" for p in change.parts)
        body.append(f"\n  sub-provisions: {parts}", style="dim")
    return header + body


def export_command(
    ref: Annotated[str, typer.Argument(help="DOC or DOC@YYYY-MM-DD.")],
    fmt: Annotated[str, typer.Option("--format", help="json or akn (Akoma Ntoso 3.0 XML).")] = (
        "json"
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Export one version's provision tree as JSON or Akoma Ntoso XML."""
    from treatywatch.ingest.export import export_version
    from treatywatch.store import ensure_current

    ensure_current()
    data = export_version(ref, fmt)
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    err_console.print(f"Wrote {escape(str(output))} ({len(data):,} bytes).")


def _registry(path: Path | None) -> SourceRegistry:
    from treatywatch.ingest.sources import load_sources

    return load_sources(path)


def sources_list(
    country: Annotated[str | None, typer.Option(help="Only sources for this country.")] = None,
    registry: RegistryOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Known official sources of national cybercrime laws."""
    from treatywatch.ingest.fetching import source_records

    records = source_records(country=country, registry=_registry(registry))
    cols = [
        ("id", "id"),
        ("country", "country"),
        ("title", "law"),
        ("format", "format"),
        ("url", "url"),
        ("licence", "licence"),
    ]
    emit_records(records, cols, Format.JSON if as_json else fmt, title="Sources")


def sources_fetch(
    source_id: Annotated[
        str | None, typer.Argument(help="A source id from `sources list`.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Fetch every source of this country (ISO3).")
    ] = None,
    registry: RegistryOpt = None,
    timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Seconds to wait for the server (default 30).")
    ] = None,
    max_mb: MaxMbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Download a law from its official source (checked, hashed) and ingest it."""
    from treatywatch.ingest.fetching import fetch_and_ingest
    from treatywatch.store import ensure_current

    ensure_current()
    if not source_id and not country:
        raise TreatywatchError(
            "say which source to fetch", hint="give a source id, or --country KEN"
        )
    with _status("Fetching…", as_json):
        results = fetch_and_ingest(
            source_id,
            country=country,
            registry=_registry(registry),
            timeout=timeout,
            max_bytes=_max_bytes(max_mb),
        )
    if as_json:
        print_json([r.record() for r in results])
        return
    for fetched in results:
        state = "unchanged" if fetched.result.status == "unchanged" else "stored"
        console.print(
            f"{escape(fetched.source_id)}: downloaded {fetched.size:,} bytes from "
            f"{escape(fetched.url)} → {state} [bold]{escape(fetched.result.ref)}[/] "
            f"({len(fetched.result.segmentation.provisions)} provisions)"
        )
        _warn(fetched.result.warnings)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root `treatywatch` app."""
    app.command("ingest")(ingest_command)
    app.command("ingest-batch")(batch_command)
    app.command("diff")(diff_command)
    app.command("export")(export_command)
    documents_app.command("list")(documents_list)
    documents_app.command("show")(documents_show)
    sources_app.command("list")(sources_list)
    sources_app.command("fetch")(sources_fetch)
    app.add_typer(documents_app, name="documents")
    app.add_typer(sources_app, name="sources")


def demo_step() -> None:
    """This stage's part of `make demo` (called by treatywatch.demo)."""
    from treatywatch.ingest.demo import run

    run()
