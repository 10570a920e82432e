"""REST API reads: every list and detail endpoint, filters, sorting, pagination, ETags,
404s with hints, 422s for bad parameters, and injection strings that change nothing.

One store per backend for the whole module (built through the real ingest,
align and assess services from a fictional sample law): these tests only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from conftest import POSTGRES_URL, _backends, _reset_postgres
from treatywatch.store import session_scope
from treatywatch.store.db import dispose_engines
from treatywatch.store.models import (
    AlignmentRow,
    AuditLogRow,
    CaseRow,
    DocumentRow,
    FindingRow,
    ProvisionRow,
    UserRow,
)
from treatywatch.web.deps import token_digest
from web_api_store import LAW, TOKENS, Store, build_store, client

API = "/api/v1"


@pytest.fixture(scope="module", params=_backends())
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    tmp = tmp_path_factory.mktemp("api-read")
    with pytest.MonkeyPatch.context() as mp:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp / 'store.db'}"
        else:
            if not POSTGRES_URL:
                pytest.fail("CI=true but TREATYWATCH_TEST_POSTGRES_URL is not set")
            url = POSTGRES_URL
            _reset_postgres(url)
        mp.setenv("TREATYWATCH_DATABASE_URL", url)
        mp.setenv("TREATYWATCH_DATA_DIR", str(tmp / "data"))
        yield build_store(url)
        dispose_engines()


@pytest.fixture(scope="module")
def anon(store: Store) -> TestClient:
    return client(store.url)


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"items", "next", "count"}
    return list(body["items"])


def walk(c: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Follow `next` cursors to the end; every page but the last is full."""
    out: list[dict[str, Any]] = []
    cursor = None
    for _ in range(500):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = c.get(API + path, params=query).json()
        out.extend(body["items"])
        cursor = body["next"]
        if cursor is None:
            assert len(out) == body["count"]
            return out
        assert len(body["items"]) == params["limit"]
    raise AssertionError("pagination did not end")


# --- catalogue ---------------------------------------------------------------------


def test_instruments_and_one_instrument(anon: TestClient) -> None:
    ids = [i["id"] for i in anon.get(f"{API}/instruments").json()]
    assert {"uncc", "budapest"} <= set(ids)
    uncc = anon.get(f"{API}/instruments/uncc").json()
    assert uncc["article_count"] > 60 and uncc["chapters"]
    missing = anon.get(f"{API}/instruments/unc")
    assert missing.status_code == 404 and "uncc" in missing.json()["hint"]


def test_articles_filter_and_counterparts(anon: TestClient) -> None:
    budapest = walk(anon, "/articles", instrument="budapest", limit=10)
    assert budapest and all(a["instrument"] == "budapest" for a in budapest)
    assert len({a["id"] for a in budapest}) == len(budapest)
    procedural = items(anon.get(f"{API}/articles", params={"category": "procedural", "limit": 200}))
    assert procedural and all(a["category"] == "procedural" for a in procedural)
    art7 = anon.get(f"{API}/articles/uncc/art-7").json()
    assert art7["title"].lower() == "illegal access"
    assert any(c["id"] == "budapest/art-2" and c["title"] for c in art7["counterparts"])


def test_articles_sort_by_title_descending(anon: TestClient) -> None:
    titles = [a["title"].lower() for a in walk(anon, "/articles", sort="-title", limit=25)]
    assert titles == sorted(titles, reverse=True)


def test_unknown_article_is_404_with_did_you_mean(anon: TestClient) -> None:
    response = anon.get(f"{API}/articles/uncc/art-288")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "UnknownArticleError" and "did you mean" in body["hint"]
    assert "uncc/art-28" in body["hint"]


def test_crosswalk_and_criteria(anon: TestClient) -> None:
    links = walk(anon, "/crosswalk", relation="equivalent", limit=7)
    assert links and all(link["relation"] == "equivalent" for link in links)
    involving = items(anon.get(f"{API}/crosswalk", params={"article": "uncc/art-7"}))
    assert involving and all("uncc/art-7" in (x["uncc"], x["budapest"]) for x in involving)
    criteria = walk(anon, "/criteria", limit=4)
    assert [c["number"] for c in criteria] == sorted(c["number"] for c in criteria)
    one = anon.get(f"{API}/criteria/{criteria[0]['id']}").json()
    assert one["question"] == criteria[0]["question"]
    assert anon.get(f"{API}/criteria/scop").status_code == 404


