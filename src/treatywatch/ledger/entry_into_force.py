"""Entry-into-force maths, pure: dates in, dates out, no store, no clock.

A treaty of this family enters into force after a delay counted from the
deposit of its N-th qualifying instrument (UNCC: the 90th day after the
40th ratification, acceptance, approval or accession), and for a State that
deposits later after a delay counted from its own deposit, never before the
general date. Instruments of a regional economic integration organization
(the EU) do not count on top of its member States'. The numbers are
parameters (``data/instruments.yaml``), not literals, because the official
text is what decides them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Delay:
    """``days``: that many days after; ``months``: first day of the month after N months."""

    days: int = 0
    months: int = 0

    def after(self, day: dt.date) -> dt.date:
        if self.months:
            index = day.year * 12 + (day.month - 1) + self.months + 1
            return dt.date(index // 12, index % 12 + 1, 1)
        return day + dt.timedelta(days=self.days)

    def describe(self) -> str:
        if self.months:
            return f"first day of the month after {self.months} months"
        return f"{self.days} days"


@dataclass(frozen=True)
class EntryIntoForceRule:
    threshold: int
    general_delay: Delay
    later_party_delay: Delay
    qualifying: frozenset[str]
    reio_counts: bool = False
    fixed_date: dt.date | None = None


@dataclass(frozen=True)
class Deposit:
    """One party's instrument of consent (ratification, accession, ...)."""

    party: str
    deposited: dt.date
    kind: str
    reio: bool = False


@dataclass(frozen=True)
class Projection:
    as_of: dt.date | None
    qualifying: int
    needed: int
    threshold_reached_on: dt.date | None
    entry_into_force: dt.date | None

    @property
    def in_force(self) -> bool:
        return self.entry_into_force is not None and (
            self.as_of is None or self.entry_into_force <= self.as_of
        )


def _known(deposits: Iterable[Deposit], as_of: dt.date | None) -> list[Deposit]:
    """Each party's earliest deposit on or before ``as_of``."""
    first: dict[str, Deposit] = {}
    for item in sorted(deposits, key=lambda d: (d.deposited, d.party)):
        if as_of is not None and item.deposited > as_of:
            continue
        first.setdefault(item.party, item)
    return sorted(first.values(), key=lambda d: (d.deposited, d.party))


def qualifying_deposits(
    rule: EntryIntoForceRule, deposits: Iterable[Deposit], as_of: dt.date | None = None
) -> list[Deposit]:
    """The instruments that count towards the threshold, in deposit order."""
    return [
        d
        for d in _known(deposits, as_of)
        if d.kind in rule.qualifying and (rule.reio_counts or not d.reio)
    ]


def project(
    rule: EntryIntoForceRule, deposits: Iterable[Deposit], as_of: dt.date | None = None
) -> Projection:
    """Counts and the actual or projected entry-into-force date as known at ``as_of``.

    The date is projected as soon as the threshold-th instrument is on
    deposit, even when it falls after ``as_of``. A recorded ``fixed_date``
    (the date the treaty did enter into force) wins once ``as_of`` reaches it.
    """
    counted = qualifying_deposits(rule, deposits, as_of)
    reached = counted[rule.threshold - 1].deposited if len(counted) >= rule.threshold else None
    eif = rule.general_delay.after(reached) if reached else None
    if rule.fixed_date is not None and (as_of is None or rule.fixed_date <= as_of):
        eif = rule.fixed_date
    return Projection(
        as_of=as_of,
        qualifying=len(counted),
        needed=max(rule.threshold - len(counted), 0),
        threshold_reached_on=reached,
        entry_into_force=eif,
    )


def party_from(rule: EntryIntoForceRule, deposited: dt.date, eif: dt.date | None) -> dt.date | None:
    """The date the treaty enters into force for a party that deposited on ``deposited``.

    None while the general entry into force is not determined. A later
    party's date is counted from its own deposit and is never before the
    general date, which also covers the parties whose instruments brought
    the treaty into force.
    """
    if eif is None:
        return None
    return max(eif, rule.later_party_delay.after(deposited))
