"""Full-text search over the catalogue ranks the right articles first."""

from __future__ import annotations

import contextlib

import pytest

from treatywatch.store import session_scope
from treatywatch.store.search_index import SearchQueryError, search


def ids(url: str, query: str, **kw: object) -> list[str]:
    with session_scope(url) as s:
        return [h.entity_id for h in search(s, query, **kw)]  # type: ignore[arg-type]


def test_real_time_traffic_data_ranks_the_powers_first(initialised: str) -> None:
    assert set(ids(initialised, "real-time traffic data")[:2]) == {"uncc/art-29", "budapest/art-20"}


def test_interception(initialised: str) -> None:
    top = ids(initialised, "interception of content data")[:2]
    assert set(top) == {"uncc/art-30", "budapest/art-21"}


def test_illegal_access_and_extradition(initialised: str) -> None:
    assert set(ids(initialised, "illegal access")[:2]) == {"uncc/art-7", "budapest/art-2"}
    assert ids(initialised, "extradition", scope="uncc")[0] == "uncc/art-37"


def test_multilingual_keywords_without_accents(initialised: str) -> None:
    assert "uncc/art-7" in ids(initialised, "acces frauduleux")[:3]
    assert set(ids(initialised, "acceso ilícito")[:2]) == {"uncc/art-7", "budapest/art-2"}
    assert "uncc/art-30" in ids(initialised, "прослушивание")[:3]
    assert ids(initialised, "الدخول غير المشروع")[0] in {"uncc/art-7", "budapest/art-2"}


def test_single_word_finds_offence_and_power(initialised: str) -> None:
    top = ids(initialised, "interception")[:5]
    assert {"uncc/art-8", "uncc/art-30", "budapest/art-3", "budapest/art-21"} <= set(top)


def test_snippets_mark_matches(initialised: str) -> None:
    with session_scope(initialised) as s:
        hit = search(s, "preservation", limit=1)[0]
    assert hit.snippet and hit.score > 0


def test_falls_back_to_any_word(initialised: str) -> None:
    assert ids(initialised, "interception zzzunknownword")


@pytest.mark.parametrize(
    "hostile",
    ['"', "NOT", "*", "data OR", "a:b", "'); DROP TABLE articles; --", "NEAR(x y)", "^\\%_"],
)
def test_hostile_queries_never_crash(initialised: str, hostile: str) -> None:
    with contextlib.suppress(SearchQueryError):
        ids(initialised, hostile)
    assert ids(initialised, "interception")  # store intact


def test_empty_and_huge_queries_rejected(initialised: str) -> None:
    with pytest.raises(SearchQueryError):
        ids(initialised, "  ")
    with pytest.raises(SearchQueryError):
        ids(initialised, "x" * 5000)


def test_gag_orders_find_the_confidentiality_duties(initialised: str) -> None:
    assert {"uncc/art-29", "uncc/art-30"} <= set(ids(initialised, "gag order")[:3])


def test_python_api_search(initialised: str) -> None:
    import treatywatch

    records = treatywatch.search("production order", instrument="uncc", url=initialised)
    assert records[0]["entity_id"] == "uncc/art-27"
    assert {"entity_id", "title", "snippet", "score"} <= set(records[0])
