"""The status-event vocabulary and the dates sources write them with.

An event is one dated fact about a State and an instrument: a vote on a
resolution, a signature, an instrument of consent (ratification and its
siblings), a reservation or declaration, a notification, a withdrawal, or a
negative observation ("had not signed as of"). Sources give dates as
"25 Oct 2025 a", "2025-10" or nothing at all; a date keeps its precision so
the ledger never pretends to know a day it does not.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

VOTE = "vote"
SIGNATURE = "signature"
CONSENT_EVENTS = (
    "ratification",
    "acceptance",
    "approval",
    "accession",
    "succession",
    "definitive-signature",
    "formal-confirmation",
    "participation",
)
STATEMENT_EVENTS = ("reservation", "declaration", "objection", "notification")
WITHDRAWAL = "withdrawal"
NOT_SIGNED = "not-signed-as-of"
EVENT_TYPES = (VOTE, SIGNATURE, *CONSENT_EVENTS, *STATEMENT_EVENTS, WITHDRAWAL, NOT_SIGNED)
VOTES = ("yes", "no", "abstain", "absent")
PRECISIONS = ("day", "month", "year", "unknown")

# UNTC suffixes after a date in the consent column (case matters: a ≠ A).
MARKERS = {
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "d": "succession",
    "s": "definitive-signature",
    "c": "formal-confirmation",
    "P": "participation",
}

EVENT_SYNONYMS = {
    "signed": SIGNATURE,
    "sign": SIGNATURE,
    "ratified": "ratification",
    "ratify": "ratification",
    "accepted": "acceptance",
    "approved": "approval",
    "acceded": "accession",
    "denunciation": WITHDRAWAL,
    "denounced": WITHDRAWAL,
    "withdrawn": WITHDRAWAL,
    "reservations": "reservation",
    "declarations": "declaration",
    "objections": "objection",
    "notifications": "notification",
    "not-signed": NOT_SIGNED,
}

VOTE_SYNONYMS = {
    "yes": "yes",
    "y": "yes",
    "in favour": "yes",
    "in favor": "yes",
    "favour": "yes",
    "no": "no",
    "n": "no",
    "against": "no",
    "abstain": "abstain",
    "abstention": "abstain",
    "abstained": "abstain",
    "a": "abstain",
    "absent": "absent",
    "non-voting": "absent",
    "not voting": "absent",
    "nv": "absent",
    "x": "absent",
}

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS["sept"] = 9
_UN_DATE = re.compile(
    r"^\s*(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})"
    r"(?:\s+(?P<marker>AA|[aAdscP]))?\s*$"
)
_MONTH_YEAR = re.compile(r"^\s*(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})\s*$")
_ISO = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?\s*$")


class DateError(ValueError):
    """A date a source wrote that cannot be read or cannot exist."""


@dataclass(frozen=True)
class FuzzyDate:
    """A date with its precision; ``value`` is the first day of the period (None: unknown)."""

    value: dt.date | None
    precision: str = "day"
    marker: str | None = None

    @property
    def latest(self) -> dt.date | None:
        """The last day the period covers (conservative for "happened by" questions)."""
        if self.value is None:
            return None
        if self.precision == "month":
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        if self.precision == "year":
            return self.value.replace(month=12, day=31)
        return self.value

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether both could be the same day (unknown dates overlap everything)."""
        if self.value is None or other.value is None:
            return True
        assert self.latest is not None and other.latest is not None
        return self.value <= other.latest and other.value <= self.latest

    def text(self) -> str | None:
        if self.value is None:
            return None
        if self.precision == "month":
            return self.value.strftime("%Y-%m")
        if self.precision == "year":
            return str(self.value.year)
        return self.value.isoformat()


UNKNOWN_DATE = FuzzyDate(None, "unknown")


def coarsen(when: FuzzyDate, precision: str) -> FuzzyDate:
    """The same date known only to ``precision`` (month: first of the month, ...)."""
    if when.value is None or precision == "unknown":
        return FuzzyDate(None, "unknown", when.marker)
    if precision == "month":
        return FuzzyDate(when.value.replace(day=1), "month", when.marker)
    if precision == "year":
        return FuzzyDate(when.value.replace(month=1, day=1), "year", when.marker)
    return when


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{text.strip()!r} is not a real date") from None


def parse_date(text: str | None) -> FuzzyDate:
    """Read "25 Oct 2025 a", "2025-10-25", "2025-10", "2025", "Oct 2025" or "" (unknown)."""
    if text is None or not text.strip():
        return UNKNOWN_DATE
    text = text.replace("\u00a0", " ")
    match = _UN_DATE.match(text)
    if match:
        month = _MONTHS.get(match.group("month").lower())
        if month is None:
            raise DateError(f"{text.strip()!r}: unknown month {match.group('month')!r}")
        value = _make(int(match.group("year")), month, int(match.group("day")), text)
        return FuzzyDate(value, "day", match.group("marker"))
    match = _ISO.match(text)
    if match:
        year = int(match.group("year"))
        if match.group("day"):
            value = _make(year, int(match.group("month")), int(match.group("day")), text)
            return FuzzyDate(value, "day")
        if match.group("month"):
            return FuzzyDate(_make(year, int(match.group("month")), 1, text), "month")
        return FuzzyDate(_make(year, 1, 1, text), "year")
    match = _MONTH_YEAR.match(text)
    if match and match.group("month").lower() in _MONTHS:
        month = _MONTHS[match.group("month").lower()]
        return FuzzyDate(_make(int(match.group("year")), month, 1, text), "month")
    raise DateError(f"cannot read the date {text.strip()!r}")


def normalise_event(text: str) -> str | None:
    key = "-".join(text.strip().lower().replace("_", " ").split())
    key = EVENT_SYNONYMS.get(key, key)
    return key if key in EVENT_TYPES else None


def normalise_vote(text: str) -> str | None:
    return VOTE_SYNONYMS.get(" ".join(text.strip().lower().split()))


def category(event: str, resolution: str | None = None) -> str:
    """The fact an event asserts, for spotting disagreements between sources.

    All instruments of consent answer one question (when, and how, did the
    State consent?), so a ratification in one source and an accession in
    another disagree; a vote is one fact per resolution.
    """
    if event in CONSENT_EVENTS:
        return "consent"
    if event == VOTE:
        return f"vote:{resolution or ''}"
    return event


@dataclass
class SourceFact:
    """One event as a source states it, before validation and matching."""

    row: str
    participant: str
    event: str
    date: FuzzyDate
    instrument: str | None = None
    code_hint: str | None = None
    marker: str | None = None
    resolution: str | None = None
    vote: str | None = None
    text: str | None = None
    note: str | None = None
    source_url: str | None = None
    retrieved: str | None = None
    source_key: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class InstrumentFact:
    """A fact about an instrument as a whole (adoption, vote tally, opening for signature)."""

    row: str
    instrument: str
    event: str
    date: FuzzyDate
    resolution: str | None = None
    details: dict[str, object] = field(default_factory=dict)
    note: str | None = None
    source_url: str | None = None
    retrieved: str | None = None
