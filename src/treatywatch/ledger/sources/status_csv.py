"""Status CSV: one event per row, with its own source and date precision.

The schema (``participant, instrument, event, date, date_precision,
source_url, retrieved, note``) is the one of ``shared/data/uncc-status-seen.csv``:
facts gathered by hand from several sources, each row saying where it came
from and how precise its date is ("2025-10" with precision ``month`` when a
report gives no day). Optional columns: ``resolution``, ``vote``, ``marker``,
``code`` (an ISO alpha-2/alpha-3 code that wins over the name).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from treatywatch.ledger.events import (
    PRECISIONS,
    DateError,
    SourceFact,
    coarsen,
    normalise_event,
    parse_date,
)
from treatywatch.ledger.sources.base import LedgerImportError, Skip, SourceBatch, file_sha256

REQUIRED = (
    "participant",
    "instrument",
    "event",
    "date",
    "date_precision",
    "source_url",
    "retrieved",
    "note",
)
OPTIONAL = ("resolution", "vote", "marker", "code")


def check_columns(path: Path, header: list[str], required: tuple[str, ...], what: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise LedgerImportError(
            path,
            f"{what} is missing the column(s) {', '.join(missing)}",
            hint=f"the header must name: {', '.join(required)} (found: {', '.join(header)})",
        )


def read_status_csv(path: Path, data: bytes, text: str) -> SourceBatch:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    check_columns(path, header, REQUIRED, "status CSV")
    reader.fieldnames = header
    batch = SourceBatch(
        path=path, format="status-csv", sha256=file_sha256(data), source_key=f"file:{path.name}"
    )
    extra = [h for h in header if h not in REQUIRED + OPTIONAL]
    if extra:
        batch.warnings.append(f"ignored unknown column(s): {', '.join(extra)}")
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        label = f"line {number}"
        if not any(row.values()):
            continue
        fact = _fact(label, row, batch)
        if fact is not None:
            batch.facts.append(fact)
    return batch


def _fact(label: str, row: dict[str, str], batch: SourceBatch) -> SourceFact | None:
    participant = row.get("participant", "")
    if not participant and not row.get("code"):
        batch.skipped.append(Skip(label, "no participant"))
        return None
    event = normalise_event(row.get("event", ""))
    if event is None:
        batch.skipped.append(
            Skip(
                label,
                f"unknown event {row.get('event')!r} (use signature, ratification, acceptance, "
                "approval, accession, vote, reservation, declaration, notification, withdrawal, "
                "not-signed-as-of, ...)",
            )
        )
        return None
    try:
        when = parse_date(row.get("date"))
    except DateError as exc:
        batch.skipped.append(Skip(label, str(exc)))
        return None
    warnings: list[str] = []
    stated = row.get("date_precision", "").lower()
    if stated and stated not in PRECISIONS:
        warnings.append(f"{label}: unknown date_precision {stated!r}; used {when.precision!r}")
    elif stated and stated != when.precision:
        if when.value is not None and PRECISIONS.index(stated) > PRECISIONS.index(when.precision):
            # the row says it knows less than the date shows: believe the row
            when = coarsen(when, stated)
        else:
            warnings.append(
                f"{label}: date {row.get('date')!r} has precision {when.precision!r}, "
                f"row says {stated!r}; used {when.precision!r}"
            )
    batch.warnings.extend(warnings)
    source_url = row.get("source_url") or None
    return SourceFact(
        row=label,
        participant=participant,
        code_hint=row.get("code") or None,
        instrument=row.get("instrument") or None,
        event=event,
        date=when,
        marker=row.get("marker") or when.marker,
        resolution=row.get("resolution") or None,
        vote=row.get("vote") or None,
        note=row.get("note") or None,
        source_url=source_url,
        retrieved=row.get("retrieved") or None,
        source_key=source_url,
    )
