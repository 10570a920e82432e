"""Cached pages: fast when nothing changed, never stale when something did.

Article, provision, law and country pages are kept in memory per worker
and checked against the store's change stamps on every request. These
tests change the data behind a page in every way a deployment does — a
review through the API, a write by another program straight into the
store — and check the next response shows it; and they check what must
never be shared between visitors (names, form tokens) is not.
"""

from __future__ import annotations

import gc
import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow
from treatywatch.web.ui.pagecache import BuiltPage, KeptPage, PageCache
from treatywatch.web.ui.refresh import PageRefresher
from web_api_store import LAW, TOKENS, Store, api_app, build_store, client

API = "/api/v1"


@pytest.fixture
def store(store_url: str) -> Store:
    return build_store(store_url)


def _first_suggested(store: Store) -> dict[str, object]:
    body = client(store.url).get(f"{API}/alignments", params={"status": "suggested", "limit": 1})
    item: dict[str, object] = body.json()["items"][0]
    return item


def _provision_url(ref: str) -> str:
    version, _, path = ref.partition("#")
    return f"/documents/{version}/provisions/{path}"


def _status_on_page(page: dict[str, object], alignment_id: object) -> object:
    links = page["alignments"]
    assert isinstance(links, list)
    return next(a["status"] for a in links if a["id"] == alignment_id)


