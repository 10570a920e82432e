"""Status-source readers and the format detection that picks one.

The format is read from the file itself (root element, CSV header, YAML
keys), not trusted from its extension alone, so a mislabelled file gets a
clear error instead of a half-import.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from treatywatch.ledger.sources.base import (
    LedgerImportError,
    Skip,
    SourceBatch,
    decode_text,
    read_bytes,
)
from treatywatch.ledger.sources.mtdsg import read_mtdsg
from treatywatch.ledger.sources.rollcall import (
    is_plain_rollcall,
    is_unvotes,
    is_unvotes_meta,
    read_plain_rollcall,
    read_unvotes,
)
from treatywatch.ledger.sources.seed import read_seed
from treatywatch.ledger.sources.status_csv import REQUIRED, read_status_csv
from treatywatch.ledger.sources.untc_html import read_untc_html
from treatywatch.ledger.sources.untc_scrape import is_scrape_header, read_untc_scrape

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LedgerImportError",
    "NotAStatusFileError",
    "Skip",
    "SourceBatch",
    "read_source",
]

SUPPORTED_SUFFIXES = (".xml", ".html", ".htm", ".csv", ".yaml", ".yml")


class NotAStatusFileError(LedgerImportError):
    """A file in a folder import that is a companion, not a status source (e.g. vote meta)."""


def _csv_header(text: str) -> list[str]:
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        return []
    return [h.strip().lower() for h in first]


def read_source(path: Path, *, instrument: str | None = None) -> SourceBatch:
    """Read one status file into facts; raises :class:`LedgerImportError` if it cannot."""
    data = read_bytes(path)
    if not data.strip():
        raise LedgerImportError(path, "the file is empty")
    suffix = path.suffix.lower()
    head = data[:2048].lstrip().lower()
    if suffix in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html")):
        return read_untc_html(path, data, expected=instrument)
    if suffix == ".xml" or head.startswith(b"<?xml") or head.startswith(b"<document"):
        return read_mtdsg(path, data, expected=instrument)
    text = decode_text(path, data)
    if suffix in (".yaml", ".yml"):
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise LedgerImportError(path, f"invalid YAML: {exc}") from None
        return read_seed(path, data, document)
    if suffix == ".csv" or suffix == "":
        header = _csv_header(text)
        if is_scrape_header(header):
            return read_untc_scrape(path, data, text, expected=instrument)
        if "event" in header or len(set(header) & set(REQUIRED)) >= 3:
            batch = read_status_csv(path, data, text)
        elif is_unvotes_meta(header):
            raise NotAStatusFileError(
                path,
                "is the meta file of a roll call (resolution and date), not votes",
                hint="import the votes file beside it; it reads this file itself",
            )
        elif is_unvotes(header):
            batch = read_unvotes(path, data, text)
        elif is_plain_rollcall(header):
            batch = read_plain_rollcall(path, data, text)
        else:
            raise LedgerImportError(
                path,
                f"unrecognised CSV header: {', '.join(header) or '(none)'}",
                hint=f"a status CSV needs the columns {', '.join(REQUIRED)}; roll calls need "
                "participant, resolution, date, vote",
            )
        if instrument:
            for fact in batch.facts:
                fact.instrument = fact.instrument or instrument
        return batch
    raise LedgerImportError(
        path,
        f"unsupported file type {suffix!r}",
        hint="import MTDSG XML, a UNTC HTML page, a status or roll-call CSV, or seed YAML",
    )
