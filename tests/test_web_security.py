"""Attacks on the live web app: XSS, CSRF, path traversal, SQL injection, oversized uploads.

Each test runs against a real uvicorn server over a store built from the
fictional sample laws plus hostile fictional laws whose text and markup
carry scripts. XSS is checked in a real Chromium: a dialog or script error
on any page fails the test, and the ``<script>`` text must be visible as
text. Every test also checks the store afterwards — an attack that is
refused must leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

import web_server
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.store import session_scope
from treatywatch.store.db import dispose_engines
from treatywatch.store.models import (
    AlignmentRow,
    AuditLogRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
    UserRow,
)

MAX_UPLOAD = 1_000_000
HOSTILE_DOC = "xsm/act/2025/hostile-markup-test"
HOSTILE_DATE = dt.date(2025, 4, 1)
SCRIPT_TEXT = "<script>alert('xss-text')</script>"
HOSTILE_TXT = f"""FICTIONAL TEST LAW for treatywatch security tests; not the law of any State.

HOSTILE MARKUP ACT, 2025

1. Illegal access {SCRIPT_TEXT}
A person who intentionally and without right accesses a computer system commits an offence.
"><img src=x onerror="alert('xss-attr')"> and <svg onload="alert('xss-svg')"></svg>

2. Search of computer systems
An officer may search any computer system without a warrant.
<a href="javascript:alert('xss-link')">link</a>
"""
HOSTILE_HTML = """<!doctype html><html><head><title>Hostile HTML Act (fictional)</title>
<script>alert('xss-head')</script></head><body onload="alert('xss-body')">
<p>FICTIONAL TEST LAW written for treatywatch security tests; not the law of any State.</p>
<h1>HOSTILE HTML ACT, 2025</h1>
<h2>1. Illegal interception</h2>
<p>A person who intercepts computer data without right commits an offence.
&lt;script&gt;alert('xss-escaped')&lt;/script&gt;
<img src="x" onerror="alert('xss-img')"><script>alert('xss-inline')</script></p>
<h2>2. Production orders</h2>
<p>A judge may order a provider to produce <iframe src="javascript:alert('xss-iframe')"></iframe>
stored subscriber information.</p>
</body></html>
"""
SQL_INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '" OR ""="',
    "1) UNION SELECT username, password_hash FROM users --",
    "%' AND 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, web_server.LiveStore]]:
    root = tmp_path_factory.mktemp("security-store")
    store = web_server.LiveStore.build(root)
    law = root / "hostile.txt"
    law.write_text(HOSTILE_TXT, encoding="utf-8")
    ingest(
        IngestRequest(
            path=law,
            country="XSM",
            doc_id=HOSTILE_DOC,
            date=HOSTILE_DATE,
            title="<script>alert('xss-title')</script> Hostile Markup Act (fictional)",
        ),
        url=store.url,
    )
    dispose_engines()
    with web_server.serve(store.url, store.data_dir, max_upload_bytes=MAX_UPLOAD) as base:
        yield base, store
    errors = web_server.server_log_errors(store.data_dir)
    assert not errors, "the server logged tracebacks:\n" + "\n".join(errors)


@pytest.fixture(scope="module")
def browser() -> Any:
    return web_server.chromium()


def _bearer(store: web_server.LiveStore, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.accounts[role].token}", "Accept": "application/json"}


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (UserRow, DocumentRow, DocumentVersionRow, ProvisionRow, AlignmentRow)
        }


def _upload(
    base: str, store: web_server.LiveStore, name: str, content: bytes, country: str = "XSM"
) -> httpx.Response:
    return httpx.post(
        f"{base}/upload",
        headers=_bearer(store, "analyst"),
        files={"file": (name, content, "application/octet-stream")},
        data={"country": country, "title": "Uploaded security test law (fictional)"},
        timeout=60,
    )


def _wait_for_job(base: str, store: web_server.LiveStore, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        response = httpx.get(
            f"{base}/upload/jobs/{job['id']}", headers=_bearer(store, "analyst"), timeout=30
        )
        assert response.status_code == 200, response.text
        record: dict[str, Any] = response.json()
        if record.get("state") in ("done", "failed"):
            return record
        time.sleep(0.5)
    raise AssertionError(f"upload job {job['id']} did not finish")


# --- XSS -----------------------------------------------------------------------------------


def _pages_of(url: str, document_id: str) -> list[str]:
    with session_scope(url) as session:
        version = session.scalars(
            select(DocumentVersionRow).where(DocumentVersionRow.document_id == document_id)
        ).first()
        assert version is not None
        ref = f"{document_id}@{version.version_date.isoformat()}"
        paths = session.scalars(
            select(ProvisionRow.path).where(
                ProvisionRow.version_id == version.id, ProvisionRow.depth == 1
            )
        ).all()
        country = version.document.jurisdiction_code
    return [
        f"/documents/{ref}",
        *(f"/documents/{ref}/provisions/{p}" for p in paths),
        f"/countries/{country}",
        "/documents",
        "/search?q=hostile",
        "/search?q=" + httpx.QueryParams({"x": SCRIPT_TEXT})["x"],
    ]


def _visit_all(browser: Any, base: str, paths: list[str], name: str) -> str:
    """Open every page; fail on any dialog or script error; return all visible text."""
    context = browser.new_context(base_url=base)
    page = context.new_page()
    problems = web_server.watch(page)
    texts = []
    try:
        for index, path in enumerate(paths):
            response = page.goto(path)
            assert response is not None and response.status < 500, f"{path}: {response}"
            page.wait_for_timeout(100)  # let any (injected) onload handlers run
            texts.append(page.inner_text("body"))
            if index == 1:
                web_server.screenshot(page, name)
    finally:
        context.close()
    assert not problems, problems
    return "\n".join(texts)


def test_law_text_with_script_is_shown_as_text_and_never_runs(
    live: tuple[str, web_server.LiveStore], browser: Any
) -> None:
    base, store = live
    shown = _visit_all(browser, base, _pages_of(store.url, HOSTILE_DOC), "xss-law-text")
    assert SCRIPT_TEXT in shown, "the law's <script> text must be visible as text"
    assert "<script>alert('xss-title')</script>" in shown


def test_uploaded_html_never_executes(live: tuple[str, web_server.LiveStore], browser: Any) -> None:
    base, store = live
    response = _upload(base, store, "hostile.html", HOSTILE_HTML.encode())
    assert response.status_code == 202, response.text
    job = _wait_for_job(base, store, response.json())
    assert job["state"] == "done", job
    with session_scope(store.url) as session:
        document_id = session.scalars(
            select(DocumentRow.id).where(DocumentRow.title.like("%security test law%"))
        ).one()
    shown = _visit_all(browser, base, _pages_of(store.url, document_id), "xss-uploaded-html")
    assert "alert('xss-escaped')" in shown  # escaped markup in the source stays visible text
    assert "xss-inline" not in shown and "xss-head" not in shown  # scripts are not law text


# --- CSRF ----------------------------------------------------------------------------------


def _suggested(url: str) -> int:
    with session_scope(url) as session:
        found = session.scalars(
            select(AlignmentRow.id)
            .where(AlignmentRow.status == "suggested")
            .order_by(AlignmentRow.id)
        ).first()
        assert found is not None
        return int(found)


def _status(url: str, alignment_id: int) -> str:
    with session_scope(url) as session:
        row = session.get(AlignmentRow, alignment_id)
        assert row is not None
        return row.status


def test_cross_site_form_post_is_rejected(
    live: tuple[str, web_server.LiveStore], browser: Any
) -> None:
    """A logged-in analyst visits an attacker's page that auto-submits a review form."""
    base, store = live
    alignment_id = _suggested(store.url)
    audit_before = _audit_count(store.url)
    context = browser.new_context(base_url=base)
    page = context.new_page()
    web_server.log_in(page, store.accounts["analyst"])
    attacker = f"""<!doctype html><html><body>
<form id="f" method="post" action="{base}/review/alignments/{alignment_id}/accept">
<input type="hidden" name="comment" value="forged"></form>
<script>document.getElementById('f').submit()</script></body></html>"""
    # The attacker's site is served by Playwright itself (no network): another origin.
    context.route(
        "http://attacker.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=attacker),
    )
    with page.expect_response(re.compile(rf"/review/alignments/{alignment_id}/accept")) as info:
        page.goto("http://attacker.example/prize")
    refused = info.value
    # SameSite=lax keeps the cookie off a cross-site POST, so the server sees an
    # anonymous caller: 401/403, or the UI's redirect to the login form.
    assert refused.status in (401, 403) or (
        refused.status == 303 and refused.headers["location"].startswith("/login")
    ), (refused.status, refused.headers)
    web_server.screenshot(page, "csrf-cross-site-post")
    context.close()
    assert _status(store.url, alignment_id) == "suggested"
    assert _audit_count(store.url) == audit_before


