"""Where sources disagree about a State's status.

Every source's facts are kept; a conflict is a group of facts about the
same question (this State's signature of this instrument, its consent, its
vote on one resolution, its withdrawal) that cannot all be true: dates that
cannot be the same day (a "2025-10" and a "2025-10-25" can), different kinds
of consent, different votes, or a signature dated on or before a report that
the State had not signed. Statements (reservations, declarations) are many
per State by nature and never conflict.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.ledger.events import (
    CONSENT_EVENTS,
    NOT_SIGNED,
    SIGNATURE,
    STATEMENT_EVENTS,
    FuzzyDate,
    category,
)
from treatywatch.store.models import JurisdictionRow, ProvenanceRow, StatusEventRow


@dataclass(frozen=True)
class Fact:
    id: int
    code: str
    instrument: str
    event: str
    date: FuzzyDate
    marker: str | None
    resolution: str | None
    vote: str | None
    source_key: str
    provenance: dict[str, Any]

    @property
    def question(self) -> str:
        return SIGNATURE if self.event == NOT_SIGNED else category(self.event, self.resolution)

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "date": self.date.text(),
            "date_precision": self.date.precision,
            "marker": self.marker,
            "vote": self.vote,
            "resolution": self.resolution,
            "source_key": self.source_key,
            **self.provenance,
        }


def fact_from_row(row: StatusEventRow, provenance: ProvenanceRow | None) -> Fact:
    return Fact(
        id=row.id,
        code=row.jurisdiction_code,
        instrument=row.instrument_id,
        event=row.event,
        date=FuzzyDate(row.event_date, row.date_precision),
        marker=row.marker,
        resolution=row.resolution,
        vote=row.vote,
        source_key=row.source_key,
        provenance=provenance_record(provenance),
    )


def provenance_record(row: ProvenanceRow | None) -> dict[str, Any]:
    if row is None:
        return {"source_url": None, "source_file": None, "retrieved": None, "sha256": None}
    return {
        "source_url": row.source_url,
        "source_file": row.source_file,
        "retrieved": row.retrieved,
        "sha256": row.sha256,
    }


def disagreements(facts: list[Fact]) -> list[str]:
    """The kinds of disagreement inside one group of facts about the same question."""
    kinds: set[str] = set()
    dated = [f for f in facts if f.event != NOT_SIGNED]
    for a, b in itertools.combinations(dated, 2):
        if not a.date.overlaps(b.date):
            kinds.add("date")
        if a.event in CONSENT_EVENTS and b.event in CONSENT_EVENTS and a.event != b.event:
            kinds.add("type")
        if a.event == "vote" and b.event == "vote" and a.vote != b.vote:
            kinds.add("vote")
    for report in (f for f in facts if f.event == NOT_SIGNED and f.date.value is not None):
        for signed in (f for f in facts if f.event == SIGNATURE):
            latest = signed.date.latest
            if latest is not None and report.date.value is not None and latest <= report.date.value:
                kinds.add("signed-vs-not-signed")
    return sorted(kinds)


def group_conflicts(facts: Iterable[Fact], names: dict[str, str]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.event in STATEMENT_EVENTS:
            continue
        groups[(fact.code, fact.instrument, fact.question)].append(fact)
    out = []
    for (code, instrument, question), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        kinds = disagreements(members)
        if kinds:
            out.append(
                {
                    "code": code,
                    "name": names.get(code, code),
                    "instrument": instrument,
                    "fact": question,
                    "kinds": kinds,
                    "sources": len({m.source_key for m in members}),
                    "events": [
                        m.record()
                        for m in sorted(members, key=lambda m: (m.date.value is None, m.id))
                    ],
                }
            )
    return out


def load_facts(
    session: Session,
    *,
    instrument: str | None = None,
    codes: Iterable[str] | None = None,
) -> list[Fact]:
    query = select(StatusEventRow, ProvenanceRow).outerjoin(
        ProvenanceRow, ProvenanceRow.id == StatusEventRow.provenance_id
    )
    if instrument:
        query = query.where(StatusEventRow.instrument_id == instrument)
    if codes is not None:
        wanted = sorted(set(codes))
        if not wanted:
            return []
        query = query.where(StatusEventRow.jurisdiction_code.in_(wanted))
    return [fact_from_row(row, prov) for row, prov in session.execute(query)]


def find_conflicts(
    session: Session,
    *,
    instrument: str | None = None,
    codes: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Every group of facts that cannot all be true, with each fact's provenance."""
    facts = load_facts(session, instrument=instrument, codes=codes)
    names = {
        code: name
        for code, name in session.execute(select(JurisdictionRow.code, JurisdictionRow.name))
    }
    return group_conflicts(facts, names)
