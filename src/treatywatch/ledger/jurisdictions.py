"""Jurisdictions (States and the EU) keyed by ISO 3166-1 alpha-3.

Codes, numeric codes and English names come from the maintained
``iso3166`` package; names in the other UN languages come from CLDR through
Babel. What no library knows is written as data in ``data/jurisdictions.yaml``:
which codes are UN Member States (193), observer States (Holy See, State of
Palestine) or other treaty-making States (Cook Islands, Niue), the UN short
names where ISO orders them differently, and the aliases that status lists
and vote records use. ``EUU`` is the European Union, a regional economic
integration organization that ISO 3166-1 does not list.

Other stages call :func:`ensure_jurisdiction` to validate a code and make
sure its row exists; importers call :func:`resolve` to turn a participant
name into a jurisdiction (exact match on a normalised name, never a guess:
a name that does not match raises with close matches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import iso3166
import yaml
from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.errors import UnknownNameError
from treatywatch.ledger.names import clean_name, normalise
from treatywatch.store.models import JurisdictionRow
from treatywatch.suggest import close_matches

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
EU_CODE = "EUU"
KINDS = ("member", "observer", "reio", "other")


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    alpha2: str | None
    numeric: str | None
    name: str
    kind: str = "member"
    names: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    official_name: str | None = None

    @property
    def is_reio(self) -> bool:
        return self.kind == "reio"

    def record(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "alpha2": self.alpha2,
            "numeric": self.numeric,
            "name": self.name,
            "iso_name": self.official_name,
            "kind": self.kind,
            "names": dict(self.names),
            "aliases": list(self.aliases),
        }


class UnknownJurisdictionError(UnknownNameError):
    """A country code or name that matches no jurisdiction."""

    kind = "country"
    fallback_hint = "use an ISO 3166-1 alpha-3 code such as KEN, or EUU for the European Union"


@dataclass(frozen=True)
class _Data:
    kinds: dict[str, str]
    un_names: dict[str, str]
    name_overrides: dict[str, dict[str, str]]
    aliases: dict[str, list[str]]
    reio: dict[str, dict[str, Any]]
    fictional: dict[str, str]


@lru_cache(maxsize=1)
def _data() -> _Data:
    text = resources.files("treatywatch.ledger").joinpath("data/jurisdictions.yaml").read_text()
    raw = yaml.safe_load(text)
    kinds: dict[str, str] = {}
    for kind, key in (("member", "members"), ("observer", "observers"), ("other", "other")):
        for code in raw[key]:
            kinds[str(code)] = kind
    reio = {str(k): dict(v) for k, v in raw["reio"].items()}
    for code in reio:
        kinds[code] = "reio"
    return _Data(
        kinds=kinds,
        un_names={str(k): str(v) for k, v in raw["un_names"].items()},
        name_overrides={str(k): dict(v) for k, v in raw["name_overrides"].items()},
        aliases={str(k): [str(a) for a in v] for k, v in raw["aliases"].items()},
        reio=reio,
        fictional={str(k): str(v) for k, v in raw.get("fictional", {}).items()},
    )


def _localised_names(alpha2: str) -> dict[str, str]:
    names = {}
    for lang in UN_LANGUAGES:
        name = Locale(lang).territories.get(alpha2)
        if name:
            names[lang] = name
    return names


@lru_cache(maxsize=512)
def _build(code: str) -> Jurisdiction | None:
    data = _data()
    if code in data.reio:
        info = data.reio[code]
        return Jurisdiction(
            code,
            None,
            None,
            str(info["name"]),
            kind="reio",
            names=_localised_names(str(info["cldr"])),
            aliases=tuple(str(a) for a in info.get("aliases", [])),
        )
    if code in data.fictional:
        # Sample-law States: usable as --country, never counted as real States.
        name = data.fictional[code]
        return Jurisdiction(code, None, None, name, kind="other", names={"en": name})
    country = iso3166.countries_by_alpha3.get(code)
    if country is None:
        return None
    names = _localised_names(country.alpha2) | data.name_overrides.get(code, {})
    name = data.un_names.get(code, country.name)
    return Jurisdiction(
        country.alpha3,
        country.alpha2,
        country.numeric,
        name,
        kind=data.kinds.get(code, "other"),
        names=names,
        aliases=tuple(data.aliases.get(code, [])),
        official_name=country.name,
    )


def known_jurisdictions(kinds: Iterable[str] | None = None) -> list[Jurisdiction]:
    """Every jurisdiction the ledger tracks (UN members, observers, other States, EU)."""
    wanted = set(kinds) if kinds else set(KINDS)
    out = []
    for code in _data().kinds:
        item = _build(code)
        if item is not None and item.kind in wanted:
            out.append(item)
    return sorted(out, key=lambda j: normalise(j.name))


@dataclass(frozen=True)
class _NameIndex:
    keys: dict[str, str]
    ambiguous: dict[str, frozenset[str]]
    labels: list[tuple[str, str]]


@lru_cache(maxsize=1)
def _index() -> _NameIndex:
    """Normalised name → code. Data aliases and UN/ISO names win over CLDR names.

    A key that two jurisdictions share (only possible among CLDR names in
    other languages) is kept out of the index and reported as ambiguous.
    """
    keys: dict[str, str] = {}
    ambiguous: dict[str, set[str]] = {}
    labels: list[tuple[str, str]] = []
    cldr: list[tuple[str, str]] = []
    for item in known_jurisdictions():
        primary = [item.name, *item.aliases]
        if item.official_name:
            country = iso3166.countries_by_alpha3[item.code]
            primary += [item.official_name, country.apolitical_name]
        for text in primary:
            key = normalise(text)
            if key in keys and keys[key] != item.code:
                ambiguous.setdefault(key, {keys[key]}).add(item.code)
            keys.setdefault(key, item.code)
            labels.append((clean_name(text), item.code))
        cldr += [(name, item.code) for name in item.names.values()]
    primary_keys = set(keys)
    for text, code in cldr:
        key = normalise(text)
        if key in primary_keys:
            continue  # the UN/ISO name or a data alias already decides this key
        if key in keys and keys[key] != code:
            ambiguous.setdefault(key, {keys[key]}).add(code)
            continue
        if key not in keys:
            keys[key] = code
            labels.append((text, code))
    for key in ambiguous:
        keys.pop(key, None)
    return _NameIndex(keys, {k: frozenset(v) for k, v in ambiguous.items()}, labels)


def _suggest(text: str) -> list[str]:
    index = _index()
    found = close_matches(text, index.labels, limit=3)
    return [f"{_build(code).name} ({code})" for code in found if _build(code) is not None]  # type: ignore[union-attr]


def lookup(code: str) -> Jurisdiction:
    """The jurisdiction for an alpha-3 code (case-insensitive), or raise with suggestions."""
    key = code.strip().upper()
    item = _build(key) if len(key) == 3 else None
    if item is None:
        choices = [(c.alpha3, c.alpha3) for c in iso3166.countries]
        choices += [(c.name, c.alpha3) for c in iso3166.countries]
        choices += [(EU_CODE, EU_CODE), ("European Union", EU_CODE)]
        raise UnknownJurisdictionError(code, close_matches(code, choices))
    return item


def match(text: str) -> Jurisdiction | None:
    """The jurisdiction a participant name or code denotes, or None (never a fuzzy guess)."""
    raw = clean_name(text)
    if not raw:
        return None
    if len(raw) == 3 and raw.isalpha() and raw.upper() == raw:
        item = _build(raw)
        if item is not None:
            return item
    if len(raw) == 2 and raw.isalpha() and raw.upper() == raw:
        country = iso3166.countries_by_alpha2.get(raw)
        if country is not None:
            return _build(country.alpha3)
    code = _index().keys.get(normalise(raw))
    return _build(code) if code else None


def resolve(text: str) -> Jurisdiction:
    """Like :func:`match` but raises :class:`UnknownJurisdictionError` with close matches."""
    found = match(text)
    if found is None:
        key = normalise(text)
        if key in _index().ambiguous:
            options = sorted(_index().ambiguous[key])
            raise UnknownJurisdictionError(text, [f"{_build(c).name} ({c})" for c in options])  # type: ignore[union-attr]
        raise UnknownJurisdictionError(text, _suggest(text))
    return found


def from_alpha2(alpha2: str) -> Jurisdiction | None:
    country = iso3166.countries_by_alpha2.get(alpha2.strip().upper())
    return _build(country.alpha3) if country else None


def _row_values(item: Jurisdiction) -> dict[str, Any]:
    return {
        "alpha2": item.alpha2,
        "numeric": item.numeric,
        "name": item.name,
        "official_name": item.official_name,
        "kind": item.kind,
        "names": dict(item.names),
        "aliases": list(item.aliases),
    }


def _upsert(session: Session, item: Jurisdiction, row: JurisdictionRow | None) -> str:
    values = _row_values(item)
    if row is None:
        session.add(JurisdictionRow(code=item.code, **values))
        return "created"
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return "updated" if changed else "unchanged"


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def load_jurisdictions(session: Session, *, actor: str = "treatywatch") -> LoadReport:
    """Create or refresh every tracked jurisdiction's row (idempotent, audit-logged)."""
    existing = {row.code: row for row in session.scalars(select(JurisdictionRow))}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changed = []
    for item in known_jurisdictions():
        action = _upsert(session, item, existing.get(item.code))
        counts[action] += 1
        if action != "unchanged":
            changed.append(item.code)
    session.flush()
    report = LoadReport(**counts)
    if changed:
        audit.record(
            session,
            actor=actor,
            action="jurisdictions.load",
            entity_type="jurisdictions",
            entity_id="all",
            after={"created": report.created, "updated": report.updated, "codes": changed},
        )
    return report


def ensure_jurisdiction(session: Session, code: str) -> JurisdictionRow:
    """Validate ``code`` and return its row, creating it on first use."""
    info = lookup(code)
    row = session.get(JurisdictionRow, info.code)
    if row is None:
        # keep our own reference: the session holds clean rows only weakly, and
        # looking the row up again after the flush would cost a SELECT
        row = JurisdictionRow(code=info.code, **_row_values(info))
        session.add(row)
        session.flush()
    return row