# --- jurisdictions, documents, provisions ---------------------------------------------------


def test_jurisdictions(anon: TestClient) -> None:
    with_laws = items(anon.get(f"{API}/jurisdictions", params={"with_laws": True}))
    assert [j["code"] for j in with_laws] == [LAW.country]
    assert with_laws[0]["documents"] == 1
    names = [j["name"] for j in walk(anon, "/jurisdictions", sort="name", limit=50)]
    assert names == sorted(names)
    detail = anon.get(f"{API}/jurisdictions/{LAW.country.lower()}").json()
    assert [d["id"] for d in detail["laws"]] == [LAW.document_id]
    timeline = anon.get(f"{API}/jurisdictions/{LAW.country}/timeline").json()
    assert {"status", "law-version"} <= set(timeline["counts"])
    missing = anon.get(f"{API}/jurisdictions/XNLL")
    assert missing.status_code == 404 and LAW.country in missing.json()["hint"]


def test_documents_versions_provisions(anon: TestClient, store: Store) -> None:
    docs = items(anon.get(f"{API}/documents", params={"country": LAW.country}))
    assert [d["id"] for d in docs] == [LAW.document_id]
    assert items(anon.get(f"{API}/documents", params={"country": "KEN"})) == []
    detail = anon.get(f"{API}/documents/{LAW.document_id}").json()
    [version] = detail["version_details"]
    assert version["ref"] == store.ref and version["provisions"] > 10
    assert anon.get(f"{API}/versions/{version['id']}").json()["country"] == LAW.country
    provisions = walk(anon, "/provisions", document=store.ref, limit=15)
    assert len(provisions) == version["provisions"]
    assert [p["ordinal"] for p in provisions] == sorted(p["ordinal"] for p in provisions)
    offences = items(
        anon.get(f"{API}/provisions", params={"document": store.ref, "kind": "offence"})
    )
    assert offences and all(p["kind"] == "offence" for p in offences)


def test_provision_detail_has_alignments_with_evidence(anon: TestClient, store: Store) -> None:
    aligned = items(anon.get(f"{API}/alignments", params={"document": store.ref, "limit": 1}))
    ref = aligned[0]["provision"]
    by_ref = anon.get(f"{API}/provisions/lookup", params={"ref": ref}).json()
    assert by_ref["ref"] == ref
    assert any(a["id"] == aligned[0]["id"] and a["evidence"] for a in by_ref["alignments"])
    by_id = anon.get(f"{API}/provisions/{by_ref['id']}").json()
    assert by_id == by_ref
    missing = anon.get(f"{API}/provisions/lookup", params={"ref": ref + "x"})
    assert missing.status_code == 404 and "did you mean" in missing.json()["hint"]


def test_unknown_ids_are_404(anon: TestClient) -> None:
    for path in (
        "/documents/xnl/act/2024/nope",
        "/versions/999999",
        "/provisions/999999",
        "/alignments/999999",
        "/findings/999999",
        "/cases/no-such-case",
        "/status/uncc-9",
        "/scorecards/KEN",
    ):
        response = anon.get(API + path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"error", "message", "hint"}


# --- alignments, findings ------------------------------------------------------------------


def test_alignments_filter_sort_and_walk(anon: TestClient, store: Store) -> None:
    every = walk(anon, "/alignments", limit=7)
    assert len({a["id"] for a in every}) == len(every) > 7
    scores = [a["score"] for a in walk(anon, "/alignments", sort="-score", limit=5)]
    assert scores == sorted(scores, reverse=True)
    uncc = items(anon.get(f"{API}/alignments", params={"instrument": "uncc", "limit": 200}))
    assert uncc and all(a["article"].startswith("uncc/") for a in uncc)
    strong = items(anon.get(f"{API}/alignments", params={"min_score": 0.8, "limit": 200}))
    assert all(a["score"] >= 0.8 for a in strong)
    one = anon.get(f"{API}/alignments/{every[0]['id']}").json()
    assert one["id"] == every[0]["id"] and "evidence" in one


def test_findings_filter_and_detail(anon: TestClient, store: Store) -> None:
    every = walk(anon, "/findings", document=store.ref, limit=6)
    assert every and all(f["version"] == store.ref for f in every)
    criterion = every[0]["criterion"]
    chosen = items(anon.get(f"{API}/findings", params={"criterion": criterion, "limit": 200}))
    assert chosen and all(f["criterion"] == criterion for f in chosen)
    by_criterion = [f["criterion"] for f in walk(anon, "/findings", sort="criterion", limit=9)]
    assert by_criterion == sorted(by_criterion)
    assert anon.get(f"{API}/findings/{every[0]['id']}").json()["explanation"]


