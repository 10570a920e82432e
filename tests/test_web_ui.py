"""The server-rendered UI: pages, JSON twins, escaping, review buttons, deep links, 404s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from report_store import COUNTRY, DOC
from treatywatch.report.build import build_report
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, AuditLogRow, FindingRow
from web_ui_store import build, client

VERSION = f"{DOC}@2024-05-01"
PROVISIONS = f"/documents/{VERSION}/provisions"
HOSTILE = ("<script>alert", "<img src=x", "onerror=alert(2)>")


@pytest.fixture
def store(initialised: str, tmp_path: Path) -> str:
    build(initialised, tmp_path)
    return initialised


def _alignment(url: str, article: str) -> AlignmentRow:
    with session_scope(url) as session:
        row = session.scalars(select(AlignmentRow).where(AlignmentRow.article_id == article)).one()
        session.expunge(row)
        return row


PAGES = [
    ("/", "<h1>treatywatch</h1>"),
    ("/articles", "<h1>Articles</h1>"),
    ("/articles/uncc/art-28", "Search and seizure of stored electronic data</h1>"),
    ("/countries", "<h1>Countries</h1>"),
    (f"/countries/{COUNTRY}", "Rights scorecard</h2>"),
    ("/documents", "<h1>Laws</h1>"),
    (f"/documents/{VERSION}", "Testaland Online Order Act, 2024 (fictional)</h1>"),
    (f"{PROVISIONS}/sec-3", "Search of computer systems</h1>"),
    ("/compare", "<h1>Compare countries</h1>"),
    ("/compare?by=articles", "mandatory UNCC articles"),
    ("/search?q=computer+system", "<h1>Search</h1>"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_public_pages_render_with_their_headings(store: str, path: str, heading: str) -> None:
    response = client(store).get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert heading in response.text
    assert '<html lang="en">' in response.text and 'id="main"' in response.text
    assert 'href="#main"' in response.text  # skip link
    # every script comes from our own static files: the CSP forbids inline ones
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert scripts and all('src="/static/' in s for s in scripts)


def test_analyst_pages_render(store: str) -> None:
    analyst = client(store, "analyst")
    review = analyst.get("/review")
    assert review.status_code == 200 and "<h1>Review queue</h1>" in review.text
    upload = analyst.get("/upload")
    assert upload.status_code == 200 and 'enctype="multipart/form-data"' in upload.text
    for field in ("file", "country", "title", "date"):
        assert f'<label for="{field}">' in upload.text and f'id="{field}"' in upload.text


def test_review_and_upload_pages_are_closed_to_viewers_and_anonymous(store: str) -> None:
    assert client(store, "viewer").get("/review").status_code == 403
    assert client(store, "viewer").get("/upload").status_code == 403
    anonymous = client(store).get("/review")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert client(store).get("/review?format=json").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/uncc/art-28",
        f"/countries/{COUNTRY}",
        f"/documents/{VERSION}",
        f"{PROVISIONS}/sec-3",
        "/compare",
        "/search?q=computer",
    ],
)
def test_json_twin_by_query_and_by_accept_header(store: str, path: str) -> None:
    web = client(store)
    joiner = "&" if "?" in path else "?"
    by_query = web.get(f"{path}{joiner}format=json")
    by_header = web.get(path, headers={"Accept": "application/json"})
    assert by_query.status_code == by_header.status_code == 200
    assert by_query.headers["content-type"].startswith("application/json")
    assert by_query.json() == by_header.json()


def test_json_twin_holds_what_the_page_shows(store: str) -> None:
    web = client(store)
    data = web.get(f"{PROVISIONS}/sec-3?format=json").json()
    html = web.get(f"{PROVISIONS}/sec-3").text
    assert [a["article"] for a in data["alignments"]] == ["uncc/art-28"]
    assert 'id="alignment-{}"'.format(data["alignments"][0]["id"]) in html
    assert [f["criterion"] for f in data["findings"]] == ["judicial-authorization"]
    marked = [s["text"] for s in data["highlighted"] if s["mark"]]
    assert "without a warrant" in marked
    assert "<mark" in html and ">without a warrant</mark>" in html

    country = web.get(f"/countries/{COUNTRY}?format=json").json()
    assert country["country"]["code"] == COUNTRY and country["assessed"] is True
    scores = {c["criterion"]: c["status"] for c in country["scorecard"]["criteria"]}
    assert scores["scope"] == "fails" and scores["offence-quality"] == "meets"
    art7 = next(a for a in country["coverage"] if a["article"] == "uncc/art-7")
    assert art7["status"] == "implemented" and art7["confirmed"] is True


def test_law_text_is_escaped_on_provision_search_and_review_pages(store: str) -> None:
    analyst = client(store, "analyst")
    pages = {
        "provision": analyst.get(f"{PROVISIONS}/sec-2"),
        "search": analyst.get("/search?q=false+news"),
        "review": analyst.get("/review"),
        "version": analyst.get(f"/documents/{VERSION}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        for raw in HOSTILE:
            assert raw not in response.text, (name, raw)
    for name in ("provision", "review"):
        assert "&lt;script&gt;alert(" in pages[name].text, name
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages["provision"].text
    # PostgreSQL's ts_headline drops tags from snippets; SQLite's keeps them as text
    hits = analyst.get("/search?q=false+news&format=json").json()["results"]
    snippet = "".join(s["text"] for r in hits for s in r["snippet"])
    assert "false" in snippet.lower()
    if "<script>" in snippet:
        assert "&lt;script&gt;alert(" in pages["search"].text
    # the JSON twin carries the text as data, unchanged
    data = analyst.get(f"{PROVISIONS}/sec-2?format=json").json()
    assert "<img src=x onerror=alert(2)>" in data["provision"]["text"]


def test_review_buttons_only_for_analysts(store: str) -> None:
    path = f"{PROVISIONS}/sec-3"
    analyst = client(store, "analyst").get(path).text
    assert "/review/alignments/" in analyst and "/accept" in analyst
    assert "/review/findings/" in analyst and "/confirm" in analyst
    for role in ("viewer", None):
        page = client(store, role).get(path).text
        assert "/review/alignments/" not in page and "/review/findings/" not in page
        assert "Search and seizure of stored electronic data" in page


def test_analyst_accepts_an_alignment_and_it_is_audited(store: str) -> None:
    row = _alignment(store, "uncc/art-28")
    back = f"{PROVISIONS}/sec-3"
    response = client(store, "analyst").post(
        f"/review/alignments/{row.id}/accept", data={"next": back, "comment": "matches"}
    )
    assert response.status_code == 303 and response.headers["location"] == back
    after = _alignment(store, "uncc/art-28")
    assert after.status == "accepted" and after.reviewer == "analyst-user"
    with session_scope(store) as session:
        audit = session.scalars(
            select(AuditLogRow).where(
                AuditLogRow.entity_type == "alignment", AuditLogRow.entity_id == str(row.id)
            )
        ).one()
        assert audit.actor == "analyst-user" and audit.action == "align.accept"
        assert audit.before["status"] == "suggested" and audit.after["status"] == "accepted"
    # the page no longer offers buttons for it
    assert f"/review/alignments/{row.id}/accept" not in client(store, "analyst").get(back).text


def test_htmx_reject_returns_the_changed_item_and_override_links_anew(store: str) -> None:
    row = _alignment(store, "uncc/art-28")
    analyst = client(store, "analyst")
    fragment = analyst.post(
        f"/review/alignments/{row.id}/override",
        data={"article": "uncc/art-29", "comment": "it is a production order"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<li class="reviewable')
    assert "overridden" in fragment.text and "/articles/uncc/art-29" in fragment.text
    with session_scope(store) as session:
        new = session.scalars(
            select(AlignmentRow).where(AlignmentRow.article_id == "uncc/art-29")
        ).one()
        assert new.status == "accepted" and new.reviewer == "analyst-user"
    bad = analyst.post(f"/review/alignments/{row.id}/override", data={"article": "uncc/art-999"})
    assert bad.status_code == 404 and "did you mean" in bad.text.lower()


def test_finding_review_by_analyst_and_refused_to_viewer(store: str) -> None:
    with session_scope(store) as session:
        finding = session.scalars(
            select(FindingRow).where(FindingRow.criterion_id == "judicial-authorization")
        ).one()
        fid = finding.id
    viewer = client(store, "viewer").post(f"/review/findings/{fid}/confirm")
    assert viewer.status_code == 403
    anonymous = client(store).post(f"/review/findings/{fid}/confirm")
    assert anonymous.status_code in (401, 303)
    missing_reason = client(store, "analyst").post(
        f"/review/findings/{fid}/override", data={"status": "meets"}
    )
    assert missing_reason.status_code == 400 and "comment" in missing_reason.text
    result = client(store, "analyst").post(
        f"/review/findings/{fid}/override?format=json",
        data={"status": "partly", "comment": "a warrant is needed for seizure"},
    )
    assert result.status_code == 200 and result.json()["finding"]["status"] == "partly"
    with session_scope(store) as session:
        row = session.get_one(FindingRow, fid)
        assert row.status == "partly" and row.review_status == "overridden"
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.entity_id == str(fid))).one()
        assert audit.actor == "analyst-user" and audit.before["status"] == "fails"
    assert client(store, "analyst").post(f"/review/findings/{fid}/explode").status_code == 404


def test_every_provision_a_report_links_to_resolves(store: str) -> None:
    web = client(store)
    report = build_report(COUNTRY, url=store)
    urls = {c["url"] for c in report["provisions_cited"]}
    assert urls
    for url in urls:
        response = web.get(url)
        assert response.status_code == 200, url
    country = web.get(f"/countries/{COUNTRY}").text
    assert f'href="/reports/{COUNTRY}.html"' in country
    served = web.get(f"/reports/{COUNTRY}.html")
    assert served.status_code == 200 and "<script>alert" not in served.text


@pytest.mark.parametrize(
    "path",
    [
        "/documents/xnl/act/2024/no-such-law",
        f"{PROVISIONS}/sec-99",
        "/articles/uncc/art-999",
        "/countries/ZZZ",
        "/reports/nothing.pdf",
        "/documents/not-a-document",
    ],
)
def test_unknown_ids_get_a_friendly_404_page(store: str, path: str) -> None:
    response = client(store).get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text and 'role="alert"' in response.text
    assert "Traceback" not in response.text
    as_json = client(store).get(path, headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.json()["message"]


def test_compare_sorts_and_exports(store: str) -> None:
    web = client(store)
    csv = web.get("/compare?by=criteria&format=csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    header, first = csv.text.splitlines()[:2]
    assert header.startswith("country,name,score") and first.startswith(f"{COUNTRY},")
    bad_sort = web.get("/compare?sort=nonsense")
    assert bad_sort.status_code == 400 and "cannot sort by" in bad_sort.text


def test_search_facets_narrow_results(store: str) -> None:
    web = client(store)
    data = web.get("/search?q=computer&format=json").json()
    types = {f["value"]: f["count"] for f in data["facets"]["type"]}
    assert types.get("provision", 0) >= 1 and types.get("article", 0) >= 1
    only = web.get("/search?q=computer&type=provision&country=XNL&format=json").json()
    assert only["results"] and all(r["type"] == "provision" for r in only["results"])
    statuses = web.get("/search?q=warrant&status=fails&format=json").json()
    assert [r["id"] for r in statuses["results"]] == [f"{VERSION}#sec-3"]
    for hostile in ("' OR 1=1 --", '"; DROP TABLE documents; --', "*"):
        response = web.get("/search", params={"q": hostile})
        assert response.status_code == 200
    assert web.get(f"/documents/{VERSION}").status_code == 200


def test_static_assets_are_served_with_licence(store: str) -> None:
    web = client(store, anonymous_read=False)
    assert web.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    licence = web.get("/static/vendor/htmx/LICENSE")
    assert licence.status_code == 200 and "Zero-Clause BSD" in licence.text
    css = web.get("/static/ui.css").text
    assert ":focus-visible" in css and "@media" in css


def test_browser_session_review_needs_the_pages_csrf_token(store: str) -> None:
    from treatywatch.web.auth.users import add_user

    with session_scope(store) as session:
        add_user(
            session,
            "ana",
            role="analyst",
            password="Fictional-Reviewer-Pass-2024!",
            actor="test",
        )
    web = client(store)
    form = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
    assert form
    login = web.post(
        "/login",
        data={
            "username": "ana",
            "password": "Fictional-Reviewer-Pass-2024!",
            "csrf_token": form.group(1),
        },
    )
    assert login.status_code == 303
    row = _alignment(store, "uncc/art-28")
    page = web.get(f"{PROVISIONS}/sec-3").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "review forms carry the session's CSRF token"
    assert token.group(1) in page.split("<body", 1)[1].split(">", 1)[0]  # hx-headers
    forged = web.post(f"/review/alignments/{row.id}/accept", data={})
    assert forged.status_code == 403
    assert _alignment(store, "uncc/art-28").status == "suggested"
    accepted = web.post(f"/review/alignments/{row.id}/accept", data={"csrf_token": token.group(1)})
    assert accepted.status_code == 303
    assert _alignment(store, "uncc/art-28").reviewer == "ana"
