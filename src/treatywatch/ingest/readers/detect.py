"""Tell a file's format from its first bytes, because extensions lie.

Downloads named ``.pdf`` are often an HTML error page; a "law.doc" may be
a DOCX; scrapers save JSON as ``.txt``. Content decides when it is
unambiguous; the extension breaks ties between text-like formats.
"""

from __future__ import annotations

import codecs

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".xml": "akn",
    ".akn": "akn",
    ".json": "json",
}
BINARY_FORMATS = frozenset({"pdf", "docx"})
TEXT_FORMATS = frozenset({"txt", "md"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (
    "<!doctype html", "<html", "<head", "<body", "<title", "<table", "<div", "<p>", "<h1",
    "<!-- ", "<script",
)  # fmt: skip


def sniff(head: bytes) -> str | None:
    """The format the content shows, or None when it does not say.

    Returns "ole" for legacy Office (and encrypted Office) files, which no
    reader takes.
    """
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if head.startswith(OLE_MAGIC):
        return "ole"
    text = _as_text(head).lstrip().lower()
    if text.startswith(("{", "[")):
        return "json"
    if "<akomantoso" in text[:4096]:
        return "akn"
    if text.startswith(_HTML_STARTS) or (text.startswith("<?xml") and "<html" in text[:2048]):
        return "html"
    return None


def describe(fmt: str | None) -> str:
    return {
        "pdf": "a PDF",
        "docx": "a zip/DOCX",
        "ole": "a legacy Office (.doc) file",
        "json": "JSON",
        "akn": "Akoma Ntoso XML",
        "html": "HTML",
    }.get(fmt or "", "text or unknown data")


def _as_text(head: bytes) -> str:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(name, errors="ignore")
    return head.decode("utf-8", errors="ignore")