# --- scorecards, status, search ------------------------------------------------------------


def test_scorecards_and_comparison(anon: TestClient) -> None:
    [summary] = items(anon.get(f"{API}/scorecards"))
    assert summary["code"] == LAW.country and summary["findings"] > 0
    card = anon.get(f"{API}/scorecards/{LAW.country}").json()
    assert card["findings"] == summary["findings"] and card["criteria"] and card["coverage"]
    matrix = anon.get(f"{API}/comparison", params={"countries": [LAW.country]}).json()
    assert matrix["rows"][0]["country"] == LAW.country and "score" in matrix["columns"]
    assert anon.get(f"{API}/comparison", params={"by": "articles"}).json()["by"] == "articles"
    assert anon.get(f"{API}/comparison", params={"sort": "nonsense"}).status_code == 422


def test_status_events_sorted_with_undated_last(anon: TestClient) -> None:
    events = walk(anon, "/status-events", country=LAW.country, limit=1)
    assert [e["event"] for e in events] == ["vote", "signature", "ratification"]
    newest_first = walk(anon, "/status-events", country=LAW.country, sort="-date", limit=2)
    assert [e["event"] for e in newest_first] == ["ratification", "signature", "vote"]
    since = items(anon.get(f"{API}/status-events", params={"since": "2025-01-01"}))
    assert [e["event"] for e in since] == ["signature"]
    ledger = anon.get(f"{API}/status/uncc").json()
    assert ledger["instrument"] == "uncc" and ledger["signatories"] >= 1


def test_search_with_facets(anon: TestClient) -> None:
    body = anon.get(f"{API}/search", params={"q": "illegal access", "limit": 5}).json()
    assert body["items"][0]["type"] == "article"
    assert body["facets"]["instrument"].keys() >= {"uncc", "budapest"}
    uncc = walk(anon, "/search", q="access", instrument="uncc", limit=4)
    assert uncc and all("uncc" in hit["facets"]["instrument"] for hit in uncc)
    laws = anon.get(f"{API}/search", params={"q": "computer", "country": LAW.country}).json()
    assert laws["items"] and all(h["type"] == "provision" for h in laws["items"])
    assert laws["facets"]["country"] == {LAW.country: laws["count"]}
    assert anon.get(f"{API}/search", params={"q": "   "}).status_code == 422


# --- cases: what each role sees ---------------------------------------------------------------


def _case_view(store: Store, role: str | None) -> dict[str, dict[str, Any]]:
    c = client(store.url, role)
    return {case["key"]: case for case in walk(c, "/cases", limit=2)}


def test_case_fields_follow_the_sensitivity_model(store: Store) -> None:
    anonymous, viewer = _case_view(store, None), _case_view(store, "viewer")
    analyst, admin = _case_view(store, "analyst"), _case_view(store, "admin")
    assert anonymous == viewer and set(viewer) == set(analyst) == set(admin)
    with session_scope(store.url) as session:
        rows = {
            r.case_key: (r.sensitivity, dict(r.restricted))
            for r in session.scalars(select(CaseRow))
        }
    checked = 0
    for key, (sensitivity, restricted) in rows.items():
        if restricted:
            assert set(viewer[key]["restricted"].values()) == {"REDACTED"}
            assert admin[key]["restricted"] == restricted
            seen = analyst[key]["restricted"]
            assert (
                seen == restricted
                if sensitivity != "confidential"
                else set(seen.values()) == {"REDACTED"}
            )
            checked += 1
        if sensitivity == "confidential":
            assert "REDACTED" in viewer[key]["title"] and "REDACTED" not in admin[key]["title"]
    assert checked >= 2
    secret = [k for k, (s, _r) in rows.items() if s == "confidential"]
    assert secret and client(store.url).get(f"{API}/cases/{secret[0]}").json()["redacted"]


def test_cases_filters(anon: TestClient) -> None:
    public = items(anon.get(f"{API}/cases", params={"sensitivity": "public"}))
    assert public and all(c["sensitivity"] == "public" for c in public)
    assert anon.get(f"{API}/cases", params={"country": "Narnia"}).status_code == 422


