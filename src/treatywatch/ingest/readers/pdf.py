"""PDF reader: the text layer via PDFium (pypdfium2, Apache-2.0/BSD-3).

PDFium is a C library that is fast and fuzzed hard; we ask it for each
page's text in one call and for the position of only a few lines per page
(the first and last lines in drawing order, where producers put headers and
footers, plus anything shaped like a page number). Asking for every line's
position would double the cost for no gain. PDFium reads in a helper thread
while the reading thread cleans the pages already read (see ``_extract``).
"""

from __future__ import annotations

import ctypes
import queue
import re
import shutil
import threading
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from treatywatch.ingest.model import IngestError, Line, ReadResult
from treatywatch.ingest.readers.files import check_file, read_head
from treatywatch.ingest.readers.layout import (
    PageLine,
    dropped_by_page,
    find_furniture,
    is_page_number,
    join_hyphenation,
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
            pages, built, meta, unreadable, counts = _extract(path, document)
            if counts.chars < MIN_CHARS_PER_PAGE * max(len(pages), 1):
                _reject_if_scanned(path, document, len(pages), counts.stripped)
        finally:
            document.close()
    return _assemble(path, pages, meta, unreadable, built)


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


@dataclass
class _Counts:
    """Characters of the text as PDFium gave it, before clean-up (the scan test)."""

    chars: int = 0
    stripped: int = 0  # without the blanks at each line's ends


def _extract(
    path: Path, document: Any
) -> tuple[list[list[PageLine]], list[list[Line | None]], dict[str, Any], list[int], _Counts]:
    """Every page's lines, cleaned and as ``Line`` records; the metadata; the
    unreadable pages; the counts.

    PDFium runs in a helper thread, page after page, while this thread
    cleans the lines of the pages already out and makes their records:
    PDFium releases the GIL inside its calls, so that work takes no time of
    its own. Only the helper touches the document until it has finished
    (PDFium is not thread-safe).
    """
    try:
        n_pages = len(document)
    except pdfium.PdfiumError:
        raise IngestError(
            str(path), "PDF is corrupt (cannot count its pages)", hint=CORRUPT_HINT
        ) from None
    pages: list[list[PageLine]] = []
    built: list[list[Line | None]] = []
    unreadable: list[int] = []
    counts = _Counts()
    pending: queue.SimpleQueue[list[PageLine] | BaseException | None] = queue.SimpleQueue()
    stop = threading.Event()
    helper = threading.Thread(
        target=_read_pages, args=(document, n_pages, pending, stop), name="pdfium", daemon=True
    )
    helper.start()
    try:
        for index in range(n_pages):
            lines = pending.get()
            if isinstance(lines, BaseException):
                raise lines
            if lines is None:
                unreadable.append(index + 1)
                pages.append([])
                built.append([])
                continue
            _clean(lines, counts)
            pages.append(lines)
            built.append([Line(line.text, page=index + 1) if line.text else None for line in lines])
    finally:
        stop.set()
        helper.join()
    meta: dict[str, Any] = {"pages": n_pages}
    try:
        info = document.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        info = {}
    for key in ("Title", "Author", "Subject", "Producer", "CreationDate"):
        if info.get(key):
            meta[key.lower()] = clean_line(str(info[key]))
    return pages, built, meta, unreadable, counts


def _read_pages(
    document: Any,
    n_pages: int,
    out: queue.SimpleQueue[list[PageLine] | BaseException | None],
    stop: threading.Event,
) -> None:
    """The helper thread: each page's lines in order, None for a page PDFium cannot read.

    Any other failure is handed to the reading thread, which raises it (and
    would otherwise wait for the page forever).
    """
    try:
        for index in range(n_pages):
            if stop.is_set():
                return
            try:
                out.put(_page_lines(document, index))
            except pdfium.PdfiumError:
                out.put(None)
    except BaseException as exc:
        out.put(exc)


def _clean(lines: list[PageLine], counts: _Counts) -> None:
    """Lines as stored (NFC, single spaces, no controls), counting the raw text first."""
    for line in lines:
        raw = line.text
        counts.chars += len(raw)
        counts.stripped += len(raw.strip())
        # A soft hyphen (or PDFium's \x02) ending a line is a word broken there.
        text = raw.rstrip()
        if text.endswith(_SOFT_HYPHEN_MARKS):
            text = _SOFT_HYPHEN_END.sub("-", text)
        if not text.isascii():
            text = fold_presentation_forms(text)
        line.text = clean_line(text)


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
            offsets = _utf16_offsets(raw, texts)
            n = len(lines)
            wanted = set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n))
            wanted |= {i for i, line in enumerate(lines) if is_page_number(line.text)}
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
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_offsets(raw: str, texts: list[str]) -> list[int]:
    """Where each line starts in PDFium's UTF-16 text of the page.

    A page without characters beyond the BMP (nearly every page) counts in
    UTF-16 units as it counts in characters, so the offsets are running sums
    of the line lengths, summed in C.
    """
    step = len(_LINE_BREAK)
    if raw.isascii() or len(raw.encode("utf-16-le", "surrogatepass")) == 2 * len(raw):
        lengths = (len(text) + step for text in texts)
    else:
        lengths = (_utf16_len(text) + step for text in texts)
    return list(accumulate(lengths, initial=0))[: len(texts)]


def _reject_if_scanned(path: Path, document: Any, n_pages: int, n_chars: int) -> None:
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
            f"PDF has no text layer ({n_pages} page(s) with {what}); it is probably scanned",
            hint=OCR_HINT + _ocr_installed(),
        )
    if has_images:
        raise IngestError(
            str(path),
            f"PDF has no text layer: {n_pages} page(s) of images with only {n_chars} "
            "characters of text; it is probably scanned",
            hint=OCR_HINT + _ocr_installed(),
        )


def _ocr_installed() -> str:
    return " (ocrmypdf is installed here)" if shutil.which("ocrmypdf") else ""


def _assemble(
    path: Path,
    pages: list[list[PageLine]],
    meta: dict[str, Any],
    unreadable: list[int],
    built: list[list[Line | None]],
) -> ReadResult:
    """The read result from the cleaned pages; ``built`` holds each page's lines as
    ``Line`` records already (None for an empty line), made while PDFium read on."""
    warnings: list[str] = []
    drop = find_furniture(pages)
    if drop:
        meta["furniture_lines_removed"] = len(drop)
    gone = dropped_by_page(drop, len(pages))
    kept = [
        [line.text for i, line in enumerate(page) if i not in out]
        for page, out in zip(pages, gone, strict=True)
    ]
    lines = [
        line
        for page, out in zip(built, gone, strict=True)
        for i, line in enumerate(page)
        if line is not None and i not in out
    ]
    # ASCII text holds no right-to-left letter: only the other lines need the test
    if any(not text.isascii() and has_rtl(text) for page in kept for text in page[:200]):
        flat = [text for page in kept for text in page if has_rtl(text)]
        if looks_reversed(flat):
            kept = [[reorder_line(text) for text in page] for page in kept]
            warnings.append("right-to-left text came out in reversed order; it was reordered")
            meta["rtl_reordered"] = True
            lines = [
                Line(text, page=number)
                for number, page in enumerate(kept, 1)
                for text in page
                if text
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
