"""``treatywatch eval``: measure alignment against gold labels (and Budapest).

Thin by design: parse options, call :func:`evaluate` or the crosswalk
check, render. Laws the gold names but the store lacks are ingested from
``--corpus`` into the configured store, which is what a user evaluating a
new gold file wants anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from treatywatch.errors import TreatywatchError
from treatywatch.output import console, err_console, print_json

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _methods(text: str | None) -> tuple[str, ...] | None:
    from treatywatch.align.model import METHODS

    if text is None:
        return None
    chosen = tuple(m.strip().lower() for m in text.split(",") if m.strip())
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise TreatywatchError(
            f"unknown alignment method(s): {', '.join(unknown) or '(none given)'}",
            hint=f"choose from {', '.join(METHODS)}, comma-separated "
            "(e.g. --methods lexical,rules)",
        )
    return chosen


def eval_command(
    gold: Annotated[
        Path | None,
        typer.Option(help="Gold CSV file or folder of them (format: ../shared/gold/README.md)."),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Folder of document folders named by id, to ingest laws the store lacks "
            "(default: TREATYWATCH_CORPUS or ../shared/corpus)."
        ),
    ] = None,
    methods: Annotated[
        str | None,
        typer.Option(help="Engine methods, comma-separated (default: all available)."),
    ] = None,
    no_baselines: Annotated[
        bool, typer.Option("--no-baselines", help="Skip the lexical-only and embedding-only runs.")
    ] = False,
    budapest: Annotated[
        bool,
        typer.Option(
            "--budapest",
            help="Align the Budapest Convention's articles to the UNCC and compare with the "
            "catalogue crosswalk (catalogue descriptions and the real text).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Measure alignment against gold labels: top-1, recall@3, MRR, P/R/F1, baselines."""
    from treatywatch.align.engine import EngineOptions

    chosen = _methods(methods)
    if budapest:
        _budapest(corpus, gold, chosen, as_json)
        return
    if gold is None:
        raise TreatywatchError(
            "say which gold labels to evaluate against",
            hint="pass --gold ../shared/gold (a CSV or a folder of them), or --budapest",
        )
    from treatywatch.align.evaluation.harness import evaluate
    from treatywatch.align.evaluation.report import render

    options = EngineOptions() if chosen is None else EngineOptions(methods=chosen)
    with Progress(
        TextColumn("[bold]eval[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        disable=as_json,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)

        def report(description: str, done: int, total: int) -> None:
            progress.update(task, description=description, completed=done, total=total)

        result = evaluate(
            gold, corpus, engine_options=options, baselines=not no_baselines, progress=report
        )
    if as_json:
        print_json(result.record())
        return
    render(result, console)


def _budapest(
    corpus: Path | None, gold: Path | None, methods: tuple[str, ...] | None, as_json: bool
) -> None:
    from treatywatch.align import crosswalk_check
    from treatywatch.align.engine import AlignmentEngine, EngineOptions
    from treatywatch.align.evaluation.report import render_crosswalk

    options = EngineOptions(instruments=("uncc",))
    if methods is not None:
        options = EngineOptions(methods=methods, instruments=("uncc",))
    engine = AlignmentEngine(options)
    checks = [crosswalk_check.check("catalogue", engine=engine)]
    try:
        checks.append(crosswalk_check.check("text", corpus=corpus, gold=gold, engine=engine))
    except TreatywatchError as exc:
        if corpus is not None:
            raise
        err_console.print(f"[yellow]note:[/] real-text check skipped: {exc.message}")
    if as_json:
        print_json({c.source: c.record() for c in checks})
        return
    render_crosswalk(checks, console)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
