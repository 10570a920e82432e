"""Import status files into the ledger: match, check, write, report.

Readers (``ledger.sources``) turn a file into facts; this module gives every
format the same treatment:

- a participant name must match a known State exactly (after
  normalisation); otherwise the row is skipped and reported with close
  matches, and the rest of the file is imported;
- impossible dates are skipped with the reason (after today; a signature or
  consent before the instrument opened for signature or was adopted; a
  signature after the signature period closed);
- a row repeated in the same file is skipped as a duplicate;
- a fact already in the store from the same source is left alone, so
  re-importing a file changes nothing; the same fact from another source is
  kept beside it, and disagreements are counted (``ledger conflicts``);
- every new row points to a provenance row (source URL or file, the file's
  sha256, retrieved, produced_by), and the import is audit-logged;
- all files of one command are read before anything is written and are
  written in one transaction, so a fatal error leaves the store unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch import __version__, audit
from treatywatch.ledger import instruments as instrument_registry
from treatywatch.ledger.conflicts import find_conflicts
from treatywatch.ledger.events import (
    CONSENT_EVENTS,
    SIGNATURE,
    STATEMENT_EVENTS,
    VOTE,
    VOTES,
    WITHDRAWAL,
    InstrumentFact,
    SourceFact,
)
from treatywatch.ledger.instruments import LedgerInstrument, UnknownInstrumentError
from treatywatch.ledger.jurisdictions import (
    Jurisdiction,
    UnknownJurisdictionError,
    ensure_jurisdiction,
    from_alpha2,
    known_jurisdictions,
    load_jurisdictions,
    lookup,
    match,
    resolve,
)
from treatywatch.ledger.sources import (
    SUPPORTED_SUFFIXES,
    LedgerImportError,
    NotAStatusFileError,
    Skip,
    SourceBatch,
    read_source,
)
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import InstrumentEventRow, ProvenanceRow, StatusEventRow

DEFAULT_INSTRUMENT = "uncc"
DATED_ACTIONS = (SIGNATURE, *CONSENT_EVENTS, *STATEMENT_EVENTS, WITHDRAWAL)
FactKey = tuple[str, str, str, dt.date | None, str]


def default_actor() -> str:
    return os.environ.get("TREATYWATCH_ACTOR") or f"cli:{os.environ.get('USER', 'unknown')}"


@dataclass
class ImportReport:
    file: str
    format: str
    sha256: str
    source_key: str
    instruments: list[str] = field(default_factory=list)
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    instrument_events: int = 0
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conflicts: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "sha256": self.sha256,
            "source_key": self.source_key,
            "instruments": self.instruments,
            "rows": self.rows,
            "imported": self.imported,
            "unchanged": self.unchanged,
            "instrument_events": self.instrument_events,
            "skipped": [s.record() for s in self.skipped],
            "warnings": self.warnings,
            "conflicts": self.conflicts,
        }


def summarise(reports: list[ImportReport], notes: list[str] | None = None) -> dict[str, Any]:
    """One JSON answer for a command that imported one or many files."""
    many = len(reports) > 1
    skipped = []
    for report in reports:
        for skip in report.skipped:
            item = skip.record()
            if many:
                item["file"] = Path(report.file).name
            skipped.append(item)
    warnings = list(notes or [])
    for report in reports:
        prefix = f"{Path(report.file).name}: " if many else ""
        warnings += [prefix + w for w in report.warnings]
    return {
        "imported": sum(r.imported for r in reports),
        "unchanged": sum(r.unchanged for r in reports),
        "instrument_events": sum(r.instrument_events for r in reports),
        "skipped": skipped,
        "warnings": warnings,
        "conflicts": sum(r.conflicts for r in reports),
        "files": [
            {k: v for k, v in r.record().items() if k not in ("skipped", "warnings")}
            | {"skipped": len(r.skipped), "warnings": len(r.warnings)}
            for r in reports
        ],
    }


@dataclass(frozen=True)
class SourceAlias:
    format: str
    names: frozenset[str]
    code: str
    start: dt.date
    note: str


@lru_cache(maxsize=1)
def source_aliases() -> list[SourceAlias]:
    text = resources.files("treatywatch.ledger").joinpath("data/source_aliases.yaml").read_text()
    return [
        SourceAlias(
            format=item["format"],
            names=frozenset(str(n).casefold() for n in item["names"]),
            code=item["code"],
            start=item["from"],
            note=" ".join(str(item["note"]).split()),
        )
        for item in yaml.safe_load(text)
    ]


def _files(path: Path) -> tuple[list[Path], list[str]]:
    if not path.exists():
        raise LedgerImportError(path, "no such file or folder", hint="check the path")
    if path.is_file():
        return [path], []
    files = sorted(
        p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
    ignored = sorted(
        p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() not in SUPPORTED_SUFFIXES
    )
    if not files:
        raise LedgerImportError(
            path, "the folder holds no status files", hint=f"supported: {SUPPORTED_SUFFIXES}"
        )
    notes = [f"ignored {', '.join(ignored)} (not a status file type)"] if ignored else []
    return files, notes


def read_all(
    paths: list[Path], *, instrument: str | None = None
) -> tuple[list[SourceBatch], list[str]]:
    """Read every file first: a fatal problem in any of them stops before a write."""
    if instrument is not None:
        instrument = instrument_registry.get(instrument).id
    files: list[Path] = []
    notes: list[str] = []
    for path in paths:
        found, ignored = _files(path)
        files += found
        notes += ignored
    batches = []
    for file in files:
        try:
            batches.append(read_source(file, instrument=instrument))
        except NotAStatusFileError as exc:
            if len(files) == 1:
                raise
            notes.append(f"{file.name}: skipped, {exc.problem}")
    return batches, notes


def import_paths(
    paths: list[Path],
    *,
    instrument: str | None = None,
    source_url: str | None = None,
    retrieved: str | None = None,
    infer_absent: bool = False,
    today: dt.date | None = None,
    actor: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """Import files and folders of status files in one transaction."""
    batches, notes = read_all(paths, instrument=instrument)
    ensure_current(url)
    with session_scope(url) as session:
        load_jurisdictions(session)
        reports = [
            write_batch(
                session,
                batch,
                instrument=instrument,
                source_url=source_url,
                retrieved=retrieved,
                infer_absent=infer_absent,
                today=today,
                actor=actor or default_actor(),
            )
            for batch in batches
        ]
    return summarise(reports, notes)


def import_path(path: Path, **options: Any) -> dict[str, Any]:
    """Import one file, or every status file in a folder."""
    return import_paths([path], **options)


# --- matching and checks ---------------------------------------------------------


def _source_alias(fact: SourceFact, batch: SourceBatch) -> tuple[Jurisdiction, str] | None:
    for alias in source_aliases():
        if alias.format != batch.format:
            continue
        names = {fact.participant.casefold(), (fact.code_hint or "").casefold()}
        if names & alias.names and fact.date.value is not None and fact.date.value >= alias.start:
            return lookup(alias.code), alias.note
    return None


def match_state(fact: SourceFact, batch: SourceBatch) -> tuple[Jurisdiction | None, str | None]:
    """(jurisdiction, warning) for a fact; jurisdiction None means "report and skip"."""
    aliased = _source_alias(fact, batch)
    if aliased is not None:
        item, note = aliased
        fact.note = "; ".join(
            n for n in (fact.note, f"source calls it {fact.participant!r}: {note}") if n
        )
        return item, None
    by_code: Jurisdiction | None = None
    if fact.code_hint:
        hint = fact.code_hint.strip().upper()
        by_code = from_alpha2(hint) if len(hint) == 2 else match(hint)
    by_name = match(fact.participant) if fact.participant else None
    if by_code and by_name and by_code.code != by_name.code:
        return by_code, (
            f"{fact.row}: name {fact.participant!r} is {by_name.code} but code "
            f"{fact.code_hint!r} is {by_code.code}; used the code"
        )
    return by_code or by_name, None


def _unknown_state(fact: SourceFact) -> Skip:
    text = fact.participant or fact.code_hint or ""
    try:
        resolve(text)
        suggestions: list[str] = []
    except UnknownJurisdictionError as exc:
        suggestions = exc.suggestions
    return Skip(fact.row, f"unknown State {text!r}", tuple(suggestions))


def check_dates(fact: SourceFact, instrument: LedgerInstrument, today: dt.date) -> str | None:
    """Why this fact's date is impossible, or None."""
    when = fact.date
    if when.value is None:
        return None
    shown = when.text()
    if when.value > today:
        return f"{fact.event} dated {shown} is in the future (today is {today.isoformat()})"
    earliest = instrument.earliest_action
    latest = when.latest
    if (
        fact.event in DATED_ACTIONS
        and earliest is not None
        and latest is not None
        and latest < earliest
    ):
        what = (
            "opened for signature" if instrument.opened_for_signature is not None else "was adopted"
        )
        return (
            f"{fact.event} dated {shown} is before {instrument.id} {what} ({earliest.isoformat()})"
        )
    closes = instrument.signature_closes
    if fact.event == SIGNATURE and closes is not None and when.value > closes:
        return (
            f"signature dated {shown} is after {instrument.id}'s signature period closed "
            f"({closes.isoformat()}); a later State accedes instead"
        )
    return None


