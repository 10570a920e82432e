"""Where each State stands with an instrument on a given date.

Reads the status events, picks one fact per question where sources differ
(best date precision, then the earliest date; ``ledger conflicts`` lists
the disagreement), and hands the instruments of consent to the pure
entry-into-force maths. A fact counts from the last day it can have
happened: a signature known only as "October 2025" counts from 31 October
2025, and a fact with no date is listed but not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.ledger import instruments as registry
from treatywatch.ledger.conflicts import Fact, load_facts
from treatywatch.ledger.entry_into_force import Deposit, party_from, project
from treatywatch.ledger.events import (
    CONSENT_EVENTS,
    NOT_SIGNED,
    PRECISIONS,
    SIGNATURE,
    STATEMENT_EVENTS,
    VOTE,
    WITHDRAWAL,
    FuzzyDate,
)
from treatywatch.ledger.instruments import LedgerInstrument
from treatywatch.ledger.jurisdictions import known_jurisdictions
from treatywatch.store.models import InstrumentEventRow, JurisdictionRow

STATUS_ORDER = ("party", "consented", "signatory", "withdrawn", "not-signed", "none")


def best(facts: list[Fact]) -> Fact | None:
    """The fact status uses when sources differ: most precise date, then earliest."""
    if not facts:
        return None
    return min(
        facts,
        key=lambda f: (
            PRECISIONS.index(f.date.precision),
            f.date.value or dt.date.max,
            f.id,
        ),
    )


def counts_at(fact: Fact | None, as_of: dt.date) -> bool:
    latest = fact.date.latest if fact else None
    return latest is not None and latest <= as_of


def _date(fact: Fact | None) -> dict[str, Any]:
    if fact is None:
        return {}
    return {"date": fact.date.text(), "date_precision": fact.date.precision}


@dataclass
class _StateFacts:
    signature: list[Fact]
    consent: list[Fact]
    withdrawal: list[Fact]
    not_signed: list[Fact]
    votes: list[Fact]
    statements: list[Fact]


def _by_state(facts: list[Fact]) -> dict[str, _StateFacts]:
    out: dict[str, _StateFacts] = defaultdict(lambda: _StateFacts([], [], [], [], [], []))
    for fact in facts:
        group = out[fact.code]
        if fact.event == SIGNATURE:
            group.signature.append(fact)
        elif fact.event in CONSENT_EVENTS:
            group.consent.append(fact)
        elif fact.event == WITHDRAWAL:
            group.withdrawal.append(fact)
        elif fact.event == NOT_SIGNED:
            group.not_signed.append(fact)
        elif fact.event == VOTE:
            group.votes.append(fact)
        elif fact.event in STATEMENT_EVENTS:
            group.statements.append(fact)
    return out


def ledger_status(
    session: Session,
    instrument_id: str = "uncc",
    *,
    as_of: dt.date | None = None,
    all_states: bool = False,
) -> dict[str, Any]:
    """The status report behind ``treatywatch ledger status``."""
    instrument = registry.get(instrument_id)
    as_of = as_of or dt.date.today()
    facts = load_facts(session, instrument=instrument.id)
    rows = {r.code: r for r in session.scalars(select(JurisdictionRow))}
    per_state = _by_state(facts)
    chosen: dict[str, dict[str, Fact | None]] = {}
    deposits: list[Deposit] = []
    undated: list[dict[str, Any]] = []
    for code, group in per_state.items():
        signature = best(group.signature)
        consent = best(group.consent)
        withdrawal = best([w for w in group.withdrawal if counts_at(w, as_of)])
        chosen[code] = {"signature": signature, "consent": consent, "withdrawal": withdrawal}
        for label, fact in (("signature", signature), ("consent", consent)):
            if fact is not None and fact.date.value is None:
                undated.append({"code": code, "fact": label, "event": fact.event})
        if consent is not None and counts_at(consent, as_of) and withdrawal is None:
            assert consent.date.latest is not None
            reio = rows[code].kind == "reio" if code in rows else False
            deposits.append(Deposit(code, consent.date.latest, consent.event, reio))
    rule = instrument.rule
    projection = project(rule, deposits, as_of) if rule else None
    eif = projection.entry_into_force if projection else _recorded_eif(session, instrument.id)
    states = []
    codes = set(per_state)
    if all_states:
        codes |= {j.code for j in known_jurisdictions()}
    for code in codes:
        group = per_state.get(code) or _StateFacts([], [], [], [], [], [])
        picked = chosen.get(code, {"signature": None, "consent": None, "withdrawal": None})
        states.append(_state_record(code, rows.get(code), group, picked, instrument, as_of, eif))
    states.sort(key=lambda s: (STATUS_ORDER.index(s["status"]), s["name"]))
    status_counts = {k: sum(1 for s in states if s["status"] == k) for k in STATUS_ORDER}
    signatories = sum(1 for s in states if s["signed"])
    parties = status_counts["party"] + status_counts["consented"]
    return {
        "instrument": instrument.id,
        "title": instrument.title,
        "as_of": as_of.isoformat(),
        "signatories": signatories,
        "parties": parties,
        "in_force_for": status_counts["party"],
        "qualifying_instruments": projection.qualifying if projection else None,
        "threshold": rule.threshold if rule else None,
        "instruments_needed": projection.needed if projection else None,
        "threshold_reached_on": _iso(projection.threshold_reached_on) if projection else None,
        "entry_into_force": _iso(eif),
        "entry_into_force_status": _eif_status(instrument, eif, as_of),
        "rule": instrument.record()["entry_into_force_rule"],
        "instrument_events": _instrument_events(session, instrument.id),
        "undated": sorted(undated, key=lambda u: u["code"]),
        "status_counts": status_counts,
        "states": states,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _recorded_eif(session: Session, instrument_id: str) -> dt.date | None:
    """For instruments without a rule: the entry-into-force date a source recorded."""
    dates = session.scalars(
        select(InstrumentEventRow.event_date).where(
            InstrumentEventRow.instrument_id == instrument_id,
            InstrumentEventRow.event == "entry-into-force",
            InstrumentEventRow.event_date.is_not(None),
        )
    ).all()
    return min((d for d in dates if d is not None), default=None)


def _eif_status(instrument: LedgerInstrument, eif: dt.date | None, as_of: dt.date) -> str:
    if eif is None:
        return "no-rule" if instrument.rule is None else "not-yet-determined"
    if instrument.rule is None:
        return "in-force (recorded)" if eif <= as_of else "recorded"
    return "in-force" if eif <= as_of else "projected"


def _state_record(
    code: str,
    row: JurisdictionRow | None,
    group: _StateFacts,
    picked: dict[str, Fact | None],
    instrument: LedgerInstrument,
    as_of: dt.date,
    eif: dt.date | None,
) -> dict[str, Any]:
    signature, consent, withdrawal = picked["signature"], picked["consent"], picked["withdrawal"]
    signed = counts_at(signature, as_of)
    consented = counts_at(consent, as_of)
    start = None
    if consented and consent is not None and consent.date.latest and instrument.rule:
        start = party_from(instrument.rule, consent.date.latest, eif)
    if withdrawal is not None and (consented or signed):
        status = "withdrawn"
    elif consented and start is not None and start <= as_of:
        status = "party"
    elif consented:
        status = "consented"
    elif signed:
        status = "signatory"
    elif any(counts_at(f, as_of) for f in group.not_signed):
        status = "not-signed"
    else:
        status = "none"
    consent_record = None
    if consent is not None:
        consent_record = {
            "date": consent.date.text(),
            "date_precision": consent.date.precision,
            "type": consent.event,
            "marker": consent.marker,
            "counted": consented,
        }
    return {
        "code": code,
        "name": row.name if row else code,
        "kind": row.kind if row else None,
        "status": status,
        "signed": signed,
        "signature": {**_date(signature), "counted": signed} if signature else None,
        "consent": consent_record,
        "party_from": _iso(start),
        "withdrawal": _date(withdrawal) or None,
        "votes": [
            {"resolution": v.resolution, "vote": v.vote, "date": v.date.text()}
            for v in sorted(group.votes, key=lambda v: (v.date.value or dt.date.min, v.id))
            if counts_at(v, as_of)
        ],
        "statements": {
            kind: sum(1 for s in group.statements if s.event == kind)
            for kind in STATEMENT_EVENTS
            if any(s.event == kind for s in group.statements)
        },
        "sources": len({f.source_key for f in group.signature + group.consent}),
    }


def _instrument_events(session: Session, instrument_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(InstrumentEventRow).where(InstrumentEventRow.instrument_id == instrument_id)
    ).all()
    rows = sorted(rows, key=lambda r: (r.event_date is None, r.event_date or dt.date.min, r.id))
    return [
        {
            "event": r.event,
            "date": FuzzyDate(r.event_date, r.date_precision).text(),
            "date_precision": r.date_precision,
            "resolution": r.resolution,
            "details": r.details,
            "note": r.note,
        }
        for r in rows
    ]
