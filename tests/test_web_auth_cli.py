"""``treatywatch users`` and ``treatywatch serve`` through the real entry point."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from treatywatch.store import session_scope
from treatywatch.store.migrate import current_revision
from treatywatch.store.models import AuditLogRow
from treatywatch.web.app import create_app
from treatywatch.web.settings import WebSettings

GOOD = "sturdy lighthouse keeper"


def feed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def audit_actions(url: str) -> list[tuple[str, str, str]]:
    with session_scope(url) as session:
        rows = session.scalars(select(AuditLogRow).order_by(AuditLogRow.id))
        return [(r.actor, r.action, r.entity_id) for r in rows]


def test_users_add_initialises_a_fresh_store(
    sqlite_url: str,
    cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("TREATYWATCH_ACTOR", "cli:tester")
    assert current_revision(sqlite_url) is None
    feed(monkeypatch, GOOD + "\n")
    result = cli("users", "add", "Root", "--role", "admin", "--password-stdin", "--json")
    assert result.code == 0, result.err
    assert result.json() == {**result.json(), "username": "root", "role": "admin", "active": True}
    assert current_revision(sqlite_url) is not None
    listed = cli("users", "list", "--json").json()
    assert [u["username"] for u in listed] == ["root"]
    assert all("hash" not in key for key in listed[0] if key != "has_password")
    assert ("cli:tester", "user.add", "root") in audit_actions(sqlite_url)
    # the password works for logging in to the web app
    web = TestClient(create_app(WebSettings(sqlite_url, "k")), follow_redirects=False)
    token = web.get("/session").json()["csrf_token"]
    response = web.post("/login", data={"username": "root", "password": GOOD, "csrf_token": token})
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("short1", "too short"),
        ("password123", "most common"),
        ("zzzzzzzzzzzz", "too few different"),
        ("my-ana-password", "contains the username"),
    ],
)
def test_users_add_refuses_weak_passwords(
    sqlite_url: str,
    cli,
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    feed(monkeypatch, password + "\n")
    result = cli("users", "add", "ana", "--role", "viewer", "--password-stdin")
    assert result.code != 0
    assert message in result.err and "hint" in result.err
    assert "Traceback" not in result.err
    if current_revision(sqlite_url) is not None:
        assert cli("users", "list", "--json").json() == []


def test_users_add_without_a_password_source_explains_itself(
    sqlite_url: str,
    cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    feed(monkeypatch, "")  # not a terminal, and no --password-stdin
    result = cli("users", "add", "ana", "--json")
    assert result.code != 0 and result.json()["message"] == "no password given"


def test_users_commands_change_roles_tokens_and_state(
    initialised: str,
    cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("TREATYWATCH_ACTOR", "cli:tester")
    for name, role in (("root", "admin"), ("ana", "viewer")):
        feed(monkeypatch, GOOD + "\n")
        assert cli("users", "add", name, "--role", role, "--password-stdin").code == 0
    feed(monkeypatch, GOOD + "\n")
    duplicate = cli("users", "add", "ana", "--password-stdin")
    assert duplicate.code != 0 and "already exists" in duplicate.err
    bad_role = cli("users", "add", "bob", "--role", "boss", "--password-stdin")
    assert bad_role.code != 0 and "unknown role" in bad_role.err

    assert cli("users", "set-role", "ana", "analyst", "--json").json()["role"] == "analyst"
    unknown = cli("users", "set-role", "anna", "viewer")
    assert unknown.code != 0 and "did you mean: ana" in unknown.err
    last_admin = cli("users", "set-role", "root", "viewer")
    assert last_admin.code != 0 and "last active admin" in last_admin.err

    printed = cli("users", "token", "ana")
    assert printed.code == 0
    token = printed.out.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    web = TestClient(create_app(WebSettings(initialised, "k")))
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    me = web.get("/session", headers=bearer).json()
    assert (me["username"], me["role"], me["via"]) == ("ana", "analyst", "token")

    assert cli("users", "deactivate", "ana").code == 0
    assert web.get("/session", headers=bearer).status_code == 401
    listed = {u["username"]: u for u in cli("users", "list", "--json").json()}
    assert listed["ana"]["active"] is False and listed["ana"]["has_api_token"] is True
    csv_out = cli("users", "list", "--format", "csv").out
    assert csv_out.splitlines()[0].startswith("username,")

    actions = [a for a in audit_actions(initialised) if a[0] == "cli:tester"]
    assert [a[1] for a in actions] == [
        "user.add",
        "user.add",
        "user.role",
        "user.token.issue",
        "user.deactivate",
    ]


def test_serve_answers_health_on_loopback(initialised: str, tmp_path: Path) -> None:
    """A real uvicorn in a subprocess, on a port the OS picks; stopped at the end."""
    env = {
        **os.environ,
        "TREATYWATCH_DATABASE_URL": initialised,
        "TREATYWATCH_DATA_DIR": str(tmp_path / "data"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "treatywatch.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-anonymous-read",
    ]
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            port = None
            deadline = time.monotonic() + 60
            while port is None and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                found = re.search(r"running on http://127\.0\.0\.1:(\d+)", log.read_text())
                port = int(found[1]) if found else None
                time.sleep(0.2)
            assert port, log.read_text()
            base = f"http://127.0.0.1:{port}"
            health = httpx.get(f"{base}/health", timeout=10)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            assert "server" not in health.headers
            session = httpx.get(f"{base}/session", headers={"Accept": "application/json"})
            assert session.json()["anonymous_read"] is False
            assert (tmp_path / "data" / "web-secret-key").is_file()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert process.returncode is not None


def test_serve_refuses_an_uninitialised_store(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("serve", "--port", "0")
    assert result.code != 0 and "treatywatch init" in result.err
