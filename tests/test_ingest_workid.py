"""Work ids, version refs and provision paths: parse/format round trips and derivation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.workid import (
    InvalidIdError,
    ProvisionPath,
    ProvisionRef,
    VersionRef,
    WorkId,
    derive_work_id,
    slugify,
)

countries = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=3)
doctypes = st.sampled_from(["act", "code", "decree", "ordinance", "treaty", "loi-organique"])
numbers = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,30}\Z")
works = st.builds(WorkId, countries, doctypes, st.integers(1600, 2099), numbers)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
steps = st.from_regex(r"\A(?:(?:sec|art|part|chap)-)?[0-9A-Za-z]{1,6}\Z")
paths = st.lists(steps, min_size=1, max_size=5).map(lambda s: ProvisionPath(tuple(s)))


@given(works)
def test_work_id_round_trip(work: WorkId) -> None:
    assert WorkId.parse(str(work)) == work


@given(works, st.one_of(st.none(), dates))
def test_version_ref_round_trip(work: WorkId, date: dt.date | None) -> None:
    ref = VersionRef(work, date)
    assert VersionRef.parse(str(ref)) == ref


@given(paths)
def test_provision_path_round_trip(path: ProvisionPath) -> None:
    assert ProvisionPath.parse(str(path)) == path
    assert str(path.top) == path.steps[0]


@given(works, dates, paths)
def test_provision_ref_round_trip(work: WorkId, date: dt.date, path: ProvisionPath) -> None:
    ref = ProvisionRef(VersionRef(work, date), path)
    assert ProvisionRef.parse(str(ref)) == ref


@given(st.text(max_size=60))
def test_parsers_raise_only_invalid_id(text: str) -> None:
    for parser in (WorkId.parse, VersionRef.parse, ProvisionPath.parse, ProvisionRef.parse):
        try:
            parsed = parser(text)
        except InvalidIdError as err:
            assert repr(text) in err.message
            assert err.hint and "expected e.g." in err.hint
            continue
        assert type(parsed).parse(str(parsed)) == parsed  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ken",
        "ken/act/2018",
        "kenya/act/2018/5",
        "ken/act/18/5",
        "ken/act/2018/5@2024-3-1",
        "ken/act/2018/5@2024-02-30",
        "ken/act/2018/ 5",
    ],
)
def test_rejects_malformed_ids(text: str) -> None:
    with pytest.raises(InvalidIdError):
        VersionRef.parse(text)


def test_parse_normalises_case() -> None:
    assert str(VersionRef.parse("KEN/Act/2018/5A@2024-03-01")) == "ken/act/2018/5a@2024-03-01"


def test_akn_uri_uses_the_two_letter_code() -> None:
    assert WorkId.parse("ken/act/2018/5").akn_uri("KE") == "/akn/ke/act/2018/5"


@pytest.mark.parametrize(
    ("title", "given", "expected"),
    [
        ("Kenya Act No. 5 of 2018", None, "ken/act/2018/5"),
        (
            "Computer Misuse and Cybercrimes Act, 2018",
            None,
            "ken/act/2018/computer-misuse-and-cybercrimes-act",
        ),
        ("Loi n° 2008-11 du 25 janvier 2008 sur la cybercriminalité", None, "ken/act/2008/2008-11"),
        ("Computer Misuse and Cybercrimes Act, 2018", "cmca", "ken/act/2018/cmca"),
        (None, "ken/act/2018/5", "ken/act/2018/5"),
        (None, "5", "ken/act/2024/5"),
    ],
)
def test_derive_work_id(title: str | None, given: str | None, expected: str) -> None:
    work = derive_work_id("KEN", given=given, title=title, date=dt.date(2024, 3, 1))
    assert str(work) == expected


def test_derive_refuses_an_id_of_another_country() -> None:
    with pytest.raises(TreatywatchError) as err:
        derive_work_id("KEN", given="pak/act/2016/40", title=None, date=None)
    assert "PAK" in err.value.message and err.value.hint


def test_slugify_is_ascii_and_bounded() -> None:
    assert slugify("Loi n° 2025-17 relative à la cybercriminalité") == (
        "loi-n-2025-17-relative-a-la-cybercriminalite"
    )
    assert len(slugify("word " * 100)) <= 60
