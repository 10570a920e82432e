"""Accounts in the web app: login/logout, sessions, CSRF, API tokens, throttling, roles.

Every test runs the real app (TestClient) over a real store, on SQLite and,
when configured, PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, UserRow
from treatywatch.web.app import create_app
from treatywatch.web.auth.ratelimit import LoginLimiter
from treatywatch.web.auth.users import add_user, issue_token
from treatywatch.web.settings import WebSettings

PASSWORDS = {
    "root": "granite lantern orbit",
    "ana": "velvet compass river",
    "otto": "amber tide falcon",
}
ROLES = {"root": "admin", "ana": "viewer", "otto": "analyst"}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def store(initialised: str) -> str:
    with session_scope(initialised) as session:
        for name, password in PASSWORDS.items():
            add_user(session, name, role=ROLES[name], password=password, actor="test")
    return initialised


def client(url: str, **settings: object) -> TestClient:
    web = WebSettings(url, "test-secret-key", **settings)  # type: ignore[arg-type]
    return TestClient(create_app(web), follow_redirects=False)


def login(c: TestClient, name: str, password: str | None = None) -> str:
    """Log in through the form, as a browser does; returns the session's CSRF token."""
    page = c.get("/login")
    token = CSRF_FIELD.search(page.text)
    assert page.status_code == 200 and token
    response = c.post(
        "/login",
        data={"username": name, "password": password or PASSWORDS[name], "csrf_token": token[1]},
    )
    assert response.status_code == 303, response.text
    csrf: str = c.get("/session").json()["csrf_token"]
    return csrf


def audit_rows(url: str, action: str | None = None) -> list[AuditLogRow]:
    with session_scope(url) as session:
        query = select(AuditLogRow).order_by(AuditLogRow.id)
        if action:
            query = query.where(AuditLogRow.action == action)
        return list(session.scalars(query))


def user_row(url: str, name: str) -> UserRow:
    with session_scope(url) as session:
        row = session.scalars(select(UserRow).where(UserRow.username == name)).one()
        session.expunge(row)
        return row


