"""Building blocks of the API without a store: cursors, ETag matching, file names, errors."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatywatch.ingest.documents import UnknownDocumentError
from treatywatch.store.search_index import SearchQueryError
from treatywatch.web.api.errors import InvalidParameterError, status_for
from treatywatch.web.api.etags import etag_for, matches
from treatywatch.web.api.pagination import Cursor, list_page
from treatywatch.web.api.uploads import safe_filename

scalars = st.one_of(
    st.text(max_size=30), st.integers(-(2**53), 2**53), st.dates(), st.datetimes(), st.none()
)


@given(
    sort=st.sampled_from(["id", "-score", "date"]), key=st.lists(scalars, min_size=1, max_size=3)
)
def test_cursor_round_trips(sort: str, key: list[object]) -> None:
    cursor = Cursor(sort, tuple(key))
    assert Cursor.decode(cursor.encode(), sort, len(key)) == cursor


@given(st.text(max_size=80))
def test_any_text_is_a_cursor_or_a_422(text: str) -> None:
    """Garbage never escapes as anything but the typed 422 error."""
    with contextlib.suppress(InvalidParameterError):
        Cursor.decode(text, "id", 2)


def test_a_cursor_belongs_to_its_sort() -> None:
    encoded = Cursor("id", (1, 1)).encode()
    with pytest.raises(InvalidParameterError):
        Cursor.decode(encoded, "-id", 2)


@given(st.lists(st.integers(0, 50), max_size=40, unique=True), st.integers(1, 7), st.booleans())
def test_list_pages_cover_everything_once(values: list[int], limit: int, descending: bool) -> None:
    sort = "-n" if descending else "n"
    seen: list[int] = []
    cursor = None
    while True:
        page = list_page(values, sort=sort, keys={"n": lambda v: (v,)}, cursor=cursor, limit=limit)
        seen.extend(page.items)
        assert page.count == len(values)
        if page.next is None:
            break
        cursor = page.next
    assert seen == sorted(values, reverse=descending)


def test_etag_matching() -> None:
    tag = etag_for(b"{}")
    assert matches(tag, tag) and matches(tag.removeprefix("W/"), tag)
    assert matches(f'W/"x", {tag}', tag) and matches("*", tag)
    assert not matches(None, tag) and not matches('W/"x"', tag)
    assert etag_for(b"{}") != etag_for(b"[]")


@pytest.mark.parametrize(
    ("given_name", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("/abs/path/Loi n°17 (2025).pdf", "Loi-n17-2025.pdf"),
        ("law.docx", "law.docx"),
        ("..", None),
        ("", None),
        ("/", None),
        (".htaccess", "htaccess"),
        ("a" * 500 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_safe_filename(given_name: str, stored: str | None) -> None:
    if stored is None:
        with pytest.raises(InvalidParameterError):
            safe_filename(given_name)
    else:
        assert safe_filename(given_name) == stored


@given(st.text(max_size=200))
def test_safe_filename_never_has_directories(name: str) -> None:
    try:
        result = safe_filename(name)
    except InvalidParameterError:
        return
    assert "/" not in result and "\\" not in result and not result.startswith(".")
    assert result not in ("", ".", "..") and len(result) <= 100


def test_domain_errors_map_to_statuses() -> None:
    assert status_for(UnknownDocumentError("no stored document 'x'")) == 404
    assert status_for(SearchQueryError("empty")) == 422
    assert status_for(InvalidParameterError("bad")) == 422
    assert dt.date.today()  # the module imports datetime for the strategies above
