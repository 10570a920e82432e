"""DOCX reader (python-docx), with the archive inspected before python-docx opens it.

A DOCX is a zip of XML parts, so a hostile one can be a zip bomb (a few KB
that inflate to gigabytes) or carry entity declarations. Both are checked
with the standard library from the zip directory and the first bytes of each
XML part, without inflating anything large.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle

from treatywatch.ingest.model import IngestError, Line, ReadResult
from treatywatch.ingest.readers.files import READ_HINT, check_file, describe_size
from treatywatch.ingest.readers.textnorm import clean_line

MAX_ENTRIES = 10_000
MAX_RATIO = 100  # inflated / compressed; real DOCX parts stay well below 30
MAX_INFLATE_FACTOR = 20  # total inflated size may be this many times the file limit
RATIO_MIN_BYTES = 1024 * 1024  # tiny members compress absurdly well and are harmless
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


def read(path: Path, *, max_bytes: int) -> ReadResult:
    check_file(path, max_bytes)
    inspect_archive(path, max_bytes)
    try:
        document = docx.Document(str(path))
        lines = list(_lines(document))
    except IngestError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise IngestError(
            str(path),
            f"DOCX is corrupt and cannot be read ({type(exc).__name__}: {exc})",
            hint="open and re-save it in a word processor, or get another copy",
        ) from None
    if not lines:
        raise IngestError(
            str(path),
            "DOCX has no text in its body",
            hint="check that it is the law itself; text in headers, footers or images is not read",
        )
    core = document.core_properties
    title = clean_line(core.title or "") or None
    metadata: dict[str, Any] = {}
    if core.language:
        metadata["language"] = core.language
    return ReadResult(
        path=str(path), source_format="docx", lines=lines, title=title, metadata=metadata
    )


def inspect_archive(path: Path, max_bytes: int) -> None:
    """Refuse non-zip files, zip bombs and XML parts that declare a DTD or entities."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise IngestError(
            str(path), f"cannot read the file ({exc.strerror or exc})", hint=READ_HINT
        ) from None
    except Exception:  # BadZipFile, NotImplementedError (zip version), ValueError, EOFError...
        raise IngestError(
            str(path),
            "not a DOCX/zip file",
            hint="a .docx must be a Word 2007+ document; save older .doc files as .docx",
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise _bomb(path, f"it has {len(members):,} entries (more than {MAX_ENTRIES:,})")
        inflated = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members)
        if inflated > max_bytes * MAX_INFLATE_FACTOR:
            raise _bomb(
                path,
                f"it would inflate to {describe_size(inflated)} "
                f"(more than {MAX_INFLATE_FACTOR}x the {describe_size(max_bytes)} file limit)",
            )
        for member in members:
            if member.file_size > RATIO_MIN_BYTES and member.file_size > MAX_RATIO * max(
                member.compress_size, 1
            ):
                ratio = member.file_size // max(member.compress_size, 1)
                raise _bomb(
                    path, f"{member.filename} compresses {ratio:,}:1 (more than {MAX_RATIO}:1)"
                )
        if inflated > RATIO_MIN_BYTES and inflated > MAX_RATIO * max(packed, 1):
            raise _bomb(path, f"it compresses {inflated // max(packed, 1):,}:1 overall")
        names = {m.filename for m in members}
        if "word/document.xml" not in names:
            raise IngestError(
                str(path),
                "not a Word document (the zip has no word/document.xml)",
                hint="only Word 2007+ .docx files are read; ODT and other zips are not",
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _check_declarations(path, archive, member)


def _check_declarations(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    try:
        with archive.open(member) as part:
            head = part.read(4096)
    except Exception as exc:  # bad CRC, unknown compression, encrypted member, zlib errors
        raise IngestError(
            str(path),
            f"DOCX is corrupt: {member.filename} cannot be read ({exc})",
            hint="download it again, or open and re-save it in a word processor",
        ) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]:
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _DECLARATION.search(head):
        raise IngestError(
            str(path),
            f"DOCX part {member.filename} declares a DOCTYPE or entities, which Word never "
            "writes (possible XML entity attack); refused",
            hint="get the document from its official source",
        )


def _bomb(path: Path, why: str) -> IngestError:
    return IngestError(
        str(path),
        f"DOCX looks like a zip bomb: {why}",
        hint="a genuine DOCX never does this; get the document from its official source",
    )


def _lines(document: DocxDocument) -> Iterator[Line]:
    """Body paragraphs in order, including those in tables and content controls.

    Headers, footers, footnotes and comments live in other parts and are not
    read: they repeat on every page or are not the law's text. The XML is
    walked directly (python-docx's per-run XPath calls and style look-ups,
    which rescan the style part, made a 30-page act take a second).
    """
    styles = _StyleTable(document)
    for p in document.element.body.iter(_P):
        runs = [(r, _run_text(r)) for r in _runs(p)]
        text = "".join(t for _r, t in runs)
        if not text.strip():
            continue
        style = styles.paragraph_style(p)
        hint = _heading_hint(p, style)
        if hint is None and _all_bold(runs, style, styles):
            hint = "bold"
        for part in text.split("\n"):
            cleaned = clean_line(part)
            if cleaned:
                yield Line(cleaned, hint)


_P, _R, _T, _TAB, _PTAB = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:ptab")
_BR, _CR, _NO_BREAK_HYPHEN, _SYM = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"), qn("w:sym")
_RPR, _B, _RSTYLE, _PPR, _PSTYLE = (
    qn("w:rPr"),
    qn("w:b"),
    qn("w:rStyle"),
    qn("w:pPr"),
    qn("w:pStyle"),
)
_VAL = qn("w:val")
# Wrappers whose runs are part of the paragraph's text (tracked insertions included,
# deletions not).
_RUN_WRAPPERS = frozenset(
    qn(f"w:{t}") for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml")
)
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_FALSE = ("0", "false", "off")


def _runs(p: Any) -> Iterator[Any]:
    stack = list(reversed(p))
    while stack:
        child = stack.pop()
        tag = child.tag
        if tag == _R:
            yield child
        elif tag in _RUN_WRAPPERS:
            stack.extend(reversed(child))
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                stack.extend(reversed(content))


def _run_text(r: Any) -> str:
    parts: list[str] = []
    for child in r:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _SYM:
            code = child.get(qn("w:char")) or ""
            try:
                parts.append(chr(int(code, 16) & 0xFFFF if code else 0x20))
            except ValueError:
                continue
    return "".join(parts)


def _run_bold(r: Any) -> bool | None:
    rpr = r.find(_RPR)
    if rpr is None:
        return None
    bold = rpr.find(_B)
    if bold is None:
        return None
    return bold.get(_VAL) not in _FALSE


class _StyleTable:
    def __init__(self, document: DocxDocument) -> None:
        self.by_id: dict[str, BaseStyle] = {}
        self.default_paragraph: BaseStyle | None = None
        for style in document.styles:
            if style.style_id:
                self.by_id[style.style_id] = style
            if (
                style.type == WD_STYLE_TYPE.PARAGRAPH
                and style.element.get(qn("w:default")) in ("1", "true", "on")
                and self.default_paragraph is None
            ):
                self.default_paragraph = style
        self._bold: dict[str, bool] = {}

    def paragraph_style(self, p: Any) -> BaseStyle | None:
        ppr = p.find(_PPR)
        found = None
        if ppr is not None:
            style = ppr.find(_PSTYLE)
            if style is not None:
                found = self.by_id.get(style.get(_VAL) or "")
        return found if found is not None else self.default_paragraph

    def run_style(self, r: Any) -> BaseStyle | None:
        rpr = r.find(_RPR)
        style = rpr.find(_RSTYLE) if rpr is not None else None
        return self.by_id.get(style.get(_VAL) or "") if style is not None else None

    def bold(self, style: BaseStyle | None) -> bool:
        """Whether a style (or the style it is based on) makes text bold."""
        if style is None:
            return False
        key = style.style_id or ""
        if key not in self._bold:
            value = False
            current: Any = style
            for _ in range(20):  # based-on chains are short; a cycle must not hang us
                if current is None:
                    break
                font = getattr(current, "font", None)
                if font is not None and font.bold is not None:
                    value = bool(font.bold)
                    break
                current = getattr(current, "base_style", None)
            self._bold[key] = value
        return self._bold[key]


def _heading_hint(p: Any, style: BaseStyle | None) -> str | None:
    name = (style.name or "") if style is not None else ""
    match = _HEADING_STYLE.match(name)
    if match:
        return f"heading-{min(int(match.group(1)), 6)}"
    if name.casefold() == "title":
        return "heading-1"
    level = _outline_level(p.find(_PPR))
    if level is None and style is not None:
        level = _outline_level(style.element.pPr)
    return None if level is None or level > 5 else f"heading-{level + 1}"


def _outline_level(ppr: Any) -> int | None:
    if ppr is None:
        return None
    found = ppr.find(qn("w:outlineLvl"))
    if found is None:
        return None
    try:
        return int(found.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


def _all_bold(
    runs: list[tuple[Any, str]], paragraph_style: BaseStyle | None, styles: _StyleTable
) -> bool:
    paragraph_bold = styles.bold(paragraph_style)
    seen_text = False
    for r, text in runs:
        if not text.strip():
            continue
        seen_text = True
        bold = _run_bold(r)
        if bold is None:
            run_style = styles.run_style(r)
            bold = styles.bold(run_style) if run_style is not None else paragraph_bold
        if not bold:
            return False
    return seen_text
