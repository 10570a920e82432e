"""The participant table every UN Treaty Collection status page shares.

Whatever the carrier (MTDSG XML, the HTML page, an old CSV scrape), the
table is: participant, then one or two date columns whose headers say what
an unmarked date means and which suffixes mark the others, e.g.
"Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)".
The header decides, because treaties differ: in some the first date column
is not a signature at all ("Acceptance(A), Ratification").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from treatywatch.ledger.events import (
    MARKERS,
    SIGNATURE,
    DateError,
    SourceFact,
    parse_date,
)
from treatywatch.ledger.names import clean_name, footnote_markers, strip_markup

ROMAN = {1: "I", 4: "IV", 5: "V", 9: "IX", 10: "X", 40: "XL", 50: "L"}
_TERM_KINDS = (
    ("definitive signature", "definitive-signature"),
    ("succession to signature", SIGNATURE),
    ("formal confirmation", "formal-confirmation"),
    ("participation", "participation"),
    ("ratification", "ratification"),
    ("accession", "accession"),
    ("acceptance", "acceptance"),
    ("approval", "approval"),
    ("succession", "succession"),
    ("signature", SIGNATURE),
)


BRACKETED = "shown in brackets in the source (no longer in effect, e.g. denounced)"


def to_roman(number: int) -> str:
    out = ""
    for value in sorted(ROMAN, reverse=True):
        while number >= value:
            out += ROMAN[value]
            number -= value
    return out


def _term_kind(term: str) -> str | None:
    low = term.lower()
    for needle, kind in _TERM_KINDS:
        if needle in low:
            return kind
    return None


@dataclass(frozen=True)
class DateColumn:
    """What the dates in one column mean."""

    header: str
    unmarked: str
    is_signature: bool

    def event_for(self, marker: str | None) -> tuple[str, str | None]:
        """(event, note) for a date with this suffix in this column."""
        if self.is_signature:
            if marker == "d":
                return SIGNATURE, "succession to signature"
            if marker == "s":
                return "definitive-signature", None
            return SIGNATURE, None
        if marker is None:
            return self.unmarked, None
        return MARKERS[marker], None


def date_column(header: str) -> DateColumn:
    """Read a column header: the term without a suffix is what an unmarked date means."""
    text = " ".join(strip_markup(header).split())
    terms = [t.strip() for t in re.split(r",(?![^(]*\))", text) if t.strip()]
    unmarked = [t for t in terms if not re.search(r"\([A-Za-z]{1,2}\)\s*$", t)]
    first = _term_kind(unmarked[0]) if unmarked else None
    is_signature = bool(terms) and terms[0].lower().startswith("signature")
    if first is None:
        first = SIGNATURE if is_signature else "ratification"
    return DateColumn(header=text, unmarked=first, is_signature=is_signature)


def row_facts(
    row_label: str, cells: list[str], columns: list[DateColumn]
) -> tuple[list[SourceFact], list[str]]:
    """Facts from one participant row; returns (facts, problems) without raising."""
    facts: list[SourceFact] = []
    problems: list[str] = []
    raw_name = cells[0] if cells else ""
    participant = clean_name(raw_name)
    notes = footnote_markers(raw_name)
    note = f"footnote(s) {', '.join(notes)} in the source" if notes else None
    for column, raw in zip(columns, cells[1:], strict=False):
        text = re.sub(r"\s+", " ", strip_markup(raw or "")).strip()
        if not text:
            continue
        bracketed = text.startswith("[") and text.endswith("]")
        if bracketed:
            text = text[1:-1].strip()
        try:
            when = parse_date(text)
        except DateError as exc:
            problems.append(f"{participant}: {column.header}: {exc}")
            continue
        event, extra = column.event_for(when.marker)
        facts.append(
            SourceFact(
                row=row_label,
                participant=participant,
                event=event,
                date=when,
                marker=when.marker,
                note="; ".join(n for n in (extra, BRACKETED if bracketed else None, note) if n)
                or None,
            )
        )
    return facts, problems
