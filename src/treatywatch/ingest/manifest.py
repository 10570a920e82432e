"""Batch ingest: a folder of laws described by a manifest (CSV or YAML).

A manifest has one entry per file with the columns ``file, country, title,
date, id, source`` (only ``file`` and ``country`` are required; ``format``
may force a reader). Every entry is checked before anything is ingested,
so a typo in row 40 is reported at once rather than after 39 imports.
Each file is then ingested in its own transaction: a bad file is reported
and the others still go in.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.pipeline import IngestRequest, IngestResult, explain, ingest

COLUMNS = ("file", "country", "title", "date", "id", "source", "format")
REQUIRED = ("file", "country")


class ManifestError(TreatywatchError):
    """The manifest cannot be read or has an invalid entry."""


@dataclass(frozen=True)
class ManifestEntry:
    row: int  # 1-based data row (CSV line number minus the header), for messages
    file: Path
    country: str
    title: str | None = None
    date: dt.date | None = None
    doc_id: str | None = None
    source: str | None = None
    format: str | None = None

    def request(self, *, max_bytes: int | None = None) -> IngestRequest:
        return IngestRequest(
            path=self.file,
            country=self.country,
            title=self.title,
            date=self.date,
            doc_id=self.doc_id,
            source_url=self.source,
            format=self.format,
            max_bytes=max_bytes,
            actor="treatywatch ingest-batch",
        )


@dataclass
class BatchOutcome:
    entry: ManifestEntry
    result: IngestResult | None = None
    error: TreatywatchError | None = None

    @property
    def status(self) -> str:
        return "failed" if self.error else (self.result.status if self.result else "skipped")

    def record(self) -> dict[str, Any]:
        base: dict[str, Any] = {
            "file": str(self.entry.file),
            "country": self.entry.country,
            "status": self.status,
        }
        if self.result is not None:
            base.update(
                id=self.result.document_id,
                version=self.result.version_date.isoformat(),
                language=self.result.language,
                provisions=len(self.result.segmentation.provisions),
                warnings=len(self.result.warnings),
            )
        if self.error is not None:
            base.update(error=self.error.message, hint=self.error.hint)
        return base


def _rows(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"cannot read manifest {path}: {exc}", hint="give a UTF-8 CSV or YAML file"
        ) from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ManifestError(f"manifest {path} is not valid YAML: {exc}") from None
        if isinstance(data, dict):
            data = data.get("documents")
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ManifestError(
                f"manifest {path} must be a list of entries (or 'documents: [...]')",
                hint="each entry is a mapping with at least 'file' and 'country'",
            )
        return data
    if path.suffix.lower() != ".csv":
        raise ManifestError(
            f"manifest {path} is neither .csv nor .yaml", hint="name it manifest.csv or .yaml"
        )
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ManifestError(
            f"manifest {path} has no {', '.join(missing)} column",
            hint=f"the header row lists columns: {', '.join(COLUMNS)}",
        )
    return list(reader)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def load_manifest(path: Path, folder: Path) -> list[ManifestEntry]:
    """Every entry of the manifest, checked; file paths resolved against ``folder``."""
    entries = []
    for row_number, row in enumerate(_rows(path), start=1):
        where = f"manifest {path.name}, entry {row_number}"
        unknown = sorted(set(map(str, row)) - set(COLUMNS) - {""})
        if unknown:
            raise ManifestError(
                f"{where}: unknown column(s) {', '.join(unknown)}",
                hint=f"columns are: {', '.join(COLUMNS)}",
            )
        file_name, country = _text(row.get("file")), _text(row.get("country"))
        if not file_name or not country:
            raise ManifestError(f"{where}: 'file' and 'country' are required")
        date_value = row.get("date")
        date: dt.date | None
        if isinstance(date_value, dt.date):
            date = date_value
        else:
            date_text = _text(date_value)
            try:
                date = dt.date.fromisoformat(date_text) if date_text else None
            except ValueError:
                raise ManifestError(f"{where}: date {date_text!r} is not YYYY-MM-DD") from None
        file_path = Path(file_name)
        entries.append(
            ManifestEntry(
                row=row_number,
                file=file_path if file_path.is_absolute() else folder / file_path,
                country=country,
                title=_text(row.get("title")),
                date=date,
                doc_id=_text(row.get("id")),
                source=_text(row.get("source")),
                format=_text(row.get("format")),
            )
        )
    if not entries:
        raise ManifestError(f"manifest {path} lists no files")
    return entries


def run_batch(
    entries: list[ManifestEntry],
    *,
    url: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[BatchOutcome]:
    """Ingest each entry in its own transaction; failures are recorded, not raised."""
    for entry in entries:
        outcome = BatchOutcome(entry)
        try:
            outcome.result = ingest(entry.request(max_bytes=max_bytes), url=url)
        except Exception as exc:  # one bad file must not stop the batch
            outcome.error = explain(exc)
        yield outcome
