"""The ingest stage's part of ``make demo``.

1. Every fictional sample law is read in every format it ships in (TXT,
   HTML, DOCX, PDF) to show the readers agree, and stored once (from its
   richest format); the amended Norland Act is stored as a second version
   and diffed against the first.
2. When the real corpus is present (``../shared/corpus`` or
   ``TREATYWATCH_CORPUS``), each national law is ingested from its best
   rendering (PDF first) and its segmentation scored against
   ``expected.json``; the Budapest Convention, a treaty with no
   jurisdiction, is segmented and scored but not stored.
3. Each stored law is exported as JSON and Akoma Ntoso into
   ``<data dir>/exports``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from treatywatch.config import settings
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.corpus import CorpusDocument, corpus_documents
from treatywatch.ingest.diff import diff_segmentations
from treatywatch.ingest.documents import load_version
from treatywatch.ingest.export import export_to
from treatywatch.ingest.pipeline import IngestRequest, analyse, ingest
from treatywatch.ingest.segment import segmentation_accuracy
from treatywatch.output import console, err_console, table
from treatywatch.samples import NORLAND_AMENDED, SAMPLE_LAWS, SampleLaw
from treatywatch.store import session_scope

STORE_FORMAT_ORDER = ("pdf", "docx", "html", "txt")
COLUMNS = [
    ("document", "document"),
    ("file", "file"),
    ("language", "lang."),
    ("provisions", "provisions"),
    ("expected", "expected"),
    ("accuracy", "accuracy"),
    ("stored", "stored as"),
]


@dataclass(frozen=True)
class Job:
    label: str
    path: Path
    run: str  # "store" or "analyse"
    request: IngestRequest | None = None
    expected: list[dict[str, Any]] | None = None


def _sample_jobs() -> list[Job]:
    jobs = []
    for law in SAMPLE_LAWS:
        stored = next(f for f in STORE_FORMAT_ORDER if f in law.formats)
        for fmt in law.formats:
            path = law.path(fmt)
            if fmt == stored:
                jobs.append(Job(law.name, path, "store", _sample_request(law, fmt)))
            else:
                jobs.append(Job(law.name, path, "analyse"))
    amended = NORLAND_AMENDED
    jobs.append(Job(amended.name, amended.path("txt"), "store", _sample_request(amended, "txt")))
    return jobs


def _sample_request(law: SampleLaw, fmt: str) -> IngestRequest:
    return IngestRequest(
        path=law.path(fmt),
        country=law.country,
        title=law.title,
        date=law.date,
        doc_id=law.document_id,
        actor="treatywatch demo",
        note="fictional sample law shipped with treatywatch",
    )


def _corpus_jobs(documents: list[CorpusDocument]) -> list[Job]:
    jobs = []
    for document in documents:
        path = document.preferred
        if path is None:
            continue
        if document.country is None:
            jobs.append(Job(document.id, path, "analyse", expected=document.expected))
            continue
        request = IngestRequest(
            path=path,
            country=document.country,
            title=document.title,
            doc_id=document.work_id or document.id,
            actor="treatywatch demo",
            note=f"rendering from the test corpus ({document.id})",
        )
        jobs.append(Job(document.id, path, "store", request, document.expected))
    return jobs


def _run(job: Job) -> tuple[dict[str, Any], str | None]:
    row: dict[str, Any] = {"document": job.label, "file": job.path.name}
    if job.run == "store" and job.request is not None:
        result = ingest(job.request)
        tree, language, ref = result.segmentation, result.language, result.ref
        row["stored"] = f"{ref} ({result.status})"
    else:
        analysis = analyse(job.path)
        tree, language, ref = analysis.segmentation, analysis.language, None
        row["stored"] = "—"
    row["language"] = language
    row["provisions"] = len(tree.provisions)
    if job.expected:
        score = segmentation_accuracy(job.expected, tree)
        row["expected"] = score["expected"]
        row["accuracy"] = f"{score['accuracy']:.0%}"
    return row, ref


def run() -> None:
    console.rule("[bold]Ingest: laws into provision trees")
    documents = corpus_documents()
    jobs = _sample_jobs() + _corpus_jobs(documents)
    rows: list[dict[str, Any]] = []
    refs: list[str] = []
    with Progress(
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err_console,
    ) as progress:
        task = progress.add_task("", total=len(jobs))
        for job in jobs:
            progress.update(task, description=escape(f"{job.label}/{job.path.name}"))
            try:
                row, ref = _run(job)
            except TreatywatchError as exc:
                row, ref = (
                    {
                        "document": job.label,
                        "file": job.path.name,
                        "stored": f"failed: {exc.message}",
                    },
                    None,
                )
            rows.append(row)
            if ref and ref not in refs:
                refs.append(ref)
            progress.advance(task)
    console.print(table(rows, COLUMNS, title="Laws read (samples are fictional)"))
    if not documents:
        console.print(
            "[dim]No real corpus found (../shared/corpus or TREATYWATCH_CORPUS): "
            "showing the sample laws only.[/]"
        )
    _show_diff()
    exports = settings().data_dir / "exports"
    written = [path for ref in refs for path in export_to(exports, ref)]
    laws = len({ref.split("@")[0] for ref in refs})
    console.print(
        f"Exported {len(refs)} versions of {laws} laws as JSON and Akoma Ntoso "
        f"({len(written)} files) to [bold]{escape(str(exports))}[/]"
    )
    console.print(
        "Try: [cyan]treatywatch documents list[/], "
        f"[cyan]treatywatch diff {SAMPLE_LAWS[0].document_id}@{SAMPLE_LAWS[0].date} "
        f"{NORLAND_AMENDED.document_id}@{NORLAND_AMENDED.date}[/]"
    )


def _show_diff() -> None:
    old_ref = f"{SAMPLE_LAWS[0].document_id}@{SAMPLE_LAWS[0].date.isoformat()}"
    new_ref = f"{NORLAND_AMENDED.document_id}@{NORLAND_AMENDED.date.isoformat()}"
    try:
        with session_scope() as session:
            old_info, old_tree = load_version(session, old_ref)
            new_info, new_tree = load_version(session, new_ref)
    except TreatywatchError:
        return
    result = diff_segmentations(old_tree, new_tree, old_name=old_info.ref, new_name=new_info.ref)
    counts = result.counts()
    changed = ", ".join(
        f"{c.status} {c.new_path or c.old_path}"
        + (f" (was {c.old_path})" if c.renumbered and c.old_path else "")
        for c in result.changes
    )
    console.print(
        f"Versions: {escape(old_ref)} → {escape(new_ref)}: {counts['changed']} changed, "
        f"{counts['added']} added, {counts['removed']} removed — {escape(changed)}"
    )
