"""CLI of the alignment stage, registered on the root app by treatywatch.cli.

``align`` (run the engine, store suggestions), ``alignments`` (what is
stored, with evidence for one provision), ``review list|accept|reject|
override|add`` and ``coverage``. Each command parses options, calls one
function of the align package and renders the result; law text and
evidence quotes are escaped, never read as Rich markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from treatywatch.errors import TreatywatchError
from treatywatch.output import Format, console, emit_records, err_console, print_json, table

if TYPE_CHECKING:  # imported lazily: `treatywatch --help` must not load the engine
    from treatywatch.align.service import AlignmentReport

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
ReviewerOpt = Annotated[
    str, typer.Option("--reviewer", help="Your name; written to the alignment and the audit log.")
]
CommentOpt = Annotated[str | None, typer.Option("--comment", help="Why (optional).")]
ParagraphOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--paragraph",
        help="Article paragraph the provision implements, e.g. '1 (a)' (repeatable).",
    ),
]

review_app = typer.Typer(
    help="Review suggested alignments: accept, reject, override, add.", no_args_is_help=True
)

METHOD_LETTERS = {"lexical": "L", "embedding": "E", "rules": "R", "context": "C", "review": "H"}
INSTRUMENT_CHOICES = {"uncc": ("uncc",), "budapest": ("budapest",), "both": ("uncc", "budapest")}
ALIGNMENT_COLUMNS = [
    ("id", "id"),
    ("provision", "provision"),
    ("heading", "heading"),
    ("article", "article"),
    ("score", "score"),
    ("methods", "methods"),
    ("status", "status"),
    ("reviewer", "reviewer"),
]
COVERAGE_COLUMNS = [
    ("article", "article"),
    ("title", "title"),
    ("category", "category"),
    ("mandatory", "mandatory"),
    ("status", "status"),
    ("confirmed", "confirmed"),
    ("provisions", "provisions"),
    ("missing_paragraphs", "missing paragraphs"),
]


def _letters(methods: list[str]) -> str:
    return "".join(METHOD_LETTERS.get(m, "?") for m in methods)


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]align[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        disable=quiet,
        transient=True,
    )


# --- align ----------------------------------------------------------------------------


def align_command(
    ref: Annotated[
        str | None, typer.Argument(help="DOC or DOC@YYYY-MM-DD (omit with --country/--all).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Align every stored law of this country (ISO3).")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Align every stored law.")] = False,
    methods: Annotated[
        str | None,
        typer.Option(help="Comma-separated: lexical,rules,embedding,context (default: all)."),
    ] = None,
    instrument: Annotated[str, typer.Option(help="Align to uncc, budapest or both.")] = "both",
    as_json: JsonOpt = False,
) -> None:
    """Suggest, for each provision, the convention articles it implements, and store them."""
    from treatywatch.align import service

    chosen = sum(1 for given in (ref, country, every) if given)
    if chosen != 1:
        raise TreatywatchError(
            "say what to align: a document, --country ISO3 or --all (exactly one)",
            hint="e.g. `treatywatch align ken/act/2018/5`",
        )
    if instrument not in INSTRUMENT_CHOICES:
        raise TreatywatchError(
            f"unknown instrument {instrument!r}", hint="choose one of: uncc, budapest, both"
        )
    options = service.engine_options(
        methods.split(",") if methods else None, INSTRUMENT_CHOICES[instrument]
    )
    with _progress(as_json) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=escape(label))

        if not as_json:
            err_console.print("[dim]loading the alignment engine…[/]")
        engine = service.build_engine(options)
        if ref:
            report = service.align_document(ref, engine=engine, progress=progress)
            reports, failures, data = [report], [], report.record()
        else:
            batch = (
                service.align_country(country, engine=engine, progress=progress)
                if country
                else service.align_all(engine=engine, progress=progress)
            )
            reports, failures, data = batch.reports, batch.failures, batch.record()
    if as_json:
        print_json(data)
    else:
        for report in reports:
            _render_report(report)
        for failure in failures:
            err_console.print(
                f"[bold red]not aligned:[/] {escape(str(failure['document']))}: "
                f"{escape(str(failure['message']))}"
            )
        if reports:
            console.print(_engine_line(reports[0]))
    if failures:
        raise typer.Exit(1)


def _candidates(record: dict[str, Any], instrument: str) -> str:
    lines = []
    for c in record["candidates"]:
        if not c["article"].startswith(instrument + "/"):
            continue
        mark = "" if c["status"] == "suggested" else f" [{c['status']}]"
        lines.append(f"{c['article']} {c['score']:.2f} {_letters(c['methods'])}{mark}")
    for r in record["reviewed"]:
        if r["article"].startswith(instrument + "/"):
            lines.append(f"{r['article']} [{r['status']}]")
    return "\n".join(lines) or "— no match"


def _render_report(report: AlignmentReport) -> None:
    rows = [
        {
            "provision": p["label"] or p["provision"],
            "path": p["provision"],
            "heading": p["heading"],
            **{inst: _candidates(p, inst) for inst in report.instruments},
        }
        for p in report.provisions
    ]
    cols = [("provision", "no."), ("heading", "heading")]
    cols += [(inst, "UNCC" if inst == "uncc" else "Budapest") for inst in report.instruments]
    console.print(table(rows, cols, title=f"{report.ref} — {report.title}"))
    n = report.counts()
    console.print(
        f"{n['provisions']} provisions: {n['matched']} matched, {n['no_match']} no match; "
        f"{n['suggested']} suggestions stored ({n['created']} new, {n['updated']} refreshed, "
        f"{n['removed']} stale removed); {n['kept_reviewed']} reviewed links kept"
        + (
            f", {n['blocked_by_review']} suggestions already rejected"
            if n["blocked_by_review"]
            else ""
        )
        + f". {report.seconds:.2f}s."
    )


def _engine_line(report: AlignmentReport) -> str:
    info = report.engine
    methods = ", ".join(
        f"{m} ({info.embedding_model})" if m == "embedding" and info.embedding_model else m
        for m in info.methods
    )
    warnings = "; ".join(info.warnings) or "none"
    legend = ", ".join(f"{v}={k}" for k, v in METHOD_LETTERS.items())
    return escape(
        f"engine {info.engine_version} · methods: {methods}; warnings: {warnings}\n"
        f"method letters: {legend}"
    )


# --- alignments -------------------------------------------------------------------------


def alignments_command(
    ref: Annotated[
        str, typer.Argument(help="DOC, DOC@YYYY-MM-DD, or DOC#sec-3 for one provision's evidence.")
    ],
    status: Annotated[
        str, typer.Option(help="all, suggested, accepted, rejected or overridden.")
    ] = "all",
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Stored alignments of a law with their review status, or one provision's evidence."""
    from treatywatch.align import review

    if "#" in ref:
        detail = review.provision_links(ref)
        if as_json or fmt is Format.JSON:
            print_json(detail)
        else:
            _render_detail(detail)
        return
    records = review.queue(document=ref, status=status, order="document", limit=100_000)
    for record in records:
        record["methods"] = _letters(record["methods"])
    if not records and not as_json and fmt is Format.TABLE:
        console.print(
            f"No stored alignments for {escape(ref)}. Run `treatywatch align {escape(ref)}`."
        )
        return
    emit_records(
        records, ALIGNMENT_COLUMNS, Format.JSON if as_json else fmt, title=f"Alignments: {ref}"
    )