def test_a_page_is_reused_until_a_review_changes_it(store: Store) -> None:
    anonymous = TestClient(api_app(store.url))
    link = _first_suggested(store)
    url = _provision_url(str(link["provision"])) + "?format=json"
    cache = anonymous.app.state  # type: ignore[attr-defined]

    first = anonymous.get(url)
    again = anonymous.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert cache.page_cache.hits >= 1
    assert _status_on_page(first.json(), link["id"]) == "suggested"

    accepted = client(store.url, "analyst").post(f"{API}/alignments/{link['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    after = anonymous.get(url)
    assert _status_on_page(after.json(), link["id"]) == "accepted"
    assert after.headers["etag"] != first.headers["etag"]


def test_a_write_by_another_program_is_seen_on_every_page_it_touches(store: Store) -> None:
    anonymous = TestClient(api_app(store.url))
    link = _first_suggested(store)
    pages = {
        "provision": _provision_url(str(link["provision"])) + "?format=json",
        "article": f"/articles/{link['article']}?format=json",
        "country": f"/countries/{LAW.country}?format=json",
    }
    before = {name: anonymous.get(url) for name, url in pages.items()}
    assert all(r.status_code == 200 for r in before.values())
    # A script (or `treatywatch review` in another process) writes straight into the store.
    with session_scope(store.url) as session:
        session.execute(
            update(AlignmentRow).where(AlignmentRow.id == link["id"]).values(status="rejected")
        )
    after = {name: anonymous.get(url) for name, url in pages.items()}
    assert _status_on_page(after["provision"].json(), link["id"]) == "rejected"
    listed = {i["alignment_id"] for i in after["article"].json()["implementations"]}
    assert link["id"] not in listed  # rejected links are not shown as implementations
    for name in pages:
        assert after[name].headers["etag"] != before[name].headers["etag"], name


def test_revalidation_answers_304_until_the_page_changes(store: Store) -> None:
    anonymous = TestClient(api_app(store.url))
    url = f"/countries/{LAW.country}"
    first = anonymous.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    unchanged = anonymous.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    link = _first_suggested(store)
    client(store.url, "analyst").post(f"{API}/alignments/{link['id']}/reject", json={})
    changed = anonymous.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_shared_copies_hold_nothing_personal(store: Store) -> None:
    app = api_app(store.url)
    anonymous = TestClient(app)
    link = _first_suggested(store)
    url = _provision_url(str(link["provision"]))
    public = anonymous.get(url)
    assert public.status_code == 200
    assert "set-cookie" not in public.headers  # reading starts no session
    assert not re.search(r'name="csrf_token" value="[^"]+"', public.text)
    assert "analyst-user" not in public.text

    analyst = TestClient(app, headers={"Authorization": f"Bearer {TOKENS['analyst']}"})
    personal = analyst.get(url)
    assert personal.status_code == 200
    assert "analyst-user" in personal.text  # rendered for them, not the anonymous copy
    assert personal.headers["etag"] != public.headers["etag"]
    assert anonymous.get(url).text == public.text  # and their copy did not leak back


def test_the_cache_changes_speed_not_content(store: Store) -> None:
    link = _first_suggested(store)
    urls = [
        _provision_url(str(link["provision"])),
        f"/articles/{link['article']}",
        f"/countries/{LAW.country}",
        f"/documents/{str(link['provision']).partition('#')[0]}",
    ]
    cached = TestClient(api_app(store.url))
    plain = TestClient(api_app(store.url, page_cache_bytes=0))
    for url in urls:
        for suffix in ("", "?format=json"):
            warm = [cached.get(url + suffix) for _ in range(2)][-1]
            cold = plain.get(url + suffix)
            assert warm.status_code == cold.status_code == 200, url
            assert warm.content == cold.content, url + suffix
    assert plain.app.state.page_cache.hits == 0  # type: ignore[attr-defined]


def test_unknown_pages_are_404_and_not_kept(store: Store) -> None:
    anonymous = TestClient(api_app(store.url))
    version = _first_suggested(store)["provision"]
    missing = f"/documents/{str(version).partition('#')[0]}/provisions/sec-999"
    for _ in range(2):
        assert anonymous.get(missing).status_code == 404
    assert anonymous.app.state.page_cache.hits == 0  # type: ignore[attr-defined]


def test_the_cache_stays_within_its_byte_bound() -> None:
    cache = PageCache(max_bytes=10_000)
    for n in range(20):
        key = f"page-{n}"
        entry = KeptPage.of("t", BuiltPage("ui/x.html.j2", {}, "x"))
        cache.put(key, entry)
        cache.add_body(key, entry, "html", b"x" * 1_000)
    assert cache._bytes <= 10_000
    assert cache.get("page-19", "t") is not None  # the newest stay
    assert cache.get("page-0", "t") is None  # the oldest went first
    assert cache.get("page-19", "other-stamp") is None  # a new stamp is a miss


def test_workers_load_long_lived_data_at_start_and_hide_it_from_the_gc(store: Store) -> None:
    app = api_app(store.url)
    try:
        with TestClient(app) as started:  # runs the lifespan, as uvicorn does per worker
            assert started.get("/health").status_code == 200
            assert app.state.frozen_objects > 10_000
            assert gc.get_freeze_count() > 10_000  # (a few frozen objects may since be freed)
    finally:
        gc.unfreeze()


def _hits_and_misses(app: object) -> tuple[int, int]:
    cache = app.state.page_cache  # type: ignore[attr-defined]
    return cache.hits, cache.misses


def test_the_refresher_builds_country_and_article_pages_before_anyone_asks(
    store: Store,
) -> None:
    app = api_app(store.url)
    refresher = PageRefresher(app, interval=3600)  # driven by hand: no timing in the test
    assert refresher.prefetch() >= 2  # at least the sample country and one article
    anonymous = TestClient(app)
    before = _hits_and_misses(app)
    assert anonymous.get(f"/countries/{LAW.country}").status_code == 200
    assert anonymous.get("/articles/uncc/art-7").status_code == 200
    hits, misses = _hits_and_misses(app)
    assert (hits - before[0], misses - before[1]) == (2, 0)
    assert TestClient(app).get("/health/ready").status_code == 200  # no refresher: ready


def test_the_refresher_rebuilds_a_changed_page_so_the_next_reader_gets_it_ready(
    store: Store,
) -> None:
    app = api_app(store.url)
    refresher = PageRefresher(app, interval=3600)
    anonymous = TestClient(app)
    link = _first_suggested(store)
    url = _provision_url(str(link["provision"]))
    for _ in range(2):  # read twice: pages read only once are left to be rebuilt on demand
        assert anonymous.get(url + "?format=json").status_code == 200
        assert anonymous.get(url).status_code == 200
    assert refresher.cycle() == 0  # nothing changed yet
    with session_scope(store.url) as session:  # another program reviews the link
        session.execute(
            update(AlignmentRow).where(AlignmentRow.id == link["id"]).values(status="accepted")
        )
    assert refresher.cycle() >= 1
    hits, misses = _hits_and_misses(app)
    json_twin = anonymous.get(url + "?format=json")
    html = anonymous.get(url)
    assert _hits_and_misses(app) == (hits + 2, misses)  # both variants were rebuilt, ready
    assert _status_on_page(json_twin.json(), link["id"]) == "accepted"
    assert html.status_code == 200 and "analyst-user" not in html.text
    plain = TestClient(api_app(store.url, page_cache_bytes=0))
    assert html.content == plain.get(url).content  # rendered off-request, byte for byte
    assert json_twin.content == plain.get(url + "?format=json").content
    assert refresher.cycle() == 0


def test_the_refresher_drops_pages_that_can_no_longer_be_built(store: Store) -> None:
    app = api_app(store.url)
    refresher = PageRefresher(app, interval=3600)
    anonymous = TestClient(app)
    version = str(_first_suggested(store)["provision"]).partition("#")[0]
    page = f"/documents/{version}?format=json"
    assert anonymous.get(page).status_code == 200
    assert anonymous.get(page).status_code == 200
    with session_scope(store.url) as session:
        for table in ("findings", "alignments", "alignment_runs", "provisions"):
            session.execute(text(f"DELETE FROM {table}"))
        session.execute(text("DELETE FROM document_versions"))
    refresher.cycle()
    assert anonymous.get(page).status_code == 404


def test_each_worker_starts_its_refresher_with_the_app(store: Store) -> None:
    app = api_app(store.url, page_refresh_seconds=0.05)
    try:
        with TestClient(app) as started:
            refresher = app.state.page_refresher
            deadline = time.monotonic() + 60
            while started.get("/health/ready").status_code == 503:
                assert time.monotonic() < deadline, "start-up pages not built in 60 s"
                time.sleep(0.05)
            assert started.get("/health/ready").json()["status"] == "ready"
            assert refresher.prefetched > 0
        assert refresher._thread is not None and not refresher._thread.is_alive()
    finally:
        gc.unfreeze()


def test_pages_read_once_are_left_to_be_rebuilt_on_demand(store: Store) -> None:
    app = api_app(store.url)
    refresher = PageRefresher(app, interval=3600)
    anonymous = TestClient(app)
    link = _first_suggested(store)
    url = _provision_url(str(link["provision"])) + "?format=json"
    assert anonymous.get(url).status_code == 200  # built and kept, never read from memory
    with session_scope(store.url) as session:
        session.execute(
            update(AlignmentRow).where(AlignmentRow.id == link["id"]).values(status="rejected")
        )
    assert refresher.cycle() == 0  # not worth rebuilding ahead...
    assert _status_on_page(anonymous.get(url).json(), link["id"]) == "rejected"  # ...yet fresh
