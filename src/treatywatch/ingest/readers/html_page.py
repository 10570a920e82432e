"""HTML reader: the text of a law page, without the page around it.

Only text nodes are ever copied out; tags, attributes (``onclick=``,
``href="javascript:…"``), comments and the contents of script, style,
template and similar elements are never part of the result, so nothing
executable can reach the store or a report.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import (
    NavigableString,
    PreformattedString,
    Script,
    Stylesheet,
    Tag,
    TemplateString,
)

from treatywatch.ingest.model import IngestError, Line, ReadResult
from treatywatch.ingest.readers.files import read_bytes
from treatywatch.ingest.readers.plain_text import detect_encoding
from treatywatch.ingest.readers.textnorm import clean_line

# Elements whose content is never law text.
DROP_ALWAYS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "math", "canvas", "form", "button", "select", "input",
        "textarea", "nav", "aside", "head", "link", "meta", "audio", "video", "map", "dialog",
    }
)  # fmt: skip
# Page chrome, unless inside the document's own <main>/<article>.
DROP_OUTSIDE_CONTENT = frozenset({"header", "footer"})
BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
BOILERPLATE_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar",
        "cookie", "cookies", "cookie-banner", "cookie-consent", "skip-link", "skiplink",
        "share", "social", "advert", "advertisement", "site-header", "site-footer",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "blockquote", "pre", "address", "center",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td",
        "th", "caption", "figure", "figcaption", "hr", "br", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "footer", "details", "summary", "fieldset", "legend", "dir", "menu",
        "body", "html", "title",
    }
)  # fmt: skip
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BOLD = frozenset({"b", "strong"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def read(path: Path, *, max_bytes: int) -> ReadResult:
    text, encoding = decode_html(path, read_bytes(path, max_bytes))
    try:
        with warnings.catch_warnings():
            # bs4 warns about XML-looking or URL-looking input; we read it as HTML anyway.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml refuses some inputs outright
        raise IngestError(
            str(path),
            f"HTML cannot be parsed ({exc})",
            hint="save the page again from a browser, or use the PDF/text version",
        ) from None
    title_tag = soup.find("title")
    title = clean_line(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else ""
    root = _content_root(soup)
    lines = _lines(root)
    if not lines:
        raise IngestError(
            str(path),
            "HTML page has no text outside scripts, menus and page chrome",
            hint="save the page after its text has loaded, or use the PDF/text version",
        )
    return ReadResult(
        path=str(path),
        source_format="html",
        lines=lines,
        title=title or None,
        metadata={"encoding": encoding},
    )


def decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """Valid UTF-8 first (pages often declare windows-1252 and are UTF-8), then the
    declared charset, then detection."""
    if not data.strip():
        raise IngestError(str(path), "the file is empty", hint="check the download")
    for bom, name in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "ignore")
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    detected = detect_encoding(data)
    if detected is not None:
        return detected
    return data.decode("cp1252", errors="replace"), "cp1252"


def _content_root(soup: BeautifulSoup) -> Tag:
    mains = soup.find_all("main") or soup.find_all(True, attrs={"role": "main"})
    if len(mains) == 1 and isinstance(mains[0], Tag) and mains[0].get_text(strip=True):
        return mains[0]
    body = soup.find("body")
    return body if isinstance(body, Tag) else soup


def _is_boilerplate(tag: Tag, inside_content: bool) -> bool:
    name = tag.name.lower()
    if name in DROP_ALWAYS:
        return True
    if name in DROP_OUTSIDE_CONTENT and not inside_content:
        return True
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in BOILERPLATE_ROLES:
        return True
    tokens: set[str] = set()
    for key in ("class", "id"):
        value = attrs.get(key)
        if isinstance(value, str):
            tokens.update(value.lower().split())
        elif isinstance(value, list):
            tokens.update(str(v).lower() for v in value)
    return bool(tokens & BOILERPLATE_TOKENS)


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.heading = 0
        self.all_bold = True

    def add(self, text: str, heading: int, bold: bool) -> None:
        if not text.strip():
            if self.parts:
                self.parts.append(" ")
            return
        self.parts.append(text)
        if heading and not self.heading:
            self.heading = heading
        self.all_bold = self.all_bold and bold

    def add_pre(self, text: str, heading: int, bold: bool) -> None:
        chunks = text.split("\n")
        for i, chunk in enumerate(chunks):
            if i:
                self.flush()
            self.add(chunk, heading, bold)

    def flush(self) -> None:
        text = clean_line("".join(self.parts))
        if text:
            hint = None
            if self.heading:
                hint = f"heading-{self.heading}"
            elif self.all_bold:
                hint = "bold"
            self.lines.append(Line(text, hint))
        self.parts = []
        self.heading = 0
        self.all_bold = True


_SKIPPED_STRINGS = (PreformattedString, Script, Stylesheet, TemplateString)
_END = object()


def _lines(root: Tag) -> list[Line]:
    """Walk the tree without recursion (hostile pages nest thousands deep)."""
    out = _LineBuilder()
    # Stack items: a node to visit, or (_END, tag) to close a block.
    stack: list[object] = [root]
    context: list[tuple[int, bool, bool, bool]] = [(0, False, False, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            _marker, tag = item
            context.pop()
            if tag.name in BLOCKS:
                out.flush()
            continue
        heading, bold, pre, inside_content = context[-1]
        if isinstance(item, NavigableString):
            if isinstance(item, _SKIPPED_STRINGS):
                continue
            if pre:
                out.add_pre(str(item), heading, bold)
            else:
                out.add(str(item), heading, bold)
            continue
        if not isinstance(item, Tag):
            continue
        name = (item.name or "").lower()
        if _is_boilerplate(item, inside_content):
            continue
        if name in BLOCKS:
            out.flush()
        if name == "br" or name == "hr":
            continue
        context.append(
            (
                HEADINGS.get(name, heading),
                bold or name in BOLD,
                pre or name in ("pre", "textarea"),
                inside_content or name in ("main", "article"),
            )
        )
        stack.append((_END, item))
        stack.extend(reversed(item.contents))
    out.flush()
    return out.lines
