"""The analysis half of ``make demo``: align, assess and report every stored law.

Runs after the ingest step has stored the sample laws (and the real corpus
when present), so a fresh clone ends with a report per country and a global
one that a reader can open without any further command.
"""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select

from treatywatch.align import service as align_service
from treatywatch.assess.service import assess_document
from treatywatch.config import settings
from treatywatch.output import console, err_console
from treatywatch.report.build import build_report
from treatywatch.report.render import ReportFormat, render, write
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow


def _countries() -> list[str]:
    with session_scope() as session:
        codes = session.scalars(select(DocumentRow.jurisdiction_code).distinct()).all()
    return sorted(codes)


def _documents() -> list[str]:
    with session_scope() as session:
        return list(session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)).all())


def demo_step() -> Path:
    """Align and assess every stored law, write reports; returns the report folder."""
    out = settings().data_dir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    console.rule("[bold]align → assess → report")
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("aligning", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=f"aligning {label}")

        batch = align_service.align_all(progress=progress)
    for report in batch.reports:
        record = report.record()
        counts = record["counts"]
        console.print(
            f"  aligned {record['ref']}: {counts['matched']}/{counts['provisions']} provisions "
            f"matched ({record['engine'].get('embedding_model') or 'no embeddings'})"
        )
    for failure in batch.failures:
        console.print(f"  [yellow]not aligned[/] {failure}")
    for document in _documents():
        assess_document(document)
    console.print(f"  assessed {len(_documents())} laws against the 13 rights criteria")
    written: list[Path] = []
    for code in _countries():
        data = build_report(code)
        for fmt in (ReportFormat.HTML, ReportFormat.MD, ReportFormat.JSON):
            written.append(write(render(data, fmt), out / f"{code}.{fmt.value}"))
    world = build_report(None)
    written.append(write(render(world, ReportFormat.HTML), out / "global.html"))
    written.append(write(render(world, ReportFormat.PDF), out / "global.pdf"))
    console.print(f"  {len(written)} report files in [bold]{out}[/]")
    console.print(f"  open [bold]{out / 'global.html'}[/] for the world view")
    return out
