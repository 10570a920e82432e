"""Entry-into-force maths: examples, real UNTC files, and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED
from treatywatch.ledger.entry_into_force import (
    Delay,
    Deposit,
    EntryIntoForceRule,
    party_from,
    project,
    qualifying_deposits,
)
from treatywatch.ledger.instruments import tracked_instruments

QUALIFYING = frozenset({"ratification", "acceptance", "approval", "accession"})
UNCC = tracked_instruments()["uncc"].rule
assert UNCC is not None
START = dt.date(2025, 10, 25)


def rule(threshold: int = 40, days: int = 90, later: int = 90) -> EntryIntoForceRule:
    return EntryIntoForceRule(threshold, Delay(days=days), Delay(days=later), QUALIFYING)


def deposits_on(days: list[int], *, kind: str = "ratification") -> list[Deposit]:
    return [Deposit(f"S{i:03d}", START + dt.timedelta(days=d), kind) for i, d in enumerate(days)]


def test_uncc_parameters_come_from_data() -> None:
    assert UNCC.threshold == 40
    assert UNCC.general_delay == Delay(days=90)
    assert UNCC.later_party_delay == Delay(days=90)
    assert not UNCC.reio_counts and "succession" not in UNCC.qualifying


def test_exactly_forty_instruments_are_needed() -> None:
    thirty_nine = deposits_on(list(range(39)))
    assert project(UNCC, thirty_nine).entry_into_force is None
    assert project(UNCC, thirty_nine).needed == 1
    forty = deposits_on(list(range(40)))
    result = project(UNCC, forty)
    assert result.threshold_reached_on == START + dt.timedelta(days=39)
    assert result.entry_into_force == START + dt.timedelta(days=39 + 90)
    assert result.needed == 0


def test_signatures_and_reio_instruments_do_not_count() -> None:
    states = deposits_on(list(range(39)))
    eu = Deposit("EUU", START, "approval", reio=True)
    signature = Deposit("S999", START, "signature")
    result = project(UNCC, [*states, eu, signature])
    assert result.qualifying == 39 and result.entry_into_force is None


def test_budapest_later_parties_first_day_of_month_after_three_months() -> None:
    budapest = tracked_instruments()["budapest"].rule
    assert budapest is not None
    eif = project(budapest, []).entry_into_force
    assert eif == dt.date(2004, 7, 1)  # fixed date, known
    assert party_from(budapest, dt.date(2006, 9, 29), eif) == dt.date(2007, 1, 1)
    assert party_from(budapest, dt.date(2012, 7, 3), eif) == dt.date(2012, 11, 1)
    assert party_from(budapest, dt.date(2002, 3, 1), eif) == eif  # early ratifier
    assert Delay(months=3).after(dt.date(2023, 11, 30)) == dt.date(2024, 3, 1)
    assert Delay(months=3).after(dt.date(2023, 12, 31)) == dt.date(2024, 4, 1)


def test_projection_before_a_fixed_date_uses_the_deposits() -> None:
    budapest = tracked_instruments()["budapest"].rule
    assert budapest is not None
    assert project(budapest, [], as_of=dt.date(2003, 1, 1)).entry_into_force is None


MTDSG = SHARED / "data" / "untc-mtdsg-2018"


@pytest.mark.skipif(not MTDSG.exists(), reason="../shared/data/untc-mtdsg-2018 not available")
@pytest.mark.parametrize(
    ("number", "threshold", "days", "expected"),
    [
        ("XVIII-12-b", 40, 90, dt.date(2004, 1, 28)),  # smuggling protocol
        ("XVIII-12-c", 40, 90, dt.date(2005, 7, 3)),  # firearms protocol
        ("XVIII-15", 22, 30, dt.date(2007, 7, 7)),  # nuclear terrorism convention
    ],
)
def test_maths_reproduces_real_entry_into_force_dates(
    number: str, threshold: int, days: int, expected: dt.date
) -> None:
    """The dates the UN published, recomputed from the deposits in the same file."""
    from treatywatch.ledger.events import CONSENT_EVENTS
    from treatywatch.ledger.jurisdictions import resolve
    from treatywatch.ledger.sources.mtdsg import read_mtdsg

    path = Path(MTDSG / f"{number}.en.xml")
    batch = read_mtdsg(path, path.read_bytes())
    assert f"{expected.day} {expected:%B %Y}" in batch.metadata["entry_into_force_text"]
    deposits = []
    for fact in batch.facts:
        if fact.event in CONSENT_EVENTS and fact.date.value:
            state = resolve(fact.participant)
            deposits.append(Deposit(state.code, fact.date.value, fact.event, state.is_reio))
    result = project(rule(threshold, days, 30), deposits)
    assert result.entry_into_force == expected


# --- properties -----------------------------------------------------------------------

offsets = st.lists(st.integers(min_value=0, max_value=900), min_size=0, max_size=70)
kinds = st.sampled_from(["ratification", "acceptance", "approval", "accession", "signature"])


@st.composite
def deposit_lists(draw: st.DrawFn) -> list[Deposit]:
    days = draw(offsets)
    out = []
    for i, d in enumerate(days):
        reio = draw(st.booleans()) and i % 7 == 0
        out.append(
            Deposit("EUU" if reio else f"S{i:03d}", START + dt.timedelta(days=d), draw(kinds), reio)
        )
    return out


@settings(max_examples=150, deadline=None)
@given(deposit_lists(), st.integers(min_value=-30, max_value=1200), st.integers(1, 400))
def test_monotonic_in_as_of(deposits: list[Deposit], first: int, step: int) -> None:
    early = START + dt.timedelta(days=first)
    late = early + dt.timedelta(days=step)
    a, b = project(UNCC, deposits, early), project(UNCC, deposits, late)
    assert a.qualifying <= b.qualifying
    if a.entry_into_force is not None:
        assert b.entry_into_force == a.entry_into_force  # once determined, never moves
    if a.in_force:
        assert b.in_force


@settings(max_examples=150, deadline=None)
@given(deposit_lists())
def test_reio_instruments_never_counted(deposits: list[Deposit]) -> None:
    without = [d for d in deposits if not d.reio]
    assert project(UNCC, deposits) == project(UNCC, without)
    assert all(not d.reio for d in qualifying_deposits(UNCC, deposits))


@settings(max_examples=150, deadline=None)
@given(deposit_lists())
def test_threshold_is_exactly_forty(deposits: list[Deposit]) -> None:
    counted = qualifying_deposits(UNCC, deposits)
    result = project(UNCC, deposits)
    if len(counted) < 40:
        assert result.entry_into_force is None and result.needed == 40 - len(counted)
    else:
        assert result.entry_into_force == counted[39].deposited + dt.timedelta(days=90)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=40, max_size=40), st.integers(0, 2000))
def test_later_party_is_deposit_plus_ninety_days(days: list[int], later: int) -> None:
    deposits = deposits_on(days)
    eif = project(UNCC, deposits).entry_into_force
    assert eif is not None
    fortieth = max(d.deposited for d in deposits)
    own = fortieth + dt.timedelta(days=later)
    assert party_from(UNCC, own, eif) == own + dt.timedelta(days=90)
    for deposit in deposits:  # the first forty all start on the general date
        assert party_from(UNCC, deposit.deposited, eif) == eif


@settings(max_examples=100, deadline=None)
@given(deposit_lists(), st.integers(1, 5000))
def test_as_of_before_everything_is_zero(deposits: list[Deposit], before: int) -> None:
    as_of = START - dt.timedelta(days=before)
    result = project(UNCC, deposits, as_of)
    assert result.qualifying == 0 and result.entry_into_force is None and not result.in_force


@settings(max_examples=100, deadline=None)
@given(deposit_lists(), st.integers(1, 60))
def test_party_from_never_before_general_entry_into_force(
    deposits: list[Deposit], later: int
) -> None:
    slow = EntryIntoForceRule(40, Delay(days=90), Delay(days=later), QUALIFYING)
    eif = project(slow, deposits).entry_into_force
    for deposit in deposits:
        start = party_from(slow, deposit.deposited, eif)
        assert start is None if eif is None else start is not None and start >= eif
