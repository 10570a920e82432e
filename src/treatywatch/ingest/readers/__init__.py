"""Readers turn one source file into a :class:`~treatywatch.ingest.model.ReadResult`.

``read_file`` picks the reader from the file's content (magic bytes), using
the extension only to break ties, and enforces the size limit first. Every
failure a file can cause is an :class:`IngestError` naming the file.

Each reader is ``read(path, *, max_bytes) -> ReadResult`` and registered in
:data:`READERS` by format name; a new format plugs in with
:func:`register_reader`. Readers emit no blank lines; each line is NFC text
with whitespace collapsed, and layout a reader knows travels in
``Line.hint`` ("heading-N", "bold") and ``Line.page``.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol

from treatywatch.ingest.model import IngestError, ReadResult
from treatywatch.ingest.readers.detect import (
    BINARY_FORMATS,
    EXTENSIONS,
    TEXT_FORMATS,
    describe,
    sniff,
)
from treatywatch.ingest.readers.files import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    check_file,
    read_head,
    resolve_max_bytes,
)
from treatywatch.suggest import close_matches

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "READERS",
    "Reader",
    "detect_format",
    "read_file",
    "register_reader",
    "resolve_max_bytes",
]


class Reader(Protocol):
    def __call__(self, path: Path, *, max_bytes: int) -> ReadResult: ...


def _lazy(module: str, function: str = "read") -> Reader:
    """A reader imported on first use: the parsing libraries take ~150 ms to import,
    which every CLI command would otherwise pay."""

    def reader(path: Path, *, max_bytes: int) -> ReadResult:
        loaded: Reader = getattr(import_module(f"{__name__}.{module}"), function)
        return loaded(path, max_bytes=max_bytes)

    reader.__qualname__ = f"{module}.{function}"
    return reader


READERS: dict[str, Reader] = {
    "pdf": _lazy("pdf"),
    "docx": _lazy("word"),
    "html": _lazy("html_page"),
    "txt": _lazy("plain_text"),
    "md": _lazy("plain_text", "read_markdown"),
    "akn": _lazy("akoma_ntoso"),
    "json": _lazy("presegmented"),
}


def register_reader(fmt: str, reader: Reader, *extensions: str) -> None:
    """Add (or replace) the reader for ``fmt``, optionally claiming file extensions."""
    READERS[fmt] = reader
    for ext in extensions:
        EXTENSIONS[ext if ext.startswith(".") else f".{ext}"] = fmt


def read_file(
    path: str | Path, *, max_bytes: int | None = None, format: str | None = None
) -> ReadResult:
    """Read one source file with the reader its content calls for.

    ``max_bytes`` defaults to ``TREATYWATCH_MAX_FILE_MB`` or 50 MB; ``format``
    (a key of :data:`READERS`) skips detection.
    """
    path = Path(path)
    limit = resolve_max_bytes(max_bytes)
    if format is not None and format not in READERS:
        suggestions = close_matches(format, [(name, name) for name in READERS], cutoff=60)
        raise IngestError(
            str(path),
            f"unknown format {format!r}",
            hint=f"use one of: {', '.join(sorted(READERS))}"
            + (f" (did you mean {suggestions[0]!r}?)" if suggestions else ""),
        )
    check_file(path, limit)
    fmt, warnings = (format, []) if format is not None else detect_format(path)
    result = READERS[fmt](path, max_bytes=limit)
    result.warnings[:0] = warnings
    return result


def detect_format(path: Path) -> tuple[str, list[str]]:
    """The reader to use for ``path`` and any warning about a misleading extension."""
    content = sniff(read_head(path))
    by_extension = EXTENSIONS.get(path.suffix.lower())
    if content == "ole":
        raise IngestError(
            str(path),
            "legacy Word .doc (or password-protected Office) files cannot be read",
            hint="open it in a word processor and save it as .docx (without a password)",
        )
    if by_extension in BINARY_FORMATS and content != by_extension:
        if content in BINARY_FORMATS:
            return content, [_mismatch(path, content)]
        expected = "DOCX/zip" if by_extension == "docx" else by_extension.upper()
        raise IngestError(
            str(path),
            f"not a {expected} file (the content looks like {describe(content)})",
            hint="check that the download is the document itself, not an error or login page",
        )
    if by_extension in TEXT_FORMATS and content not in BINARY_FORMATS:
        return by_extension, []  # Markdown may start with HTML; text may hold braces
    if content is not None and content in READERS:
        if by_extension is not None and by_extension != content:
            return content, [_mismatch(path, content)]
        return content, []
    return by_extension or "txt", []


def _mismatch(path: Path, fmt: str) -> str:
    extension = path.suffix or "no"
    return f"{path.name} has {extension} extension but is {describe(fmt)}; read as {fmt}"