def _vote_problem(fact: SourceFact) -> str | None:
    if fact.event != VOTE:
        return None
    if fact.vote not in VOTES:
        return f"vote {fact.vote!r} is not one of {', '.join(VOTES)}"
    if not fact.resolution:
        return "a vote needs the resolution it was cast on"
    return None


def _source_key(fact: SourceFact, batch: SourceBatch) -> str:
    key = fact.source_key or batch.source_key
    if fact.event == VOTE and fact.resolution and fact.resolution not in key:
        key = f"{key}#{fact.resolution}"
    return key[:300]


def _content(fact: SourceFact) -> tuple[Any, ...]:
    return (fact.vote, fact.marker, fact.resolution, fact.text)


# --- writing ----------------------------------------------------------------------


class _Provenance:
    """Provenance rows for one file, created only when a fact is new, reused on re-import."""

    def __init__(
        self, session: Session, batch: SourceBatch, url: str | None, retrieved: str | None
    ):
        self.session = session
        self.batch = batch
        self.url = url or batch.source_url
        self.retrieved = retrieved or batch.retrieved
        self.produced_by = f"treatywatch {__version__} ledger import ({batch.format})"
        self.cache: dict[tuple[str | None, str | None], ProvenanceRow] = {}

    def row(self, source_url: str | None, retrieved: str | None) -> ProvenanceRow:
        url = source_url or self.url
        when = retrieved or self.retrieved
        key = (url, when)
        if key in self.cache:
            return self.cache[key]
        source_file = str(self.batch.path.resolve())
        found = self.session.scalars(
            select(ProvenanceRow).where(
                ProvenanceRow.sha256 == self.batch.sha256,
                ProvenanceRow.source_file == source_file,
                ProvenanceRow.produced_by == self.produced_by,
                ProvenanceRow.source_url.is_(None)
                if url is None
                else ProvenanceRow.source_url == url,
                ProvenanceRow.retrieved.is_(None)
                if when is None
                else ProvenanceRow.retrieved == when,
            )
        ).first()
        if found is None:
            found = ProvenanceRow(
                source_url=url,
                source_file=source_file,
                sha256=self.batch.sha256,
                retrieved=when,
                produced_by=self.produced_by,
                note=None if when else "retrieval date not given",
            )
            self.session.add(found)
            self.session.flush()
        self.cache[key] = found
        return found


