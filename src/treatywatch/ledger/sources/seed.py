"""The ledger's own seed format: YAML facts, each with its source.

Used for the seed data shipped in ``ledger/data/seed.yaml`` (facts about the
instruments as a whole: adoption, opening for signature, a recorded vote's
totals) and for hand-curated additions. Each entry names its source URL,
when it was retrieved, and a note; per-State entries take the same fields
as a status-CSV row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from treatywatch.ledger.events import (
    DateError,
    FuzzyDate,
    InstrumentFact,
    SourceFact,
    normalise_event,
    parse_date,
)
from treatywatch.ledger.sources.base import LedgerImportError, Skip, SourceBatch, file_sha256


def is_seed(document: Any) -> bool:
    return isinstance(document, dict) and (
        "instrument_events" in document or "status_events" in document
    )


def _date(value: Any) -> FuzzyDate:
    if isinstance(value, dt.date):
        return FuzzyDate(value, "day")
    return parse_date(None if value is None else str(value))


def _details(raw: Any) -> dict[str, object]:
    """Details as JSON-safe data; YAML 1.1 reads a bare ``yes:`` key as True."""
    words = {True: "yes", False: "no"}
    return {
        words.get(k, str(k)) if isinstance(k, bool) else str(k): v for k, v in (raw or {}).items()
    }


def read_seed(path: Path, data: bytes, document: Any) -> SourceBatch:
    if not is_seed(document):
        raise LedgerImportError(
            path,
            "YAML file without instrument_events or status_events",
            hint="see docs/ledger.md for the seed format",
        )
    batch = SourceBatch(
        path=path,
        format="treatywatch-seed",
        sha256=file_sha256(data),
        source_key=str(document.get("source_key") or f"seed:{path.stem}"),
    )
    for number, raw in enumerate(document.get("instrument_events") or [], start=1):
        label = f"instrument_events[{number}]"
        try:
            when = _date(raw.get("date"))
            batch.instrument_facts.append(
                InstrumentFact(
                    row=label,
                    instrument=str(raw["instrument"]),
                    event=str(raw["event"]),
                    date=when,
                    resolution=raw.get("resolution"),
                    details=_details(raw.get("details")),
                    note=raw.get("note"),
                    source_url=raw.get("source_url"),
                    retrieved=None if raw.get("retrieved") is None else str(raw["retrieved"]),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            batch.skipped.append(Skip(label, f"entry lacks a field: {exc}"))
        except DateError as exc:
            batch.skipped.append(Skip(label, str(exc)))
    for number, raw in enumerate(document.get("status_events") or [], start=1):
        label = f"status_events[{number}]"
        event = normalise_event(str(raw.get("event", "")))
        if event is None:
            batch.skipped.append(Skip(label, f"unknown event {raw.get('event')!r}"))
            continue
        try:
            when = _date(raw.get("date"))
        except DateError as exc:
            batch.skipped.append(Skip(label, str(exc)))
            continue
        batch.facts.append(
            SourceFact(
                row=label,
                participant=str(raw.get("participant", "")),
                code_hint=raw.get("code"),
                instrument=raw.get("instrument"),
                event=event,
                date=when,
                resolution=raw.get("resolution"),
                vote=raw.get("vote"),
                note=raw.get("note"),
                source_url=raw.get("source_url"),
                retrieved=None if raw.get("retrieved") is None else str(raw["retrieved"]),
                source_key=raw.get("source_url"),
            )
        )
    return batch
