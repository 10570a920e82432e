"""Ingest: PDF → stored provisions against poppler's `pdftotext`, memory, and accuracy.

- Throughput (target ≤ 2×): each corpus PDF (and the fictional Norland
  sample, so the suite runs without ../shared) is ingested into a SQLite
  store — read, segmented, classified, enriched, written with its search
  entries — and timed against ``pdftotext`` extracting the same file's
  text, in the same process, median of several runs.
- Memory (target < 500 MB): the largest corpus PDF and the largest corpus
  file of any kind are each ingested in a fresh child process, whose peak
  resident set size (``ru_maxrss``) includes the interpreter, the PDF
  library and the store; ``pdftotext`` is measured the same way. The
  in-process ``peak MB`` column elsewhere is tracemalloc's Python heap
  only, which misses memory PDFium allocates in C.
- Accuracy (report only): per corpus law, read + segment against read
  alone, with the segmentation accuracy against ``expected.json`` in the
  note.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Comparison, Measurement, measure
from treatywatch.ingest.corpus import CorpusDocument, corpus_documents
from treatywatch.ingest.pipeline import IngestRequest, analyse, ingest
from treatywatch.ingest.readers import read_file
from treatywatch.ingest.segment import segmentation_accuracy
from treatywatch.samples import SAMPLE_COUNTRY, SAMPLE_LAWS
from treatywatch.store import init_store
from treatywatch.store.db import dispose_engines

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
THROUGHPUT_TARGET = 2.0
MEMORY_TARGET_MB = 500
REPEAT = 5

_CHILD = """
import json, resource, subprocess, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "pdftotext":
    start = time.perf_counter()
    subprocess.run([sys.argv[3], str(path), "-"], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "provisions": 0}))
    sys.exit()
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.store import init_store
url, country = sys.argv[3], sys.argv[4]
init_store(url)
start = time.perf_counter()
result = ingest(IngestRequest(path=path, country=country, doc_id="memory"), url=url)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024,
                  "provisions": len(result.segmentation.provisions)}))
"""


def _pdftotext(path: Path) -> None:
    subprocess.run([PDFTOTEXT, str(path), "-"], check=True, capture_output=True)


def _throughput(label: str, path: Path, country: str, tmp: Path) -> Comparison:
    counter = itertools.count()
    url = ""

    def fresh_store() -> None:
        # Every timed run ingests into a new, empty store (created untimed), so no
        # run finds or builds on what an earlier run of the same file stored.
        nonlocal url
        url = f"sqlite:///{tmp / f'bench-{next(counter)}.db'}"
        init_store(url)

    def candidate() -> None:
        ingest(IngestRequest(path=path, country=country, doc_id="bench"), url=url)

    provisions = len(analyse(path).segmentation.provisions)
    result = Comparison(
        "ingest",
        f"{label}: PDF → stored provisions",
        measure("treatywatch ingest", candidate, repeat=REPEAT, setup=fresh_store),
        measure("pdftotext", lambda: _pdftotext(path), repeat=REPEAT),
        "",
    )
    verdict = "meets" if result.ratio <= THROUGHPUT_TARGET else "misses"
    return Comparison(
        result.suite,
        result.case,
        result.candidate,
        result.baseline,
        f"{provisions} provisions, {path.stat().st_size / 1024:.0f} KB; {verdict} the "
        f"≤ {THROUGHPUT_TARGET:g}× target",
    )


def _child(args: list[str]) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], check=True, capture_output=True, text=True
    ).stdout
    data: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return data


def _memory(document: CorpusDocument, path: Path, tmp: Path, what: str) -> Comparison:
    url = f"sqlite:///{tmp / f'memory-{document.id}-{path.stem}.db'}"
    ours = _child(["ingest", str(path), url, document.country or "DEU"])
    candidate = Measurement("ingest (child process RSS)", ours["seconds"], ours["peak_mb"])
    if path.suffix == ".pdf":
        theirs = _child(["pdftotext", str(path), PDFTOTEXT])
        baseline = Measurement("pdftotext (child RSS)", theirs["seconds"], theirs["peak_mb"])
    else:
        start = measure("read only", lambda: read_file(path), repeat=1)
        baseline = Measurement("read only (in process)", start.seconds, start.peak_mb)
    verdict = "meets" if ours["peak_mb"] < MEMORY_TARGET_MB else "misses"
    return Comparison(
        "ingest",
        f"memory, {what}: {document.id}/{path.name} ({path.stat().st_size / 1024:.0f} KB)",
        candidate,
        baseline,
        f"peak RSS {ours['peak_mb']:.0f} MB incl. interpreter; {verdict} < "
        f"{MEMORY_TARGET_MB} MB; {int(ours['provisions'])} provisions",
    )


def _accuracy(document: CorpusDocument, path: Path) -> Comparison:
    analysis = analyse(path)
    score = segmentation_accuracy(document.expected, analysis.segmentation)
    return Comparison(
        "segmentation",
        f"{document.id}/{path.name}",
        measure("read + segment + enrich", lambda: analyse(path), repeat=3),
        measure("read only", lambda: read_file(path), repeat=3),
        f"accuracy {score['accuracy']:.1%} ({score['expected']} expected, "
        f"{score['found']} found, precision {score['precision']:.1%}); report only",
    )


def _largest_file(documents: list[CorpusDocument]) -> tuple[CorpusDocument, Path] | None:
    """The biggest ingestible file in the corpus, including each folder's original.md."""
    candidates = [
        (document, path)
        for document in documents
        if document.country
        for path in [*document.files.values(), document.folder / "original.md"]
        if path.is_file()
    ]
    return max(candidates, key=lambda c: c[1].stat().st_size) if candidates else None


def run() -> list[Comparison]:
    results: list[Comparison] = []
    documents = corpus_documents()
    pdfs = [(d, d.files["law.pdf"]) for d in documents if "law.pdf" in d.files and d.country]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        norland = SAMPLE_LAWS[0]
        results.append(
            _throughput("sample " + norland.name, norland.path("pdf"), SAMPLE_COUNTRY, tmp / "s")
        )
        for document, path in pdfs:
            results.append(
                _throughput(document.id, path, document.country or "", tmp / document.id)
            )
        if pdfs:
            ours = sum(r.candidate.seconds for r in results[1:])
            theirs = sum(r.baseline.seconds for r in results[1:])
            ratio = ours / theirs if theirs else float("inf")
            results.append(
                Comparison(
                    "ingest",
                    f"all {len(pdfs)} corpus PDFs (sum of medians)",
                    Measurement(
                        "treatywatch ingest", ours, max(r.candidate.peak_mb for r in results)
                    ),
                    Measurement("pdftotext", theirs, 0.0),
                    f"{'meets' if ratio <= THROUGHPUT_TARGET else 'misses'} the "
                    f"≤ {THROUGHPUT_TARGET:g}× target",
                )
            )
            document, path = max(pdfs, key=lambda dp: dp[1].stat().st_size)
            results.append(_memory(document, path, tmp, "largest PDF"))
        largest = _largest_file(documents)
        if largest is not None:
            results.append(_memory(largest[0], largest[1], tmp, "largest file"))
        for document in documents:
            if document.preferred is not None:
                results.append(_accuracy(document, document.preferred))
        dispose_engines()
    return results


def main() -> None:
    """``python -m benchmarks.bench_ingest``: this suite alone (same as
    ``python -m benchmarks ingest``)."""
    from benchmarks.__main__ import print_table

    print_table(run())


if __name__ == "__main__":
    main()