def _existing_keys(session: Session, keys: set[FactKey]) -> set[FactKey]:
    if not keys:
        return set()
    instruments = sorted({k[1] for k in keys})
    source_keys = sorted({k[4] for k in keys})
    rows = session.execute(
        select(
            StatusEventRow.jurisdiction_code,
            StatusEventRow.instrument_id,
            StatusEventRow.event,
            StatusEventRow.event_date,
            StatusEventRow.source_key,
        ).where(
            StatusEventRow.instrument_id.in_(instruments),
            StatusEventRow.source_key.in_(source_keys),
        )
    )
    found: set[FactKey] = {(r[0], r[1], r[2], r[3], r[4]) for r in rows}
    return found & keys


def _instrument_for(
    fact: SourceFact, batch: SourceBatch, option: str | None
) -> tuple[LedgerInstrument | None, str | None]:
    if batch.instrument is not None:
        return batch.instrument, None
    wanted = fact.instrument or option or (DEFAULT_INSTRUMENT if fact.event == VOTE else None)
    if not wanted:
        return None, "no instrument (fill the instrument column or pass --instrument)"
    try:
        return instrument_registry.get(wanted), None
    except UnknownInstrumentError as exc:
        return None, f"{exc.message} ({exc.hint})"


def _inferred_absent(batch: SourceBatch, accepted: list[_Accepted]) -> list[SourceFact]:
    members = {j.code for j in known_jurisdictions(["member"])}
    out = []
    by_resolution: dict[str, set[str]] = {}
    dates: dict[str, Any] = {}
    for item in accepted:
        if item.fact.event == VOTE and item.fact.resolution:
            by_resolution.setdefault(item.fact.resolution, set()).add(item.code)
            dates[item.fact.resolution] = item.fact.date
    for resolution, voted in sorted(by_resolution.items()):
        for code in sorted(members - voted):
            out.append(
                SourceFact(
                    row=f"inferred {code}",
                    participant=code,
                    code_hint=code,
                    event=VOTE,
                    date=dates[resolution],
                    resolution=resolution,
                    vote="absent",
                    note="not listed in the roll call: absent or not voting (inferred by "
                    "treatywatch from UN membership)",
                )
            )
    return out