def session_data(c: TestClient) -> dict[str, object]:
    payload = c.cookies["treatywatch_session"].split(".")[0]
    data: dict[str, object] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def test_login_sets_a_safe_cookie_and_logout_clears_the_session(store: str) -> None:
    c = client(store)
    anonymous = c.get("/session").json()
    assert anonymous["authenticated"] is False
    before_login = anonymous["csrf_token"]
    page = c.get("/login?next=/account")
    token = CSRF_FIELD.search(page.text)
    assert token and 'name="password"' in page.text
    response = c.post(
        "/login",
        data={
            "username": "ANA",  # usernames are case-insensitive
            "password": PASSWORDS["ana"],
            "csrf_token": token[1],
            "next": "/account",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert set(session_data(c)) == {"user", "csrf"}  # only the username and the CSRF token
    assert PASSWORDS["ana"] not in json.dumps(session_data(c))
    who = c.get("/session").json()
    assert who["username"] == "ana" and who["role"] == "viewer" and who["via"] == "session"
    assert who["csrf_token"] != before_login  # rotated on login
    assert c.get("/account?format=json").json()["account"]["username"] == "ana"

    assert c.post("/logout", data={"csrf_token": who["csrf_token"]}).status_code == 303
    assert c.get("/session").json()["authenticated"] is False
    assert c.get("/account?format=json").status_code == 401


def test_login_only_redirects_to_this_site(store: str) -> None:
    c = client(store)
    token = CSRF_FIELD.search(c.get("/login").text)
    assert token
    response = c.post(
        "/login",
        data={
            "username": "ana",
            "password": PASSWORDS["ana"],
            "csrf_token": token[1],
            "next": "//evil.example/phish",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_secure_cookies_when_configured(store: str) -> None:
    c = client(store, secure_cookies=True)
    c.base_url = c.base_url.copy_with(scheme="https")
    token = CSRF_FIELD.search(c.get("/login").text)
    assert token
    response = c.post(
        "/login", data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token[1]}
    )
    assert response.status_code == 303 and "secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("name", "password"), [("ana", "wrong password!"), ("nobody", "velvet compass river")]
)
def test_wrong_credentials_are_refused_alike(store: str, name: str, password: str) -> None:
    c = client(store)
    token = CSRF_FIELD.search(c.get("/login").text)
    assert token
    response = c.post(
        "/login", data={"username": name, "password": password, "csrf_token": token[1]}
    )
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert c.get("/session").json()["authenticated"] is False
    json_reply = c.post(
        "/login?format=json", data={"username": name, "password": password, "csrf_token": token[1]}
    )
    assert json_reply.status_code == 401 and json_reply.json()["error"]


def test_failed_logins_are_throttled_per_username_and_per_client(store: str) -> None:
    c = client(store, login_attempts_per_minute=3)
    token = CSRF_FIELD.search(c.get("/login").text)
    assert token

    def attempt(name: str, password: str) -> int:
        form = {"username": name, "password": password, "csrf_token": token[1]}
        return c.post("/login", data=form).status_code

    assert [attempt("ana", "not it at all") for _ in range(3)] == [401, 401, 401]
    response = c.post(
        "/login", data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token[1]}
    )
    assert response.status_code == 429  # even the right password waits
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert c.get("/session").json()["authenticated"] is False

    other = client(store, login_attempts_per_minute=3)  # a fresh app: fresh counters
    token2 = CSRF_FIELD.search(other.get("/login").text)
    assert token2
    codes = [
        other.post(
            "/login", data={"username": n, "password": "nope nope nope", "csrf_token": token2[1]}
        ).status_code
        for n in ("x1", "x2", "x3", "x4")
    ]
    assert codes == [401, 401, 401, 429]  # one client, many usernames


def test_login_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = LoginLimiter(2, window=60, clock=lambda: now[0])
    keys = ["user:ana", "ip:1.2.3.4"]
    limiter.failed(keys)
    limiter.failed(keys)
    assert limiter.retry_after(keys) == 60
    now[0] += 30
    assert limiter.retry_after(["ip:1.2.3.4"]) == 30
    assert limiter.retry_after(["user:otto"]) is None
    now[0] += 30.5
    assert limiter.retry_after(keys) is None
    limiter.failed(keys)
    limiter.succeeded("user:ana")
    assert limiter.retry_after(["user:ana"]) is None


def test_csrf_rejects_forged_posts_and_accepts_the_token(store: str) -> None:
    c = client(store)
    csrf = login(c, "ana")
    issued = len(audit_rows(store, "user.token.issue"))
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": ""}):
        response = c.post("/account/token", headers=headers)
        assert response.status_code == 403 and "CSRF" in response.text
    forged_form = c.post("/account/token", data={"csrf_token": csrf[:-2] + "xx"})
    assert forged_form.status_code == 403
    assert user_row(store, "ana").api_token_hash is None
    assert len(audit_rows(store, "user.token.issue")) == issued

    by_header = c.post(
        "/account/token", headers={"X-CSRF-Token": csrf, "Accept": "application/json"}
    )
    assert by_header.status_code == 200 and by_header.json()["token"]
    by_form = c.post("/account/token", data={"csrf_token": csrf})
    assert by_form.status_code == 200 and "shown only this once" in by_form.text
    assert by_form.headers["cache-control"] == "no-store"
    assert len(audit_rows(store, "user.token.issue")) == issued + 2


def test_login_form_needs_its_csrf_token(store: str) -> None:
    c = client(store)
    response = c.post("/login", data={"username": "ana", "password": PASSWORDS["ana"]})
    assert response.status_code == 403
    assert c.get("/session").json()["authenticated"] is False


def test_bearer_token_authenticates_and_is_exempt_from_csrf(store: str) -> None:
    with session_scope(store) as session:
        token = issue_token(session, "otto", actor="test")
    c = client(store)
    bearer = {"Authorization": f"Bearer {token}"}
    me = c.get("/account?format=json", headers=bearer)
    assert me.status_code == 200 and me.json()["account"]["username"] == "otto"
    assert me.json()["via"] == "token"
    assert "treatywatch_session" not in c.cookies or "user" not in session_data(c)
    # a state change without any CSRF token: allowed, since no cookie carries authority
    revoked = c.post("/account/token/revoke", headers={**bearer, "Accept": "application/json"})
    assert revoked.status_code == 200 and revoked.json()["account"]["has_api_token"] is False
    assert audit_rows(store, "user.token.revoke")[-1].actor == "otto"
    assert c.get("/account?format=json", headers=bearer).status_code == 401  # revoked now
    made_up = {"Authorization": "Bearer made-up", "Accept": "application/json"}
    assert c.get("/session", headers=made_up).status_code == 401
    assert user_row(store, "otto").api_token_hash is None


def test_token_is_stored_only_as_a_digest(store: str) -> None:
    with session_scope(store) as session:
        token = issue_token(session, "ana", actor="test")
    stored = user_row(store, "ana").api_token_hash
    assert stored and token not in stored and len(stored) == 64
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == 32
    assert token not in json.dumps([r.after for r in audit_rows(store)])


def test_deactivated_user_is_refused_everywhere(store: str) -> None:
    with session_scope(store) as session:
        token = issue_token(session, "ana", actor="test")
    ana = client(store)
    login(ana, "ana")
    admin = client(store)
    csrf = login(admin, "root")
    response = admin.post("/admin/users/ana/deactivate", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert user_row(store, "ana").active is False
    assert audit_rows(store, "user.deactivate")[-1].actor == "root"
    # the open session stops working at once, so does the token, so does logging in
    assert ana.get("/account?format=json").status_code == 401
    bearer = {"Authorization": f"Bearer {token}"}
    assert ana.get("/account?format=json", headers=bearer).status_code == 401
    token_field = CSRF_FIELD.search(ana.get("/login").text)
    assert token_field
    relogin = ana.post(
        "/login",
        data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token_field[1]},
    )
    assert relogin.status_code == 401


def test_role_changes_are_audited_and_admin_only(store: str) -> None:
    viewer = client(store)
    viewer_csrf = login(viewer, "ana")
    refused = viewer.post(
        "/admin/users/ana/role", data={"role": "admin", "csrf_token": viewer_csrf}
    )
    assert refused.status_code == 403 and user_row(store, "ana").role == "viewer"

    admin = client(store)
    csrf = login(admin, "root")
    done = admin.post("/admin/users/ana/role", data={"role": "analyst", "csrf_token": csrf})
    assert done.status_code == 303
    assert user_row(store, "ana").role == "analyst"
    entry = audit_rows(store, "user.role")[-1]
    assert (entry.actor, entry.entity_type, entry.entity_id) == ("root", "user", "ana")
    assert entry.before and entry.after
    assert (entry.before["role"], entry.after["role"]) == ("viewer", "analyst")
    assert "password_hash" not in json.dumps(entry.after)
    # the new role applies to the running session at once
    assert viewer.get("/session").json()["role"] == "analyst"

    bad = admin.post(
        "/admin/users/ana/role",
        data={"role": "superuser", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400 and "unknown role" in bad.json()["message"]
    missing = admin.post(
        "/admin/users/nobody/role",
        data={"role": "viewer", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert missing.status_code == 404


def test_the_last_admin_cannot_be_demoted_or_deactivated(store: str) -> None:
    admin = client(store)
    csrf = login(admin, "root")
    entries = len(audit_rows(store))
    for path, form in (("role", {"role": "viewer"}), ("deactivate", {})):
        response = admin.post(f"/admin/users/root/{path}", data={**form, "csrf_token": csrf})
        assert response.status_code == 400 and "last active admin" in response.text
    assert user_row(store, "root").role == "admin" and user_row(store, "root").active
    assert len(audit_rows(store)) == entries


def test_admin_adds_users_and_weak_passwords_are_refused(store: str) -> None:
    admin = client(store)
    csrf = login(admin, "root")
    entries = len(audit_rows(store))
    for password in ("", "short", "password123", "aaaaaaaaaaaaaa", "xx-nadia-xx-2024"):
        response = admin.post(
            "/admin/users",
            data={"username": "nadia", "role": "analyst", "password": password, "csrf_token": csrf},
        )
        assert response.status_code in (400, 422), password
    assert len(audit_rows(store)) == entries
    added = admin.post(
        "/admin/users",
        data={
            "username": "Nadia",
            "role": "analyst",
            "password": "quiet harbour morning",
            "display_name": "Nadia <b>K</b>",
            "csrf_token": csrf,
        },
    )
    assert added.status_code == 303
    assert user_row(store, "nadia").role == "analyst"
    assert audit_rows(store, "user.add")[-1].actor == "root"
    page = admin.get("/admin/users")
    assert "Nadia &lt;b&gt;K&lt;/b&gt;" in page.text and "<b>K</b>" not in page.text
    listing = admin.get("/admin/users?format=json").json()["users"]
    assert {u["username"] for u in listing} == {"root", "ana", "otto", "nadia"}
    assert all("hash" not in key for u in listing for key in u if key != "has_password")
    duplicate = admin.post(
        "/admin/users",
        data={
            "username": "nadia",
            "role": "viewer",
            "password": "quiet harbour morning",
            "csrf_token": csrf,
        },
    )
    assert duplicate.status_code == 400 and "already exists" in duplicate.text


def test_users_change_their_own_password(store: str) -> None:
    c = client(store)
    csrf = login(c, "ana")
    wrong = c.post(
        "/account/password",
        data={
            "current_password": "not mine at all",
            "new_password": "fresh meadow signal",
            "new_password_again": "fresh meadow signal",
            "csrf_token": csrf,
        },
    )
    assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    done = c.post(
        "/account/password",
        data={
            "current_password": PASSWORDS["ana"],
            "new_password": "fresh meadow signal",
            "new_password_again": "fresh meadow signal",
            "csrf_token": csrf,
        },
    )
    assert done.status_code == 303
    assert audit_rows(store, "user.password")[-1].actor == "ana"
    fresh = client(store)
    login(fresh, "ana", "fresh meadow signal")
    assert fresh.get("/session").json()["username"] == "ana"


@pytest.fixture
def audited(store: str) -> Iterator[str]:
    """A store whose audit log holds entries of several kinds, actors and days."""
    from treatywatch import audit

    with session_scope(store) as session:
        for index in range(7):
            audit.record(
                session,
                actor="robot",
                action="alignment.accept",
                entity_type="alignment",
                entity_id=str(index),
                before={"status": "suggested"},
                after={"status": "accepted"},
            )
        audit.record(
            session,
            actor="robot",
            action="case.add",
            entity_type="case",
            entity_id='=HYPERLINK("http://x")',
            after={"title": "-2+3"},
        )
    yield store


def test_audit_page_filters_and_pages_with_a_stable_cursor(audited: str) -> None:
    admin = client(audited)
    login(admin, "root")
    everything = admin.get("/admin/audit?format=json&limit=500").json()
    total = everything["count"]
    assert total >= 11 and everything["next"] is None
    seen: list[int] = []
    url = "/admin/audit?format=json&limit=3"
    while url:
        page = admin.get(url).json()
        assert page["count"] <= 3
        seen += [item["id"] for item in page["items"]]
        url = f"/admin/audit?format=json&limit=3&cursor={page['next']}" if page["next"] else ""
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == total

    accepts = admin.get("/admin/audit?format=json&action=alignment.accept").json()
    assert accepts["count"] == 7 and {i["actor"] for i in accepts["items"]} == {"robot"}
    prefix = admin.get("/admin/audit?format=json&action=user.*&limit=500").json()
    assert prefix["count"] >= 3 and all(i["action"].startswith("user.") for i in prefix["items"])
    by_entity = admin.get("/admin/audit?format=json&entity_type=alignment&entity_id=3").json()
    assert [i["entity_id"] for i in by_entity["items"]] == ["3"]
    assert admin.get("/admin/audit?format=json&actor=nobody").json()["count"] == 0
    assert admin.get("/admin/audit?format=json&until=2000-01-01").json()["count"] == 0
    assert admin.get("/admin/audit?format=json&since=2000-01-01").json()["count"] == total
    # a filtered page keeps its filters in the next link
    first = admin.get("/admin/audit?format=json&action=alignment.accept&limit=5").json()
    assert first["next_url"] and "action=alignment.accept" in first["next_url"]

    for bad in ("since=yesterday", "cursor=abc", "since=2025-02-02&until=2025-01-01"):
        response = admin.get(f"/admin/audit?format=json&{bad}")
        assert response.status_code == 400, bad
    assert admin.get("/admin/audit?limit=100000").status_code in (400, 422)
    html = admin.get("/admin/audit?action=case.add")
    assert html.status_code == 200 and "=HYPERLINK(&#34;http://x&#34;)" in html.text


def test_audit_export_as_csv_and_json(audited: str) -> None:
    import csv
    import io

    admin = client(audited)
    login(admin, "root")
    total = admin.get("/admin/audit?format=json&limit=500").json()["count"]
    as_json = admin.get("/admin/audit/export?format=json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    entries = as_json.json()
    assert len(entries) == total and [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    as_csv = admin.get("/admin/audit/export?format=csv&entity_type=case")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert as_csv.headers["content-type"].startswith("text/csv") and len(rows) == 1
    assert rows[0]["entity_id"].startswith("'=")  # a spreadsheet will not run it
    assert json.loads(rows[0]["after"]) == {"title": "-2+3"}
    assert admin.get("/admin/audit/export?format=xml").status_code in (400, 422)
    assert admin.get("/admin/audit/export?since=nope").status_code == 400


def test_audit_and_user_pages_are_admin_only(store: str) -> None:
    analyst = client(store)
    login(analyst, "otto")
    for path in ("/admin/audit?format=json", "/admin/audit/export", "/admin/users?format=json"):
        assert analyst.get(path).status_code == 403
    assert client(store).get("/admin/audit?format=json").status_code == 401
