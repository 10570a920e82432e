"""The instruments the ledger tracks and the ids it accepts for others.

``uncc``, ``budapest``, ``budapest-p1`` (ETS 189) and ``budapest-p2``
(CETS 224) are described in ``data/instruments.yaml`` with the dates and
entry-into-force parameters the maths needs. Status files from the UN Treaty
Collection cover hundreds of other treaties; their events are kept under
``untc-<MTDSG number>`` ids (``untc-XVIII-12-b``) so one importer serves
every file, while a typo such as ``uncc2`` is still refused with a hint.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from treatywatch.errors import TreatywatchError
from treatywatch.ledger.entry_into_force import Delay, EntryIntoForceRule
from treatywatch.suggest import close_matches

MTDSG_NUMBER = re.compile(r"^(?P<chapter>[IVXL]+)-(?P<number>\d+)(?:-(?P<sub>[a-z]))?$")
UNTC_ID = re.compile(r"^untc-(?P<mtdsg>[IVXL]+-\d+(?:-[a-z])?)$")


class UnknownInstrumentError(TreatywatchError):
    """An instrument id the ledger does not accept."""


@dataclass(frozen=True)
class LedgerInstrument:
    id: str
    title: str
    depositary: str | None = None
    untc_mtdsg: str | None = None
    adopted: dt.date | None = None
    opened_for_signature: dt.date | None = None
    signature_closes: dt.date | None = None
    rule: EntryIntoForceRule | None = None
    tracked: bool = True

    @property
    def earliest_action(self) -> dt.date | None:
        """No signature or consent can be dated before this."""
        return self.opened_for_signature or self.adopted

    def record(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "id": self.id,
            "title": self.title,
            "depositary": self.depositary,
            "untc_mtdsg": self.untc_mtdsg,
            "adopted": self.adopted,
            "opened_for_signature": self.opened_for_signature,
            "signature_closes": self.signature_closes,
            "tracked": self.tracked,
            "entry_into_force_rule": None
            if rule is None
            else {
                "threshold": rule.threshold,
                "general_delay": rule.general_delay.describe(),
                "later_party_delay": rule.later_party_delay.describe(),
                "qualifying": sorted(rule.qualifying),
                "reio_counts": rule.reio_counts,
                "fixed_date": rule.fixed_date,
            },
        }


def _delay(raw: dict[str, Any]) -> Delay:
    return Delay(days=int(raw.get("days", 0)), months=int(raw.get("months", 0)))


def _rule(raw: dict[str, Any] | None) -> EntryIntoForceRule | None:
    if not raw:
        return None
    return EntryIntoForceRule(
        threshold=int(raw["threshold"]),
        general_delay=_delay(raw["general_delay"]),
        later_party_delay=_delay(raw["later_party_delay"]),
        qualifying=frozenset(raw["qualifying"]),
        reio_counts=bool(raw.get("reio_counts", False)),
        fixed_date=raw.get("fixed_date"),
    )


@lru_cache(maxsize=1)
def tracked_instruments() -> dict[str, LedgerInstrument]:
    text = resources.files("treatywatch.ledger").joinpath("data/instruments.yaml").read_text()
    raw = yaml.safe_load(text)["instruments"]
    return {
        key: LedgerInstrument(
            id=key,
            title=str(info["title"]),
            depositary=info.get("depositary"),
            untc_mtdsg=info.get("untc_mtdsg"),
            adopted=info.get("adopted"),
            opened_for_signature=info.get("opened_for_signature"),
            signature_closes=info.get("signature_closes"),
            rule=_rule(info.get("entry_into_force")),
        )
        for key, info in raw.items()
    }


def for_mtdsg(
    number: str, title: str | None = None, adopted: dt.date | None = None
) -> LedgerInstrument:
    """The instrument a UNTC status file describes (``XVIII-16`` → ``uncc``)."""
    for item in tracked_instruments().values():
        if item.untc_mtdsg == number:
            return item
    return LedgerInstrument(
        id=f"untc-{number}",
        title=title or f"UN Treaty Collection {number}",
        untc_mtdsg=number,
        adopted=adopted,
        tracked=False,
    )


def get(instrument_id: str) -> LedgerInstrument:
    """Validate an instrument id: a tracked one or ``untc-<MTDSG number>``."""
    key = instrument_id.strip()
    known = tracked_instruments()
    if key.lower() in known:
        return known[key.lower()]
    match = UNTC_ID.match(key)
    if match and MTDSG_NUMBER.match(match.group("mtdsg")):
        return for_mtdsg(match.group("mtdsg"))
    suggestions = close_matches(key, [(k, k) for k in known])
    raise UnknownInstrumentError(
        f"unknown instrument {instrument_id!r}",
        hint=(f"did you mean: {', '.join(suggestions)}? " if suggestions else "")
        + f"the ledger tracks {', '.join(known)}; other UN treaties are "
        "untc-<MTDSG number>, e.g. untc-XVIII-12",
    )