@dataclass
class _Accepted:
    fact: SourceFact
    code: str
    instrument: LedgerInstrument
    key: FactKey


def write_batch(
    session: Session,
    batch: SourceBatch,
    *,
    instrument: str | None = None,
    source_url: str | None = None,
    retrieved: str | None = None,
    infer_absent: bool = False,
    today: dt.date | None = None,
    actor: str = "treatywatch",
) -> ImportReport:
    """Validate and write one file's facts inside the caller's transaction."""
    today = today or dt.date.today()
    report = ImportReport(
        file=str(batch.path),
        format=batch.format,
        sha256=batch.sha256,
        source_key=batch.source_key,
        rows=len(batch.facts) + len(batch.skipped),
        skipped=list(batch.skipped),
        warnings=list(batch.warnings),
    )
    accepted = _accept(batch, report, instrument, today)
    if batch.is_rollcall and infer_absent:
        extra = _inferred_absent(batch, accepted)
        accepted += _accept_facts(batch, extra, report, instrument, today, {})
        report.warnings.append(f"recorded {len(extra)} UN member States as absent (inferred)")
    elif batch.is_rollcall:
        _note_missing_members(accepted, report)
    for code in sorted({a.code for a in accepted}):
        ensure_jurisdiction(session, code)  # e.g. a territory outside the tracked list
    provenance = _Provenance(session, batch, source_url, retrieved)
    existing = _existing_keys(session, {a.key for a in accepted})
    for item in accepted:
        if item.key in existing:
            report.unchanged += 1
            continue
        fact = item.fact
        prov = provenance.row(fact.source_url, fact.retrieved)
        session.add(
            StatusEventRow(
                jurisdiction_code=item.code,
                instrument_id=item.instrument.id,
                event=fact.event,
                event_date=fact.date.value,
                date_precision=fact.date.precision,
                marker=fact.marker,
                resolution=fact.resolution,
                vote=fact.vote,
                text=fact.text,
                note=fact.note,
                source_key=item.key[4],
                provenance_id=prov.id,
            )
        )
        report.imported += 1
    report.instrument_events = _write_instrument_facts(
        session, batch, batch.instrument_facts, report, provenance, today
    )
    session.flush()
    report.instruments = sorted(
        {a.instrument.id for a in accepted} | {f.instrument for f in batch.instrument_facts}
    )
    touched = {a.code for a in accepted}
    conflicts = [
        c
        for inst in report.instruments
        for c in find_conflicts(session, instrument=inst, codes=touched)
        if any(e["source_key"] in {a.key[4] for a in accepted} for e in c["events"])
    ]
    report.conflicts = len(conflicts)
    if batch.is_rollcall:
        _check_tally(session, accepted, report)
    if report.imported or report.instrument_events:
        audit.record(
            session,
            actor=actor,
            action="ledger.import",
            entity_type="status_source",
            entity_id=f"{batch.source_key}@{batch.sha256[:12]}"[:200],
            after={
                "file": str(batch.path),
                "format": batch.format,
                "sha256": batch.sha256,
                "imported": report.imported,
                "instrument_events": report.instrument_events,
                "unchanged": report.unchanged,
                "skipped": len(report.skipped),
            },
        )
    return report


def _accept(
    batch: SourceBatch, report: ImportReport, option: str | None, today: dt.date
) -> list[_Accepted]:
    return _accept_facts(batch, batch.facts, report, option, today, {})


