"""Older CSV scrapes of UNTC status pages (``18-12-b.csv``: chapter in arabic numerals).

The header row is the UNTC table header verbatim ("Participant, Signature,
Ratification, Acceptance(A), ..."), dates are as UNTC prints them ("21 Jun
2006 a"), footnote markers are already stripped. Such a scrape is a second
source for the same facts as the MTDSG XML, so it gets its own source key
and its disagreements with newer files show up as conflicts.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from treatywatch.ledger.sources.base import (
    Skip,
    SourceBatch,
    file_sha256,
    resolve_untc_instrument,
)
from treatywatch.ledger.sources.untc_table import date_column, row_facts, to_roman

_FILE_NUMBER = re.compile(r"^(?P<chapter>\d{1,2})-(?P<number>\d+)(?:-(?P<sub>[a-z]))?$")


_UNTC_TERMS = ("signature", "ratification", "accession", "acceptance", "approval", "succession")


def is_scrape_header(header: list[str]) -> bool:
    """``Participant`` then UNTC date columns ("Signature", "Ratification, Accession(a)")."""
    if len(header) < 2 or header[0].strip().lower() != "participant":
        return False
    return all(any(t in h.lower() for t in _UNTC_TERMS) for h in header[1:])


def mtdsg_from_filename(path: Path) -> str | None:
    match = _FILE_NUMBER.match(path.stem)
    if not match:
        return None
    number = f"{to_roman(int(match.group('chapter')))}-{match.group('number')}"
    return number + (f"-{match.group('sub')}" if match.group("sub") else "")


def read_untc_scrape(
    path: Path, data: bytes, text: str, *, expected: str | None = None
) -> SourceBatch:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    instrument, number = resolve_untc_instrument(
        path,
        mtdsg_from_filename(path),
        expected,
        found_in="the file name says",
        unknown=(
            "cannot tell which treaty this UNTC table is for (file name is not like 18-12-b.csv)"
        ),
        unknown_hint="pass --instrument, e.g. --instrument uncc or --instrument untc-XVIII-12",
    )
    batch = SourceBatch(
        path=path,
        format="untc-scrape-csv",
        sha256=file_sha256(data),
        source_key=f"untc-scrape:{number}",
        instrument=instrument,
    )
    columns = [date_column(h) for h in header[1:]]
    for number_, cells in enumerate(rows[1:], start=2):
        label = f"line {number_}"
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            batch.skipped.append(Skip(label, f"{len(cells)} cells for {len(header)} columns"))
            continue
        facts, problems = row_facts(label, cells, columns)
        batch.skipped.extend(Skip(label, p) for p in problems)
        batch.facts.extend(facts)
    return batch
