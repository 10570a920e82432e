"""Render the fictional sample laws (src/treatywatch/samples/*.txt) as HTML, DOCX and PDF.

A developer tool, run by hand after editing a sample text; the rendered
files are committed so tests and the demo need nothing beyond the default
install. The .txt file is the master. Each rendering mimics how real laws
reach us:

- HTML: a government-site page with navigation, a footer and scripts
  around the law (readers must strip all of it);
- DOCX: title as Heading 1, parts/titles/chapters as Heading 2, provision
  headings bold, a running header and a PAGE field in the footer;
- PDF: A4 text with a running header and a "Page N of M" footer on every
  page (the segmenter must drop them), drawn with pypdfium2's standard
  fonts, which cover Latin scripts only, so the Arabic sample has no PDF.

Usage: .venv/bin/python scripts/make_samples.py [NAME ...]
"""

from __future__ import annotations

import ctypes
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "treatywatch" / "samples"
CONTAINER_RE = re.compile(r"^(PART|TITRE|Chapitre|TÍTULO|الفصل)\b")
HEADING_RE = re.compile(r"^(\d+\.\s|Article\s|Artículo\s|المادة\s)")


@dataclass(frozen=True)
class Sample:
    name: str
    language: str
    running_header: str
    page_label: str  # "Page {n} of {m}" in the document's language
    pdf: bool = True


SAMPLE_INFO = {
    "nor-ccea-2024": Sample(
        "nor-ccea-2024",
        "en",
        "Republic of Norland — Computer Crimes and Electronic Evidence Act, 2024 (fictional)",
        "Page {n} of {m}",
    ),
    "vlb-loi-2025-17": Sample(
        "vlb-loi-2025-17",
        "fr",
        "République de Valombre — Loi n° 2025-17 (fictive)",
        "Page {n} sur {m}",
    ),
    "rsm-ley-4312-2023": Sample(
        "rsm-ley-4312-2023",
        "es",
        "República de San Martín de los Altos — Ley N° 4.312 (ficticia)",
        "Página {n} de {m}",
    ),
    "mrj-qanun-9-2025": Sample(
        "mrj-qanun-9-2025", "ar", "دولة المروج — قانون رقم 9 لسنة 2025 (افتراضي)", "{n}", pdf=False
    ),
}


@dataclass(frozen=True)
class Block:
    kind: str  # disclaimer, title, container, heading, body
    text: str


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    seen_container = False
    for i, line in enumerate(line.strip() for line in text.splitlines()):
        if not line:
            continue
        if i == 0:
            out.append(Block("disclaimer", line))
        elif CONTAINER_RE.match(line):
            seen_container = True
            out.append(Block("container", line))
        elif not seen_container:
            out.append(Block("title", line))
        elif HEADING_RE.match(line):
            out.append(Block("heading", line))
        else:
            out.append(Block("body", line))
    return out


# --- HTML ---------------------------------------------------------------------


def to_html(sample: Sample, parts: list[Block]) -> str:
    direction = ' dir="rtl"' if sample.language == "ar" else ""
    body: list[str] = []
    first_title = True
    for block in parts:
        text = html.escape(block.text)
        if block.kind == "disclaimer":
            body.append(f'<p class="disclaimer"><strong>{text}</strong></p>')
        elif block.kind == "title":
            tag = "h1" if first_title else "p"
            first_title = False
            body.append(f"<{tag}>{text}</{tag}>")
        elif block.kind == "container":
            body.append(f"<h2>{text}</h2>")
        elif block.kind == "heading":
            body.append(f"<h3>{text}</h3>")
        else:
            body.append(f"<p>{text}</p>")
    law = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="{sample.language}"{direction}>