def _accept_facts(
    batch: SourceBatch,
    facts: list[SourceFact],
    report: ImportReport,
    option: str | None,
    today: dt.date,
    seen: dict[FactKey, SourceFact],
) -> list[_Accepted]:
    accepted: list[_Accepted] = []
    for fact in facts:
        instrument, problem = _instrument_for(fact, batch, option)
        if instrument is None:
            report.skipped.append(Skip(fact.row, problem or "no instrument"))
            continue
        state, warning = match_state(fact, batch)
        if state is None:
            report.skipped.append(_unknown_state(fact))
            continue
        if warning:
            report.warnings.append(warning)
        problem = _vote_problem(fact) or check_dates(fact, instrument, today)
        if problem:
            report.skipped.append(Skip(fact.row, f"{state.name}: {problem}"))
            continue
        if fact.event != VOTE and fact.vote:
            report.warnings.append(f"{fact.row}: vote value ignored on a {fact.event} event")
            fact.vote = None
        key: FactKey = (
            state.code,
            instrument.id,
            fact.event,
            fact.date.value,
            _source_key(fact, batch),
        )
        if key in seen:
            first = seen[key]
            same = _content(first) == _content(fact)
            reason = (
                f"duplicate of {first.row}"
                if same
                else f"contradicts {first.row} (same State, event and date, other details)"
            )
            report.skipped.append(Skip(fact.row, f"{state.name}: {reason}"))
            continue
        seen[key] = fact
        accepted.append(_Accepted(fact, state.code, instrument, key))
    return accepted


def _note_missing_members(accepted: list[_Accepted], report: ImportReport) -> None:
    members = {j.code for j in known_jurisdictions(["member"])}
    voted = {a.code for a in accepted if a.fact.event == VOTE}
    missing = members - voted
    if missing and voted:
        report.warnings.append(
            f"{len(missing)} UN member States are not in the roll call (absent or not voting); "
            "pass --infer-absent to record them as absent"
        )


def _check_tally(session: Session, accepted: list[_Accepted], report: ImportReport) -> None:
    """Compare the imported votes with a recorded tally (seed data) for the same resolution."""
    counts: dict[str, Counter[str]] = {}
    for item in accepted:
        if item.fact.event == VOTE and item.fact.resolution:
            counts.setdefault(item.fact.resolution, Counter())[item.fact.vote or ""] += 1
    for resolution, counted in counts.items():
        tallies = session.scalars(
            select(InstrumentEventRow).where(
                InstrumentEventRow.event == "vote-result",
                InstrumentEventRow.resolution == resolution,
            )
        ).all()
        for tally in tallies:
            recorded = {k: int(tally.details[k]) for k in VOTES if k in tally.details}
            mine = {k: counted.get(k, 0) for k in recorded}
            if mine == recorded:
                report.warnings.append(
                    f"{resolution}: roll call matches the recorded tally "
                    + "-".join(str(recorded[k]) for k in recorded)
                )
            else:
                report.warnings.append(
                    f"{resolution}: roll call gives {mine}, the recorded tally is {recorded}"
                )


def _write_instrument_facts(
    session: Session,
    batch: SourceBatch,
    facts: list[InstrumentFact],
    report: ImportReport,
    provenance: _Provenance,
    today: dt.date,
) -> int:
    written = 0
    for fact in facts:
        try:
            instrument = instrument_registry.get(fact.instrument)
        except UnknownInstrumentError as exc:
            report.skipped.append(Skip(fact.row, f"{exc.message} ({exc.hint})"))
            continue
        if fact.date.value is not None and fact.date.value > today:
            report.skipped.append(
                Skip(fact.row, f"{fact.event} dated {fact.date.text()} is in the future")
            )
            continue
        key = batch.source_key
        same = session.scalars(
            select(InstrumentEventRow).where(
                InstrumentEventRow.instrument_id == instrument.id,
                InstrumentEventRow.event == fact.event,
                InstrumentEventRow.source_key == key,
                InstrumentEventRow.event_date.is_(None)
                if fact.date.value is None
                else InstrumentEventRow.event_date == fact.date.value,
            )
        ).all()
        # an undated fact (e.g. header counts) is new when its details changed
        if any(fact.date.value is not None or row.details == fact.details for row in same):
            report.unchanged += 1
            continue
        prov = provenance.row(fact.source_url, fact.retrieved)
        session.add(
            InstrumentEventRow(
                instrument_id=instrument.id,
                event=fact.event[:30],
                event_date=fact.date.value,
                date_precision=fact.date.precision,
                resolution=fact.resolution,
                details=fact.details,
                note=fact.note,
                source_key=key,
                provenance_id=prov.id,
            )
        )
        written += 1
    return written
