"""Plain-text and Markdown readers: any common encoding, detected.

Official texts arrive as UTF-8, UTF-16 (Windows "Unicode" exports), cp1252,
cp1256 (Arabic), KOI8-R or cp1251 (Russian). Valid UTF-8 is taken as is
(it is almost never a coincidence); anything else goes to
charset-normalizer. Binary files renamed to .txt are refused instead of
being stored as mojibake.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from treatywatch.ingest.model import IngestError, Line, ReadResult
from treatywatch.ingest.readers.files import read_bytes
from treatywatch.ingest.readers.layout import PageLine, strip_furniture
from treatywatch.ingest.readers.textnorm import (
    clean_text,
    collapse,
    control_ratio,
    normalise_newlines,
)

MAX_CONTROL_RATIO = 0.01
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
EDGE_LINES = 3
# Common encodings of official texts, most common first (charset-normalizer's names).
_PREFERRED = (
    "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1256", "iso8859_6",
    "cp1250", "iso8859_2", "cp1253", "cp1254", "cp1255", "gb18030", "big5",
    "shift_jis", "euc_kr",
)  # fmt: skip


def read(path: Path, *, max_bytes: int) -> ReadResult:
    text, encoding = decode_text(path, read_bytes(path, max_bytes))
    return _result(path, text, encoding, markdown=False)


def read_markdown(path: Path, *, max_bytes: int) -> ReadResult:
    """Markdown as text lines, with "#" headings turned into heading hints."""
    text, encoding = decode_text(path, read_bytes(path, max_bytes))
    return _result(path, text, encoding, markdown=True)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in; refuses binary data."""
    if not data.strip():
        raise IngestError(str(path), "the file is empty", hint="check the download")
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise _not_text(path, "it contains NUL bytes")
    if encoding is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            detected = detect_encoding(data)
            if detected is None:
                raise _not_text(path, "no text encoding fits its bytes") from None
            text, encoding = detected
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise _not_text(path, f"it is not valid {encoding}") from None
    text = text.removeprefix("\ufeff")
    if control_ratio(text[:200_000]) > MAX_CONTROL_RATIO:
        raise _not_text(path, "it is mostly control characters")
    return text, encoding


def detect_encoding(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 bytes with the most plausible legacy encoding.

    charset-normalizer often finds several encodings equally plausible
    (Spanish in Latin-1 decodes cleanly as cp1250 too, turning "5º" into
    "5ş"); ties go to the encodings official texts actually use.
    """
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        return None
    tied = [
        m
        for m in matches
        if m.encoding
        and m.percent_chaos <= best.percent_chaos + 0.5
        and m.percent_coherence >= best.percent_coherence - 1.0
    ]
    tied.sort(key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else 99)
    chosen = tied[0] if tied else best
    return str(chosen), chosen.encoding


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs in every other byte (for Latin text)."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _not_text(path: Path, why: str) -> IngestError:
    return IngestError(
        str(path),
        f"not a text file ({why})",
        hint="check the file type; give PDF, DOCX, HTML, XML or JSON files their own extension",
    )


_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_HTML_TAG_ONLY = re.compile(r"^(?:\s*<[^<>]+>\s*)+$")


def _result(path: Path, text: str, encoding: str, *, markdown: bool) -> ReadResult:
    text = clean_text(normalise_newlines(text))
    if markdown:
        text = _FRONT_MATTER.sub("", text, count=1)
    raw_pages = text.split("\f")
    paged = len(raw_pages) > 1
    pages: list[list[PageLine]] = []
    for raw in raw_pages:
        lines = [PageLine(line) for line in map(collapse, raw.split("\n")) if line]
        if paged:  # text exported from paged documents carries headers and footers
            for i, line in enumerate(lines[:EDGE_LINES]):
                line.pos = i * 0.05
            for i, line in enumerate(reversed(lines[-EDGE_LINES:])):
                line.pos = 1 - i * 0.05
        pages.append(lines)
    if paged:
        kept, removed = strip_furniture(pages)
    else:
        kept, removed = [[line.text for line in page] for page in pages], 0
    out: list[Line] = []
    for number, page_lines in enumerate(kept, 1):
        for text in page_lines:
            hint = None
            if markdown:
                if "<" in text and _HTML_TAG_ONLY.match(text):
                    continue
                if "](" in text:
                    text = _MD_LINK.sub(r"\1", text)
                heading = _MD_HEADING.match(text) if text.startswith("#") else None
                if heading:
                    hint = f"heading-{len(heading.group(1))}"
                    text = heading.group(2)
                if not text:
                    continue
            out.append(Line(text, hint, number if paged else None))
    if not out:
        raise IngestError(
            str(path), "the file has no text (only blank lines)", hint="check the download"
        )
    metadata: dict[str, object] = {"encoding": encoding}
    if markdown:
        metadata["markup"] = "markdown"
    if removed:
        metadata["furniture_lines_removed"] = removed
    return ReadResult(path=str(path), source_format="txt", lines=out, metadata=metadata)
