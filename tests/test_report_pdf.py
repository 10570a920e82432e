"""The PDF report, checked the way a reader sees it: pages as images, text extracted back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from report_store import COUNTRY, build_store
from treatywatch.report.build import build_report
from treatywatch.report.render import ReportFormat, render, write

pytest.importorskip("weasyprint", reason="PDF output needs the weasyprint package")
Image = pytest.importorskip("PIL.Image", reason="page images are read with Pillow")
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def _ink(png: Path) -> float:
    """Share of pixels that are not (near) white."""
    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    dark = sum(histogram[:240])
    return dark / sum(histogram)


@needs_pdftoppm
def test_pdf_pages_render_with_content_and_headings(initialised: str, tmp_path: Path) -> None:
    build_store(initialised, tmp_path)
    data = build_report(
        COUNTRY, url=initialised, generated_at=dt.datetime(2025, 1, 31, tzinfo=dt.UTC)
    )
    pdf = write(render(data, ReportFormat.PDF), tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages:
        assert _ink(page) > 0.005, f"{page.name} looks blank"

    document = pdfium.PdfDocument(str(pdf))
    try:
        assert len(document) == len(pages)
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    for heading in (
        "Human-rights assessment",
        "Summary",
        "Scorecard",
        "Gap analysis",
        "Serious crimes",
        "Findings and evidence",
        "Methodology",
    ):
        assert heading in text, heading
    assert "<script>alert('x')</script>" in text  # shown as text, never run