def _render_detail(detail: dict[str, Any]) -> None:
    console.print(
        f"[bold]{escape(detail['provision'])}[/]  {escape(detail['heading'] or '')} "
        f"(kind {detail['kind']})"
    )
    run = detail["last_run"]
    if run:
        warnings = escape("; ".join(run["warnings"]) or "none")
        console.print(
            f"[dim]last run {run['id']} ({run['engine_version']}, methods: "
            f"{', '.join(run['methods'])}; warnings: {warnings})[/]"
        )
    if not detail["alignments"]:
        console.print("No stored alignments: the engine found no match, or it never ran.")
    for link in detail["alignments"]:
        review_text = (
            f" by {escape(link['reviewer'])}"
            + (f": {escape(link['comment'])}" if link["comment"] else "")
            if link["reviewer"]
            else ""
        )
        console.print(
            f"\n[bold]#{link['id']} {escape(link['article'])}[/] {escape(link['title'] or '')} — "
            f"score {link['score']:.2f}, {link['status']}{review_text}"
        )
        evidence = link["evidence"]
        if evidence.get("override_of"):
            console.print(f"  overrides {escape(evidence['override_of'])}")
        if evidence.get("paragraphs"):
            console.print(f"  paragraphs: {escape(', '.join(evidence['paragraphs']))}")
        for signal in evidence.get("signals", []):
            console.print(
                f"  • {signal['method']} {signal['strength']:.2f}"
                + (f" — {escape(signal['note'])}" if signal.get("note") else "")
            )
            if signal.get("terms"):
                console.print(f"    terms: {escape(', '.join(signal['terms']))}")
            if signal.get("catalogue_terms"):
                console.print(f"    catalogue: {escape(', '.join(signal['catalogue_terms']))}")
            for span in signal.get("spans", []):
                console.print(f"    [{span['start']}–{span['end']}] “{escape(span['text'])}”")
        if evidence.get("shortlist"):
            runners = ", ".join(f"{s['article']} {s['score']:.2f}" for s in evidence["shortlist"])
            console.print(f"  [dim]shortlist: {escape(runners)}[/]")


# --- review ----------------------------------------------------------------------------


