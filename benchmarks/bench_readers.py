"""Readers: PDF text extraction against poppler's pdftotext, other formats against naive parsing.

The ingest target is "PDF -> stored provisions within 2x of pdftotext"; the
reader's share of that budget is measured here per corpus PDF (pdftotext is
run as the command-line tool users would compare with, so its time includes
starting the process). Needs ../shared/corpus (or TREATYWATCH_CORPUS);
without it the suite reports nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from benchmarks.harness import Comparison, measure
from treatywatch.ingest.readers import read_file

SHARED = Path(os.environ.get("TREATYWATCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = Path(os.environ.get("TREATYWATCH_CORPUS", SHARED / "corpus"))
AKN_DOCS = SHARED / "akn" / "docs"
PDFTOTEXT = shutil.which("pdftotext")


def run() -> list[Comparison]:
    if not CORPUS.is_dir():
        return []
    results: list[Comparison] = []
    pdfs = sorted(CORPUS.glob("*/law.pdf"))
    if PDFTOTEXT and pdfs:
        results.extend(_pdf(pdfs))
    results.extend(_other_formats())
    return results


def _pdftotext(path: Path, *, layout: bool) -> None:
    args = [PDFTOTEXT or "pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    subprocess.run(args, check=True, capture_output=True)


def _pdf(pdfs: list[Path]) -> list[Comparison]:
    results = []
    for pdf in pdfs:
        pages = read_file(pdf).metadata["pages"]
        results.append(
            Comparison(
                "readers",
                f"PDF {pdf.parent.name} ({pages} pages)",
                measure("read_file (pypdfium2)", lambda p=pdf: read_file(p)),
                measure("pdftotext -layout", lambda p=pdf: _pdftotext(p, layout=True)),
                "incl. header/footer removal and hyphenation repair",
            )
        )

    def ours() -> None:
        for pdf in pdfs:
            read_file(pdf)

    def poppler(layout: bool) -> None:
        for pdf in pdfs:
            _pdftotext(pdf, layout=layout)

    candidate = measure("read_file (pypdfium2)", ours, repeat=3)
    results.append(
        Comparison(
            "readers",
            f"all {len(pdfs)} corpus PDFs",
            candidate,
            measure("pdftotext -layout", lambda: poppler(True), repeat=3),
            "target: whole pipeline within 2x",
        )
    )
    results.append(
        Comparison(
            "readers",
            f"all {len(pdfs)} corpus PDFs",
            candidate,
            measure("pdftotext (raw order)", lambda: poppler(False), repeat=3),
        )
    )
    return results


def _other_formats() -> list[Comparison]:
    import docx
    from bs4 import BeautifulSoup
    from lxml import etree

    results = []
    docs = sorted(CORPUS.glob("*/law.docx"))
    if docs:

        def ours_docx() -> None:
            for path in docs:
                read_file(path)

        def naive_docx() -> None:
            for path in docs:
                [p.text for p in docx.Document(str(path)).paragraphs]

        results.append(
            Comparison(
                "readers",
                f"all {len(docs)} corpus DOCX",
                measure("read_file (guards + styles)", ours_docx, repeat=3),
                measure("python-docx paragraphs", naive_docx, repeat=3),
                "zip-bomb/DTD checks, heading and bold hints",
            )
        )
    html = CORPUS / "phl-ra10175-2012" / "source.html"
    if html.exists():
        results.append(
            Comparison(
                "readers",
                "HTML lawphil RA 10175",
                measure("read_file (blocks + hints)", lambda: read_file(html)),
                measure(
                    "BeautifulSoup get_text",
                    lambda: BeautifulSoup(html.read_bytes(), "lxml").get_text("\n"),
                ),
                "drops scripts and page chrome",
            )
        )
    akn = AKN_DOCS / "uk-data-protection-act-1998.xml"
    if akn.exists():
        results.append(
            Comparison(
                "readers",
                "AKN UK DPA 1998 (1 MB)",
                measure("read_file (defusedxml, units)", lambda: read_file(akn), repeat=3),
                measure(
                    "lxml parse + itertext",
                    lambda: "".join(etree.fromstring(akn.read_bytes()).itertext()),
                    repeat=3,
                ),
                "DTD refused; sections with nums, headings, containers",
            )
        )
    markdown = CORPUS / "deu-stgb-cyber" / "original.md"
    if markdown.exists():
        results.append(
            Comparison(
                "readers",
                "Markdown whole StGB (520 KB)",
                measure("read_file (md)", lambda: read_file(markdown), repeat=3),
                measure(
                    "read_text + splitlines",
                    lambda: markdown.read_text(encoding="utf-8").splitlines(),
                    repeat=3,
                ),
                "encoding check, NFC, heading hints",
            )
        )
    return results
