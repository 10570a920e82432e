"""PDF reader: the text layer via PDFium (pypdfium2, Apache-2.0/BSD-3).

PDFium is a C library that is fast and fuzzed hard; we ask it for each
page's text in one call and for the position of only a few lines per page
(the first and last lines in drawing order, where producers put headers and
footers, plus anything shaped like a page number). Asking for every line's
position would double the cost for no gain.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from treatywatch.ingest.model import IngestError, Line, ReadResult
from treatywatch.ingest.readers.files import check_file, read_head
from treatywatch.ingest.readers.layout import (
    PAGE_NUMBER,
    PageLine,
    join_hyphenation,
    strip_furniture,
)
from treatywatch.ingest.readers.rtl import has_rtl, looks_reversed, reorder_line
from treatywatch.ingest.readers.textnorm import clean_line, fold_presentation_forms

EDGE_LINES = 5  # lines at each end of a page's drawing order that may be furniture
MIN_CHARS_PER_PAGE = 20  # below this on average, with images, the PDF is a scan

# PDFium is not thread-safe; one document at a time per process.
_PDFIUM_LOCK = threading.Lock()
_LINE_BREAK = "\r\n"
_STRAY_BREAKS = re.compile(r"[\r\n]")
_PDFIUM_HYPHEN = "\ufffe"
_SOFT_HYPHEN_MARKS = ("\u00ad", "\x02")
_SOFT_HYPHEN_END = re.compile(r"(?<=\w)[\u00ad\x02]$")

CORRUPT_HINT = "download it again; if it still fails, open and re-save it with a PDF tool"
OCR_HINT = (
    "run OCR first, e.g. `ocrmypdf input.pdf output.pdf` (Debian package ocrmypdf), "
    "then ingest output.pdf; or find a text version at the official source"
)


def read(path: Path, *, max_bytes: int) -> ReadResult:
    check_file(path, max_bytes)
    head = read_head(path, 1024)
    if b"%PDF-" not in head:
        raise IngestError(
            str(path),
            "not a PDF file (no %PDF header)",
            hint="check that the download is the document itself, not an error page",
        )
    with _PDFIUM_LOCK:
        document = _open(path)
        try:
            pages, meta, unreadable = _extract(path, document)
            if sum(len(line.text) for page in pages for line in page) < MIN_CHARS_PER_PAGE * max(
                len(pages), 1
            ):
                _reject_if_scanned(path, document, pages)
        finally:
            document.close()
    return _assemble(path, pages, meta, unreadable)


def _open(path: Path) -> Any:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise IngestError(
                str(path),
                "PDF is encrypted (password protected)",
                hint="get an unprotected copy, or remove the password with a tool you trust "
                "(e.g. `qpdf --decrypt --password=PW in.pdf out.pdf`) and ingest that",
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise IngestError(
                str(path),
                "PDF uses an unsupported encryption scheme",
                hint="get an unprotected copy of the document",
            ) from None
        raise IngestError(
            str(path), "PDF is corrupt or truncated and cannot be opened", hint=CORRUPT_HINT
        ) from None


def _extract(path: Path, document: Any) -> tuple[list[list[PageLine]], dict[str, Any], list[int]]:
    pages: list[list[PageLine]] = []
    unreadable: list[int] = []
    try:
        n_pages = len(document)
    except pdfium.PdfiumError:
        raise IngestError(
            str(path), "PDF is corrupt (cannot count its pages)", hint=CORRUPT_HINT
        ) from None
    for index in range(n_pages):
        try:
            pages.append(_page_lines(document, index))
        except pdfium.PdfiumError:
            unreadable.append(index + 1)
            pages.append([])
    meta: dict[str, Any] = {"pages": n_pages}
    try:
        info = document.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        info = {}
    for key in ("Title", "Author", "Subject", "Producer", "CreationDate"):
        if info.get(key):
            meta[key.lower()] = clean_line(str(info[key]))
    return pages, meta, unreadable


def _page_lines(document: Any, index: int) -> list[PageLine]:
    page = document[index]
    try:
        _left, bottom, _right, top = page.get_bbox()
        height = (top - bottom) or 1.0
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            texts = raw.split(_LINE_BREAK)
            lines = [PageLine(text) for text in texts]
            offsets = []
            offset = 0
            for text in texts:
                offsets.append(offset)
                offset += _utf16_len(text) + len(_LINE_BREAK)
            n = len(lines)
            wanted = set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n))
            wanted |= {i for i, line in enumerate(lines) if PAGE_NUMBER.match(line.text.strip())}
            box = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
            for i in wanted:
                text = lines[i].text
                stripped = len(text) - len(text.lstrip())
                if stripped == len(text):
                    continue
                char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(
                    textpage, offsets[i] + _utf16_len(text[:stripped])
                )
                if char < 0 or not pdfium_c.FPDFText_GetCharBox(textpage, char, *box):
                    continue
                _l, _r, char_bottom, char_top = (v.value for v in box)
                lines[i].pos = min(max((top - (char_top + char_bottom) / 2) / height, 0.0), 1.0)
        finally:
            textpage.close()
    finally:
        page.close()
    if _PDFIUM_HYPHEN not in raw and not _STRAY_BREAKS.search(raw.replace(_LINE_BREAK, "")):
        return lines  # no line to split (the usual page): skip the per-line pass
    out: list[PageLine] = []
    for line in lines:
        # PDFium joins a word hyphenated at a line end and marks the spot with U+FFFE;
        # restore the two lines so one rule (layout.join_hyphenation) decides for all.
        text = line.text.replace(_PDFIUM_HYPHEN, "-\n")
        if _STRAY_BREAKS.search(text):
            parts = _STRAY_BREAKS.split(text)
            out.append(PageLine(parts[0], line.pos))
            out.extend(PageLine(part) for part in parts[1:])
        else:
            out.append(line)
    return out


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _reject_if_scanned(path: Path, document: Any, pages: list[list[PageLine]]) -> None:
    n_chars = sum(len(line.text.strip()) for page in pages for line in page)
    has_images = False
    for index in range(min(len(document), 50)):
        try:
            page = document[index]
        except pdfium.PdfiumError:
            continue
        try:
            if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])):
                has_images = True
                break
        except pdfium.PdfiumError:
            continue
        finally:
            page.close()
    if n_chars == 0:
        what = "scanned page images" if has_images else "no text"
        raise IngestError(
            str(path),
            f"PDF has no text layer ({len(pages)} page(s) with {what}); it is probably scanned",
            hint=OCR_HINT + _ocr_installed(),
        )
    if has_images:
        raise IngestError(
            str(path),
            f"PDF has no text layer: {len(pages)} page(s) of images with only {n_chars} "
            "characters of text; it is probably scanned",
            hint=OCR_HINT + _ocr_installed(),
        )


def _ocr_installed() -> str:
    return " (ocrmypdf is installed here)" if shutil.which("ocrmypdf") else ""


def _assemble(
    path: Path, pages: list[list[PageLine]], meta: dict[str, Any], unreadable: list[int]
) -> ReadResult:
    warnings: list[str] = []
    for page in pages:
        for line in page:
            # A soft hyphen (or PDFium's \x02) ending a line is a word broken there.
            text = line.text.rstrip()
            if text.endswith(_SOFT_HYPHEN_MARKS):
                text = _SOFT_HYPHEN_END.sub("-", text)
            if not text.isascii():
                text = fold_presentation_forms(text)
            line.text = clean_line(text)
    kept, removed = strip_furniture(pages)
    if removed:
        meta["furniture_lines_removed"] = removed
    if any(has_rtl(text) for page in kept for text in page[:200]):
        flat = [text for page in kept for text in page if has_rtl(text)]
        if looks_reversed(flat):
            kept = [[reorder_line(text) for text in page] for page in kept]
            warnings.append("right-to-left text came out in reversed order; it was reordered")
            meta["rtl_reordered"] = True
    lines = [
        Line(text, page=number) for number, page in enumerate(kept, 1) for text in page if text
    ]
    lines, joined = join_hyphenation(lines)
    if joined:
        meta["hyphenations_joined"] = joined
    empty = [n for n, page in enumerate(kept, 1) if not any(page)]
    if unreadable:
        warnings.append(f"pages {_ranges(unreadable)} could not be read and were skipped")
    blank = [n for n in empty if n not in unreadable]
    if blank and len(blank) < len(pages):
        warnings.append(f"pages {_ranges(blank)} have no text (blank or scanned)")
    if not lines:
        raise IngestError(
            str(path),
            "PDF has no text layer (no extractable text); it is probably scanned",
            hint=OCR_HINT + _ocr_installed(),
        )
    if not _ends_with_eof(path):
        warnings.append("the file has no %%EOF marker at its end; it may be truncated")
    return ReadResult(
        path=str(path),
        source_format="pdf",
        lines=lines,
        title=meta.get("title"),
        metadata=meta,
        warnings=warnings,
    )


def _ends_with_eof(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 2048))
            return b"%%EOF" in handle.read()
    except OSError:
        return True


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