def test_same_site_post_without_token_is_rejected(live: tuple[str, web_server.LiveStore]) -> None:
    """The session cookie alone (what SameSite=lax still sends same-site) is not enough."""
    base, store = live
    alignment_id = _suggested(store.url)
    account = store.accounts["analyst"]
    with httpx.Client(base_url=base, timeout=30) as client:
        login = client.post(
            "/login",
            data={"username": account.username, "password": account.password},
            headers={"Accept": "application/json"},
        )
        assert login.status_code in (200, 403), login.text
        session = client.get("/session").json()
        if login.status_code == 403:  # the login form itself wants the pre-login token
            login = client.post(
                "/login",
                data={
                    "username": account.username,
                    "password": account.password,
                    "csrf_token": session["csrf_token"],
                },
                headers={"Accept": "application/json"},
            )
            assert login.status_code == 200, login.text
        token = login.json()["csrf_token"]
        for headers, data in (
            ({}, {"comment": "no token"}),
            ({}, {"comment": "wrong token", "csrf_token": "x" * 43}),
            ({"X-CSRF-Token": "forged"}, {"comment": "wrong header"}),
        ):
            response = client.post(
                f"/review/alignments/{alignment_id}/accept", data=data, headers=headers
            )
            assert response.status_code == 403, response.text
            assert _status(store.url, alignment_id) == "suggested"
        accepted = client.post(
            f"/review/alignments/{alignment_id}/accept",
            data={"comment": "with token"},
            headers={"X-CSRF-Token": token, "Accept": "application/json"},
        )
        assert accepted.status_code == 200, accepted.text
    assert _status(store.url, alignment_id) == "accepted"


