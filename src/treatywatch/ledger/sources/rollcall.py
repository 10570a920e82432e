"""Roll-call votes of the General Assembly.

Two layouts: the UN General Assembly voting dataset as published by the
``unvotes`` package (``rcid, country, country_code, vote`` plus a
``*_meta.csv`` next to it giving each roll call's resolution and date), and
a plain ``participant, resolution, date, vote`` table. A roll call lists
only States that voted yes, no or abstain; absent States are not listed,
which the importer can turn into ``absent`` votes on request.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from treatywatch.ledger.events import DateError, SourceFact, normalise_vote, parse_date
from treatywatch.ledger.sources.base import LedgerImportError, Skip, SourceBatch, file_sha256
from treatywatch.ledger.sources.status_csv import check_columns

UNVOTES_COLUMNS = ("rcid", "country", "country_code", "vote")
META_COLUMNS = ("rcid", "date", "unres")
PLAIN_COLUMNS = ("participant", "resolution", "date", "vote")


def is_unvotes(header: list[str]) -> bool:
    return all(c in header for c in ("rcid", "country", "vote"))


def is_unvotes_meta(header: list[str]) -> bool:
    return all(c in header for c in META_COLUMNS) and "country" not in header


def is_plain_rollcall(header: list[str]) -> bool:
    return (
        "vote" in header
        and ("participant" in header or "country" in header)
        and ("event" not in header)
    )


def _rcid(value: str) -> str:
    try:
        return str(int(float(value)))
    except ValueError:
        return value.strip()


def _meta(path: Path) -> dict[str, dict[str, str]]:
    """rcid → meta row, from every ``*meta*.csv`` beside the vote file."""
    found: dict[str, dict[str, str]] = {}
    for candidate in sorted(path.parent.glob("*meta*.csv")):
        with candidate.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            if not is_unvotes_meta(header):
                continue
            reader.fieldnames = header
            for row in reader:
                found[_rcid(row["rcid"])] = {k: (v or "").strip() for k, v in row.items() if k}
    return found


def read_unvotes(path: Path, data: bytes, text: str) -> SourceBatch:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    check_columns(path, header, UNVOTES_COLUMNS, "roll-call CSV")
    reader.fieldnames = header
    meta = _meta(path)
    rows = list(reader)
    rcids = sorted({_rcid(r["rcid"]) for r in rows if r.get("rcid")})
    missing = [r for r in rcids if r not in meta]
    if missing:
        raise LedgerImportError(
            path,
            f"no meta file beside it gives the resolution and date of roll call(s) "
            f"{', '.join(missing)}",
            hint="put the *_meta.csv (rcid, date, unres, ...) in the same folder",
        )
    resolutions = sorted({meta[r]["unres"] for r in rcids})
    batch = SourceBatch(
        path=path,
        format="unvotes-rollcall",
        sha256=file_sha256(data),
        source_key=f"unvotes:{'+'.join(resolutions)}",
        is_rollcall=True,
    )
    batch.metadata = {"resolutions": resolutions, "roll_calls": rcids}
    for number, raw in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        label = f"line {number}"
        info = meta[_rcid(row["rcid"])]
        fact = _vote_fact(label, row.get("country", ""), row.get("country_code"), row, info, batch)
        if fact is not None:
            batch.facts.append(fact)
    return batch


def read_plain_rollcall(path: Path, data: bytes, text: str) -> SourceBatch:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "participant" not in header and "country" in header:
        header = ["participant" if h == "country" else h for h in header]
    check_columns(path, header, PLAIN_COLUMNS, "roll-call CSV")
    reader.fieldnames = header
    batch = SourceBatch(
        path=path,
        format="rollcall-csv",
        sha256=file_sha256(data),
        source_key=f"file:{path.name}",
        is_rollcall=True,
    )
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        info = {"unres": row.get("resolution", ""), "date": row.get("date", "")}
        fact = _vote_fact(
            f"line {number}", row.get("participant", ""), row.get("code"), row, info, batch
        )
        if fact is not None:
            batch.facts.append(fact)
    batch.metadata = {"resolutions": sorted({f.resolution or "" for f in batch.facts})}
    return batch


def _vote_fact(
    label: str,
    participant: str,
    code: str | None,
    row: dict[str, str],
    info: dict[str, str],
    batch: SourceBatch,
) -> SourceFact | None:
    vote = normalise_vote(row.get("vote", ""))
    if vote is None:
        batch.skipped.append(
            Skip(label, f"unknown vote {row.get('vote')!r} (use yes, no, abstain or absent)")
        )
        return None
    if not info.get("unres"):
        batch.skipped.append(Skip(label, "no resolution symbol for this vote"))
        return None
    try:
        when = parse_date(info.get("date"))
    except DateError as exc:
        batch.skipped.append(Skip(label, str(exc)))
        return None
    return SourceFact(
        row=label,
        participant=participant,
        code_hint=code or None,
        event="vote",
        date=when,
        resolution=info["unres"],
        vote=vote,
        note=row.get("note") or None,
        source_key=f"{batch.source_key}" if batch.format == "unvotes-rollcall" else None,
    )
