"""Jurisdictions: the UN membership data, names in six languages, alias matching."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import SHARED
from treatywatch.ledger.jurisdictions import (
    UnknownJurisdictionError,
    _index,
    ensure_jurisdiction,
    known_jurisdictions,
    load_jurisdictions,
    lookup,
    match,
    resolve,
)
from treatywatch.ledger.names import clean_name, normalise
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, JurisdictionRow

COUNTRY_CODES = SHARED / "data" / "country-codes" / "data" / "country-codes.csv"
needs_country_codes = pytest.mark.skipif(
    not COUNTRY_CODES.exists(), reason="../shared/data/country-codes not available"
)


def test_kinds_and_counts() -> None:
    kinds = Counter(j.kind for j in known_jurisdictions())
    assert kinds == {"member": 193, "observer": 2, "reio": 1, "other": 2}
    observers = {j.code for j in known_jurisdictions(["observer"])}
    assert observers == {"VAT", "PSE"}
    eu = lookup("euu")
    assert eu.kind == "reio" and eu.alpha2 is None and eu.is_reio
    assert eu.names["fr"] == "Union européenne"


def test_every_member_has_names_in_the_six_un_languages() -> None:
    for item in known_jurisdictions(["member", "observer", "reio"]):
        assert set(item.names) == {"ar", "zh", "en", "fr", "ru", "es"}, item.code


def test_observer_state_uses_un_names_not_cldr_territory_names() -> None:
    palestine = lookup("PSE")
    assert palestine.name == "State of Palestine"
    assert palestine.names["fr"] == "État de Palestine"
    assert palestine.names["en"] == "State of Palestine"


@needs_country_codes
def test_membership_matches_unterm() -> None:
    """UNTERM lists members plainly, observers with '*' and other States with '**'."""
    with COUNTRY_CODES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    members, observers, others = set(), set(), set()
    for row in rows:
        short, code = row["UNTERM English Short"], row["ISO3166-1-Alpha-3"]
        if code in ("TUR", "CIV"):  # empty UNTERM names upstream (see PROVENANCE)
            members.add(code)
        elif short.endswith("**"):
            others.add(code)
        elif short.endswith("*"):
            observers.add(code)
        elif short:
            members.add(code)
    assert {j.code for j in known_jurisdictions(["member"])} == members
    assert {j.code for j in known_jurisdictions(["observer"])} == observers
    assert {j.code for j in known_jurisdictions(["other"])} == others


@needs_country_codes
def test_every_unterm_name_matches_its_state() -> None:
    with COUNTRY_CODES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    checked = 0
    for row in rows:
        for column in ("UNTERM English Short", "official_name_en"):
            name = row[column]
            listed = row["UNTERM English Short"] or row["ISO3166-1-Alpha-3"] in ("TUR", "CIV")
            if not name or not listed:
                continue
            found = match(name)
            assert found is not None and found.code == row["ISO3166-1-Alpha-3"], (column, name)
            checked += 1
    assert checked > 380


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Iran (Islamic Republic of)", "IRN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Russian Federation", "RUS"),
        ("Syrian Arab Republic", "SYR"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Republic of Moldova", "MDA"),
        ("United Republic of Tanzania", "TZA"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Eswatini", "SWZ"),
        ("Swaziland", "SWZ"),
        ("North Macedonia", "MKD"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Cabo Verde", "CPV"),
        ("Cape Verde", "CPV"),
        ("Timor-Leste", "TLS"),
        ("Congo", "COG"),
        ("Democratic Republic of the Congo", "COD"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Netherlands", "NLD"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("Holy See (the) *", "VAT"),
        ("European Union", "EUU"),
        ("Antigua & Barbuda", "ATG"),
        ("St. Vincent & Grenadines", "VCT"),
        ("Germany<superscript>6,7</superscript>", "DEU"),
        ("Gambia (the)", "GMB"),
        ("KEN", "KEN"),
        ("KE", "KEN"),
    ],
)
def test_un_style_names_and_aliases_match(name: str, code: str) -> None:
    found = match(name)
    assert found is not None and found.code == code


def test_normalisation_rules() -> None:
    assert normalise("Côte d’Ivoire (the)³") == "cote divoire"
    assert normalise("Netherlands<superscript>1</superscript>") == "netherlands"
    assert normalise("St. Kitts & Nevis") == "saint kitts and nevis"
    assert normalise("  GUINEA-BISSAU 12 ") == "guinea bissau"
    assert clean_name("Germany<superscript>6,7</superscript>") == "Germany"


def test_names_are_never_guessed() -> None:
    assert match("Kenia Republik") is None
    assert match("Congo Republic Democratic") is None
    assert match("") is None
    with pytest.raises(UnknownJurisdictionError) as err:
        resolve("Kenia Republik")
    assert "Kenya (KEN)" in err.value.suggestions
    assert "did you mean" in (err.value.hint or "")


def test_no_name_is_shared_by_two_states() -> None:
    assert _index().ambiguous == {}


def test_lookup_keeps_working_for_codes() -> None:
    assert lookup("ken").name == "Kenya"
    assert lookup("HKG").kind == "other"  # ISO territories stay valid for law ingestion
    with pytest.raises(UnknownJurisdictionError) as err:
        lookup("KEY")
    assert err.value.suggestions


def test_load_is_idempotent_and_audited(store_url: str) -> None:
    from treatywatch.store import init_store

    init_store(store_url)
    with session_scope(store_url) as session:
        first = load_jurisdictions(session)
    with session_scope(store_url) as session:
        second = load_jurisdictions(session)
        rows = session.scalar(select(func.count()).select_from(JurisdictionRow))
        audits = session.scalar(
            select(func.count())
            .select_from(AuditLogRow)
            .where(AuditLogRow.action == "jurisdictions.load")
        )
        kenya = session.get(JurisdictionRow, "KEN")
        assert kenya is not None and kenya.names["zh"] == "肯尼亚"
    assert (first.created, first.unchanged) == (198, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 198)
    assert rows == 198 and audits == 1


def test_ensure_jurisdiction_creates_rows_with_names(initialised: str) -> None:
    with session_scope(initialised) as session:
        row = ensure_jurisdiction(session, "vnm")
        assert row.code == "VNM" and row.name == "Viet Nam" and "Vietnam" in row.aliases
        assert ensure_jurisdiction(session, "VNM") is row
    with pytest.raises(UnknownJurisdictionError), session_scope(initialised) as session:
        ensure_jurisdiction(session, "XXX")


def test_cli_lists_and_shows(cli: Any) -> None:
    members = cli("jurisdictions", "list", "--kind", "member", "--json")
    assert members.code == 0 and len(members.json()) == 193
    everyone = cli("ledger", "states", "--format", "csv")
    assert everyone.out.count("\n") == 199  # header + 198
    shown = cli("jurisdictions", "show", "Iran (Islamic Republic of)", "--json").json()
    assert shown["code"] == "IRN" and shown["names"]["ar"]
    bad = cli("jurisdictions", "show", "Kenia Republik", "--json")
    assert bad.code == 2 and "Kenya (KEN)" in bad.json()["hint"]
    wrong_kind = cli("jurisdictions", "list", "--kind", "empire")
    assert wrong_kind.code == 2 and "member" in wrong_kind.err
