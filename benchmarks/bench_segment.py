"""Segmenter and enrichment: time and memory on real laws, against naive baselines.

Baselines:

- ``str.splitlines()`` plus one regex pass for heading lines: the least any
  segmenter must do, so the ratio shows what structure, subsections,
  paths, classification, cross-references and penalties cost on top;
- ``pdftotext`` (poppler) on the same law's PDF: the issue's throughput
  target is the whole PDF → store pipeline within 2× of it, so this row
  shows the share this stage takes of that budget.

The corpus is read from ``TREATYWATCH_CORPUS`` or ``../shared/corpus``;
without it, a synthetic fictional law of similar size is generated so the
suite still runs on a fresh clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from benchmarks.harness import Comparison, measure
from treatywatch.ingest.enrich import enrich
from treatywatch.ingest.model import Line
from treatywatch.ingest.segment import segment

_ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("TREATYWATCH_CORPUS", _ROOT.parent / "shared" / "corpus"))
_HEADING = re.compile(r"^(?:#+\s*)?(?:§+|Article|Artículo|Section|\d+[A-Z]?\.)\s*\d*")


def _synthetic_law(sections: int = 600) -> str:
    """A fictional Act with parts, sections, subsections and penalties (no real text)."""
    lines = ["FICTIONAL BENCHMARK ACT"]
    for number in range(1, sections + 1):
        if number % 50 == 1:
            lines.append(f"PART {number // 50 + 1} - FICTIONAL MATTERS")
        lines.append(f"{number}. Imaginary rule number {number}")
        lines.append(
            f"(1) A keeper who breaks imaginary rule {number} commits an offence and is liable "
            "to a fine not exceeding one million shillings or to imprisonment for a term not "
            "exceeding five years, or to both."
        )
        lines.append(
            f"(2) Subsection (1) does not apply where section {max(1, number - 1)} applies."
        )
        lines.append("(a) the first fictional case; or")
        lines.append("(b) the second fictional case.")
    return "\n".join(lines)


def _pipeline(text: str) -> object:
    result = segment([Line(t) for t in text.splitlines()])
    enrich(result)
    return result


def _baseline(text: str) -> object:
    return [line for line in text.splitlines() if _HEADING.match(line)]


def _text_case(name: str, text: str, note: str) -> Comparison:
    return Comparison(
        "segment",
        name,
        measure("segment + enrich", lambda: _pipeline(text), repeat=3),
        measure("splitlines + heading regex", lambda: _baseline(text), repeat=3),
        note,
    )


def _pdf_case(pdf: Path) -> Comparison | None:
    """This stage on a PDF's reader output, against pdftotext on the same file."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    try:
        from treatywatch.ingest.readers import read_file
    except ImportError:
        return None
    lines = read_file(pdf).lines

    def stage() -> object:
        result = segment(lines)
        enrich(result)
        return result

    def poppler() -> object:
        return subprocess.run(
            [pdftotext, "-q", str(pdf), "-"], capture_output=True, check=True
        ).stdout

    return Comparison(
        "segment",
        f"{pdf.parent.name}/law.pdf: this stage vs pdftotext",
        measure("segment + enrich (reader lines)", stage, repeat=5),
        measure("pdftotext", poppler, repeat=5),
        "share of the 2x-pdftotext budget for PDF → store",
    )


def run() -> list[Comparison]:
    results: list[Comparison] = []
    big = CORPUS / "deu-stgb-cyber" / "original.md"
    if big.is_file():
        results.append(
            _text_case(
                "German Criminal Code (original.md, 523 kB, 550 §§)",
                big.read_text("utf-8"),
                "largest real input",
            )
        )
        texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*/law.txt"))]
        size = sum(len(t) for t in texts) // 1000
        results.append(
            Comparison(
                "segment",
                f"every corpus law.txt, one by one ({len(texts)} laws, {size} kB)",
                measure("segment + enrich", lambda: [_pipeline(t) for t in texts], repeat=3),
                measure(
                    "splitlines + heading regex", lambda: [_baseline(t) for t in texts], repeat=3
                ),
                "en, fr, es, de",
            )
        )
        pdf = CORPUS / "gha-csa-2020" / "law.pdf"
        if pdf.is_file():
            case = _pdf_case(pdf)
            if case is not None:
                results.append(case)
    else:
        results.append(
            _text_case(
                "synthetic fictional Act (600 sections)",
                _synthetic_law(),
                f"corpus not found at {CORPUS}",
            )
        )
    return results