def _print_review(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    for link in result["alignments"]:
        console.print(
            f"#{link['id']} {escape(link['provision'] or '?')} → {escape(link['article'])}: "
            f"[bold]{link['status']}[/] by {escape(link['reviewer'] or '?')}"
        )


@review_app.command("list")
def review_list(
    document: Annotated[str | None, typer.Option(help="Only this law (DOC or DOC@DATE).")] = None,
    country: Annotated[str | None, typer.Option(help="Only laws of this country (ISO3).")] = None,
    status: Annotated[str, typer.Option(help="suggested (default), accepted, ..., or all.")] = (
        "suggested"
    ),
    min_score: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    max_score: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    order: Annotated[
        str, typer.Option(help="uncertain (nearest the threshold first), document or score.")
    ] = "uncertain",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Links to review, the most uncertain first."""
    from treatywatch.align import review

    records = review.queue(
        document=document,
        country=country,
        status=status,
        min_score=min_score,
        max_score=max_score,
        order=order,  # type: ignore[arg-type]  # checked by queue()
        limit=limit,
    )
    for record in records:
        record["methods"] = _letters(record["methods"])
    if not records and not as_json and fmt is Format.TABLE:
        console.print("Nothing to review with these filters.")
        return
    emit_records(records, ALIGNMENT_COLUMNS, Format.JSON if as_json else fmt, title="Review queue")


@review_app.command("accept")
def review_accept(
    alignment_id: Annotated[int, typer.Argument(help="Alignment id (see `review list`).")],
    reviewer: ReviewerOpt,
    comment: CommentOpt = None,
    paragraph: ParagraphOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Confirm a suggested link."""
    from treatywatch.align import review

    result = review.accept(alignment_id, reviewer, comment, paragraphs=paragraph)
    _print_review(result.record(), as_json)


@review_app.command("reject")
def review_reject(
    alignment_id: Annotated[int, typer.Argument(help="Alignment id (see `review list`).")],
    reviewer: ReviewerOpt,
    comment: CommentOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Say a link is wrong; re-runs will not suggest it again."""
    from treatywatch.align import review

    _print_review(review.reject(alignment_id, reviewer, comment).record(), as_json)


@review_app.command("override")
def review_override(
    target: Annotated[str, typer.Argument(help="Alignment id, or DOC#sec-3 with --old.")],
    article: Annotated[str, typer.Argument(help="The right article, e.g. uncc/art-9.")],
    reviewer: ReviewerOpt,
    old: Annotated[
        str | None, typer.Option(help="With a provision ref: the article being replaced.")
    ] = None,
    comment: CommentOpt = None,
    paragraph: ParagraphOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Replace a link's article: the old link becomes overridden, the new one accepted."""
    from treatywatch.align import review

    if target.strip().isdigit():
        chosen: int | tuple[str, str] = int(target)
    elif old:
        chosen = (target, old)
    else:
        raise TreatywatchError(
            f"{target!r} is not an alignment id",
            hint="give an id from `review list`, or a provision ref with --old ARTICLE",
        )
    result = review.override(chosen, article, reviewer, comment, paragraphs=paragraph)
    _print_review(result.record(), as_json)


@review_app.command("add")
def review_add(
    ref: Annotated[str, typer.Argument(help="Provision: DOC#sec-3 or DOC@DATE#sec-3.")],
    article: Annotated[str, typer.Argument(help="Article it implements, e.g. uncc/art-7.")],
    reviewer: ReviewerOpt,
    comment: CommentOpt = None,
    paragraph: ParagraphOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a link the engine missed (stored as accepted)."""
    from treatywatch.align import review

    result = review.add(ref, article, reviewer, comment, paragraphs=paragraph)
    _print_review(result.record(), as_json)


# --- coverage ---------------------------------------------------------------------------


def coverage_command(
    target: Annotated[str, typer.Argument(help="A country (KEN) or a law (DOC, DOC@DATE).")],
    every: Annotated[
        bool, typer.Option("--all", help="All UNCC articles, not only the core chapters.")
    ] = False,
    min_score: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Suggestion score that counts as implemented."),
    ] = None,
    fmt: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Which UNCC articles are implemented, partly or not found, and by which provisions."""
    from treatywatch.align.coverage import coverage

    report = coverage(target, all_articles=every, implemented_score=min_score)
    if as_json or fmt is Format.JSON:
        print_json(report.record())
        return
    if fmt is Format.CSV:
        emit_records(report.rows(), COVERAGE_COLUMNS, Format.CSV)
        return
    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")
    console.print(
        table(
            report.rows(compact=True),
            [c for c in COVERAGE_COLUMNS if c[0] != "title"],
            title=f"UNCC coverage: {report.target}",
        )
    )
    counts = report.counts()
    summary = [{"category": cat, **values} for cat, values in counts.items()]
    console.print(
        table(
            summary,
            [
                ("category", "category"),
                ("articles", "articles"),
                ("implemented", "implemented"),
                ("partial", "partial"),
                ("not-found", "not found"),
                ("mandatory_not_found", "mandatory not found"),
            ],
        )
    )
    console.print(
        f"[dim]{', '.join(report.versions)} · implemented = accepted, or suggested with score "
        f"≥ {report.implemented_score:.2f}[/]"
    )


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root `treatywatch` app."""
    app.command("align")(align_command)
    app.command("alignments")(alignments_command)
    app.command("coverage")(coverage_command)
    app.add_typer(review_app, name="review")