def _audit_count(url: str) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(AuditLogRow)) or 0)


# --- uploads: traversal and size -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/treatywatch-pwned.txt",
        "..\\..\\..\\treatywatch-pwned.txt",
        "/etc/treatywatch-pwned.txt",
        "....//....//treatywatch-pwned.txt",
        "%2e%2e%2f%2e%2e%2ftreatywatch-pwned.txt",
        "law\x00.txt",
    ],
)
def test_upload_names_cannot_escape(live: tuple[str, web_server.LiveStore], name: str) -> None:
    base, store = live
    law = HOSTILE_TXT.replace("HOSTILE MARKUP ACT", f"TRAVERSAL TEST ACT {abs(hash(name))}")
    response = _upload(base, store, name, law.encode())
    assert response.status_code < 500, response.text
    for folder in (Path("/tmp"), Path("/etc"), store.data_dir, store.data_dir.parent, Path.cwd()):
        assert not list(folder.glob("treatywatch-pwned*")), f"a file escaped into {folder}"
    if response.status_code == 202:
        job = _wait_for_job(base, store, response.json())
        assert ".." not in job.get("filename", "") and "/" not in job.get("filename", "")


def test_oversized_upload_is_refused_with_413(live: tuple[str, web_server.LiveStore]) -> None:
    base, store = live
    before = _counts(store.url)
    big = b"FICTIONAL TEST LAW. " + b"A" * (MAX_UPLOAD + 1)
    response = _upload(base, store, "big.txt", big)
    assert response.status_code == 413, response.text
    assert "limit" in response.text.lower()
    assert _counts(store.url) == before


# --- SQL injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("payload", SQL_INJECTIONS)
def test_sql_injection_in_search_and_filters(
    live: tuple[str, web_server.LiveStore], payload: str
) -> None:
    base, store = live
    before = _counts(store.url)
    requests = [
        ("/search", {"q": payload}),
        ("/search", {"q": "access", "country": payload, "instrument": payload}),
        ("/api/v1/documents", {"country": payload}),
        ("/api/v1/provisions", {"document": payload}),
        ("/api/v1/alignments", {"status": payload, "article": payload}),
        ("/api/v1/alignments", {"sort": payload}),
        ("/api/v1/articles", {"instrument": payload, "q": payload}),
        ("/api/v1/findings", {"criterion": payload}),
        ("/api/v1/jurisdictions", {"q": payload}),
        ("/articles", {"instrument": payload}),
    ]
    with httpx.Client(base_url=base, headers=_bearer(store, "admin"), timeout=30) as client:
        for path in sorted({p for p, _params in requests}):  # the routes exist: not vacuous
            assert client.get(path, params={"q": "access"} if path == "/search" else {}).is_success
        for path, params in requests:
            started = time.monotonic()
            response = client.get(path, params=params)
            assert response.status_code < 500, f"{path} {params}: {response.status_code}"
            assert time.monotonic() - started < 4, f"{path} {params} took suspiciously long"
            body = response.text
            assert "$argon2" not in body, f"{path} {params} leaked a password hash"
            assert "syntax error" not in body.lower() and "sqlite3." not in body
            if response.status_code == 200 and path.startswith("/api/v1/") and "items" in body:
                items = response.json().get("items", [])
                if "country" in params or "document" in params:
                    assert items == [], f"{path} {params} matched rows it should not"
    assert _counts(store.url) == before