# --- protocol: ETags, errors, auth ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/articles?limit=3", "/articles/uncc/art-28", "/alignments?limit=2", "/cases", "/scorecards"],
)
def test_etag_revalidation(anon: TestClient, path: str) -> None:
    first = anon.get(API + path)
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = anon.get(API + path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert anon.get(API + path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_etag_differs_by_role_where_the_body_does(store: Store) -> None:
    viewer = client(store.url, "viewer").get(f"{API}/cases")
    admin = client(store.url, "admin").get(f"{API}/cases")
    assert viewer.headers["etag"] != admin.headers["etag"]
    assert "Authorization" in viewer.headers["vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/articles?limit=0",
        "/articles?limit=100000",
        "/articles?sort=title;DROP TABLE articles",
        "/alignments?cursor=not-a-cursor",
        "/alignments?sort=-score&cursor=eyJzIjoiaWQiLCJrIjpbMSwxXX0",  # an `id` cursor
        "/alignments?cursor=eyJzIjoiaWQiLCJrIjpbIngiLCJ5Il19",  # forged: strings for ids
        "/alignments?min_score=2",
        "/alignments?status=maybe",
        "/versions/abc",
        "/provisions?document=not a ref",
        "/status-events?since=yesterday",
        "/status/uncc?as_of=9999-12-31",
        "/search",
    ],
)
def test_bad_parameters_are_typed_422(anon: TestClient, path: str) -> None:
    response = anon.get(API + path)
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"error", "message", "hint"}


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (DocumentRow, ProvisionRow, AlignmentRow, FindingRow, CaseRow, UserRow,
                          AuditLogRow)
        }  # fmt: skip


INJECTIONS = [
    "' OR '1'='1",
    "x'); DROP TABLE alignments; --",
    '" OR 1=1 --',
    "%' OR '%'='",
    "uncc/art-7' UNION SELECT password_hash FROM users --",
    "\\'; DELETE FROM findings; --",
]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_sql_injection_in_filters_changes_nothing(
    anon: TestClient, store: Store, evil: str
) -> None:
    before = _counts(store.url)
    for path, param in (
        ("/alignments", "article"),
        ("/alignments", "document"),
        ("/findings", "criterion"),
        ("/documents", "doc_type"),
        ("/jurisdictions", "name"),
        ("/provisions", "text"),
        ("/cases", "law"),
        ("/cases", "tag"),
        ("/search", "q"),
        ("/search", "country"),
        ("/status-events", "event"),
        ("/versions", "document"),
    ):
        response = anon.get(API + path, params={param: evil})
        assert response.status_code in (200, 404, 422), (path, param, response.text)
        if response.status_code == 200:
            body = response.json()
            if path != "/search" or param != "q":
                assert body["items"] == [], (path, param)
            assert not any(token_digest(t) in response.text for t in TOKENS.values())
    assert _counts(store.url) == before


def test_anonymous_read_off_needs_login(store: Store) -> None:
    closed = client(store.url, anonymous_read=False)
    response = closed.get(f"{API}/articles")
    assert response.status_code == 401 and response.json()["error"] == "NotAuthenticated"
    assert (
        client(store.url, "viewer", anonymous_read=False).get(f"{API}/articles").status_code == 200
    )
    bad = TestClient(closed.app, headers={"Authorization": "Bearer wrong"}).get(f"{API}/articles")
    assert bad.status_code == 401


def test_every_api_route_has_an_access_rule_and_a_documented_schema(store: Store) -> None:
    from fastapi.routing import iter_route_contexts

    from treatywatch.web.access import RULES

    app = client(store.url).app
    api_routes = [r for r in iter_route_contexts(app.routes) if (r.path or "").startswith(API)]
    assert len(api_routes) >= 30
    for route in api_routes:
        for method in route.methods or ():
            assert (method, route.path) in RULES, (method, route.path)
    schema = app.openapi()
    for path, operations in schema["paths"].items():
        if not path.startswith(API):
            continue
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            ok = operation["responses"].get("200") or operation["responses"].get("201")
            assert ok and "schema" in ok["content"]["application/json"], (method, path)
            assert "404" in operation["responses"] and "422" in operation["responses"]


def test_docs_page_is_offline(store: Store) -> None:
    c = client(store.url, anonymous_read=False)
    page = c.get("/docs")
    assert page.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    bundle = c.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert "javascript" in bundle.headers["content-type"]
    assert c.get("/docs/assets/..%2F..%2Fapp.py").status_code == 404
    assert c.get("/docs/assets/LICENSE").text.strip().startswith("Apache License")
    assert c.get("/openapi.json").json()["paths"]
