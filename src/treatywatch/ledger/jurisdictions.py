"""Jurisdictions (States and the EU) keyed by ISO 3166-1 alpha-3.

Codes and English names come from the maintained ``iso3166`` package;
names in the other UN languages come from CLDR through Babel. ``EUU`` is
the European Union (a regional economic integration organization), which
ISO 3166-1 does not list. Other stages call :func:`ensure_jurisdiction` to
validate a user-supplied code and make sure its row exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import iso3166
from babel import Locale
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError
from treatywatch.store.models import JurisdictionRow
from treatywatch.suggest import close_matches

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
EU_CODE = "EUU"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    alpha2: str | None
    numeric: str | None
    name: str
    kind: str = "member"
    names: dict[str, str] = field(default_factory=dict)


class UnknownJurisdictionError(TreatywatchError):
    """A country code or name that matches no jurisdiction."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = (
            f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else "use an ISO 3166-1 alpha-3 code such as KEN, or EUU for the European Union"
        )
        super().__init__(f"unknown country {text!r}", hint=hint)
        self.suggestions = suggestions


def _localised_names(alpha2: str) -> dict[str, str]:
    names = {}
    for lang in UN_LANGUAGES:
        name = Locale(lang).territories.get(alpha2)
        if name:
            names[lang] = name
    return names


def lookup(code: str) -> Jurisdiction:
    """The jurisdiction for an alpha-3 code (case-insensitive), or raise with suggestions."""
    key = code.strip().upper()
    if key == EU_CODE:
        return Jurisdiction(
            EU_CODE, None, None, "European Union", kind="reio", names=_localised_names("EU")
        )
    country = iso3166.countries_by_alpha3.get(key)
    if country is None:
        choices = [(c.alpha3, c.alpha3) for c in iso3166.countries]
        choices += [(c.name, c.alpha3) for c in iso3166.countries]
        raise UnknownJurisdictionError(code, close_matches(code, choices))
    return Jurisdiction(
        country.alpha3,
        country.alpha2,
        country.numeric,
        country.apolitical_name,
        names=_localised_names(country.alpha2),
    )


def ensure_jurisdiction(session: Session, code: str) -> JurisdictionRow:
    """Validate ``code`` and return its row, creating it on first use."""
    info = lookup(code)
    row = session.get(JurisdictionRow, info.code)
    if row is None:
        row = JurisdictionRow(
            code=info.code,
            alpha2=info.alpha2,
            numeric=info.numeric,
            name=info.name,
            kind=info.kind,
            names=info.names,
            aliases=[],
        )
        session.add(row)
        session.flush()
    return row