<head>
<meta charset="utf-8">
<title>{html.escape(sample.running_header)}</title>
<script>
window.dataLayer = window.dataLayer || []; function track(e) {{ dataLayer.push(e); }}
</script>
<style>body {{ font-family: serif; max-width: 48em; margin: auto; }}</style>
</head>
<body>
<nav class="site-nav"><a href="/">Home</a> | <a href="/laws">Laws</a> |
<a href="/gazette">Gazette</a> | <a href="/contact">Contact</a></nav>
<div class="cookie-banner">This site uses cookies.
<button onclick="track('cookies')">Accept</button></div>
<main>
<article class="law">
{law}
</article>
</main>
<footer><p>Official Gazette portal (fictional) · <a href="/privacy">Privacy</a> ·
<a href="/terms">Terms of use</a></p></footer>
<script>track({{"event": "page_view"}});</script>
</body>
</html>
"""


# --- DOCX ---------------------------------------------------------------------


def _page_field(paragraph: docx.text.paragraph.Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def to_docx(sample: Sample, parts: list[Block], path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = sample.running_header
    document.core_properties.author = "treatywatch (fictional sample)"
    section = document.sections[0]
    section.header.paragraphs[0].text = sample.running_header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    first_title = True
    for block in parts:
        if block.kind == "disclaimer":
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).italic = True
        elif block.kind == "title" and first_title:
            document.add_heading(block.text, level=1)
            first_title = False
        elif block.kind == "title":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "container":
            document.add_heading(block.text, level=2)
        elif block.kind == "heading":
            document.add_paragraph().add_run(block.text).bold = True
        else:
            document.add_paragraph(block.text)
    document.save(str(path))


# --- PDF ----------------------------------------------------------------------

A4 = (595.0, 842.0)
MARGIN = 64.0
SIZE = 10.5
LEADING = 14.0


class PdfWriter:
    """Lays out lines of text on A4 pages with pypdfium2's standard Type 1 fonts."""

    def __init__(self) -> None:
        self.pdf = pdfium.PdfDocument.new()
        self.fonts = {
            name: pdfium_c.FPDFText_LoadStandardFont(self.pdf.raw, name.encode())
            for name in ("Times-Roman", "Times-Bold", "Helvetica")
        }
        self.widths: dict[tuple[str, str, float], float] = {}

    def _text_object(self, text: str, font: str, size: float) -> object:
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.pdf.raw, self.fonts[font], size)
        buffer = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        return obj

    def width(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        if key not in self.widths:
            obj = self._text_object(text, font, size)
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            pdfium_c.FPDFPageObj_Destroy(obj)
            self.widths[key] = right.value - left.value
        return self.widths[key]

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines

    def draw(
        self, page: pdfium.PdfPage, text: str, font: str, size: float, x: float, y: float
    ) -> None:
        obj = self._text_object(text, font, size)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def to_pdf(sample: Sample, parts: list[Block], path: Path) -> None:
    writer = PdfWriter()
    width = A4[0] - 2 * MARGIN
    laid: list[tuple[str, str, float, float]] = []  # text, font, size, space before
    for block in parts:
        font, size, before = "Times-Roman", SIZE, 0.0
        if block.kind in {"title", "container"}:
            font, size, before = "Times-Bold", 12.0, 10.0
        elif block.kind == "heading":
            font, before = "Times-Bold", 8.0
        elif block.kind == "disclaimer":
            font, size = "Helvetica", 8.5
        for k, line in enumerate(writer.wrap(block.text, font, size, width)):
            laid.append((line, font, size, before if k == 0 else 0.0))
    pages: list[list[tuple[str, str, float, float]]] = [[]]
    y = A4[1] - MARGIN - 20
    for text, font, size, before in laid:
        y -= before + LEADING
        if y < MARGIN + 20:
            pages.append([])
            y = A4[1] - MARGIN - 20 - LEADING
        pages[-1].append((text, font, size, y))
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        page = writer.pdf.new_page(*A4)
        writer.draw(page, sample.running_header, "Helvetica", 8, MARGIN, A4[1] - MARGIN + 10)
        footer = sample.page_label.format(n=number, m=total)
        footer_x = (A4[0] - writer.width(footer, "Helvetica", 8)) / 2
        writer.draw(page, footer, "Helvetica", 8, footer_x, MARGIN - 24)
        for text, font, size, y in lines:
            writer.draw(page, text, font, size, MARGIN, y)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    writer.pdf.save(str(path))


def main(names: list[str]) -> None:
    for name in names or sorted(SAMPLE_INFO):
        sample = SAMPLE_INFO[name]
        parts = blocks((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
        (SAMPLES / f"{name}.html").write_text(to_html(sample, parts), encoding="utf-8")
        to_docx(sample, parts, SAMPLES / f"{name}.docx")
        if sample.pdf:
            to_pdf(sample, parts, SAMPLES / f"{name}.pdf")
        print(f"rendered {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
