"""Who may call what: generated from the app's own route table.

Every route must have a rule in ``treatywatch.web.access.RULES``, and for
every route, every role (anonymous, viewer, analyst, admin) and both
anonymous-read settings, the app must let through exactly who the rule
allows and refuse the rest with 401 (not logged in) or 403 (role too
low). A route added without a rule, or with the wrong one, fails here.

Callers authenticate with API tokens, so CSRF does not blur the picture;
a fresh token is issued before each request, because some routes (token
rotation) replace the caller's token.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.convertors import FloatConvertor, IntegerConvertor, UUIDConvertor
from starlette.routing import Mount

from treatywatch.store import session_scope
from treatywatch.web.access import ANONYMOUS, RULES, Principal, permitted
from treatywatch.web.app import create_app
from treatywatch.web.auth.users import add_user, issue_token
from treatywatch.web.settings import WebSettings

ROLES = ("viewer", "analyst", "admin")
ACCESS_DENIALS = ("log in to see this page", "cannot do this; it needs", "has no access rule")
UNGATED_PATHS = {"/openapi.json"}
"""Plain (non-API) routes FastAPI adds itself; they bypass the access dependency."""
UNGATED_MOUNTS = {"/static"}
"""Mounted static files: vendored assets, served to anyone."""
MISSING = "zz-missing"


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    url: str


def _example_url(path_format: str, convertors: dict[str, object]) -> str:
    values = {}
    for name, convertor in convertors.items():
        if isinstance(convertor, IntegerConvertor):
            values[name] = "999999"
        elif isinstance(convertor, FloatConvertor):
            values[name] = "1.5"
        elif isinstance(convertor, UUIDConvertor):
            values[name] = str(uuid.UUID(int=1))
        else:
            values[name] = MISSING
    return path_format.format(**values)


@dataclass(frozen=True)
class Endpoint:
    """A route as the app serves it: full path (router prefixes included) and methods."""

    path: str
    path_format: str
    methods: frozenset[str]
    convertors: dict[str, object]
    kind: str  # "api" (behind the access dependency), "mount" or "plain"


def _endpoints() -> list[Endpoint]:
    app = create_app(WebSettings("sqlite://", "k"))
    found = []
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        kind = (
            "api"
            if isinstance(original, APIRoute)
            else "mount"
            if isinstance(original, Mount)
            else "plain"
        )
        found.append(
            Endpoint(
                path=context.path or "",
                path_format=context.path_format or context.path or "",
                methods=frozenset(context.methods or ()),
                convertors=dict(getattr(context, "param_convertors", None) or {}),
                kind=kind,
            )
        )
    return found


ENDPOINTS = _endpoints()


def _calls() -> list[Call]:
    return [
        Call(method, e.path, _example_url(e.path_format, e.convertors))
        for e in ENDPOINTS
        if e.kind == "api"
        for method in sorted(e.methods)
    ]


CALLS = _calls()


def test_every_route_has_an_access_rule() -> None:
    missing = []
    for endpoint in ENDPOINTS:
        if endpoint.kind == "api":
            missing += [
                f"{m} {endpoint.path}" for m in endpoint.methods if (m, endpoint.path) not in RULES
            ]
        elif endpoint.kind == "mount":
            assert endpoint.path in UNGATED_MOUNTS, f"unexpected mount {endpoint.path}"
        else:
            assert endpoint.path in UNGATED_PATHS, (
                f"{endpoint.path} is a plain route: the access dependency does not run on it; "
                "define it on an APIRouter with an access rule"
            )
    assert not missing, (
        "routes without an access rule (call access.allow next to them): " + ", ".join(missing)
    )
    assert len(CALLS) > 10  # the walk found the app's routes


@pytest.fixture(scope="module")
def matrix_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One store with a user per role (module scope: hashing passwords is slow on purpose)."""
    from treatywatch.store import init_store
    from treatywatch.store.db import dispose_engines

    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'store.db'}"
    init_store(url)
    with session_scope(url) as session:
        for role in ROLES:
            add_user(
                session,
                f"matrix-{role}",
                role=role,
                password=f"{role} passphrase long",
                actor="test",
            )
    yield url
    dispose_engines()


@pytest.fixture(scope="module")
def clients(matrix_store: str) -> dict[bool, TestClient]:
    return {
        flag: TestClient(
            create_app(WebSettings(matrix_store, "k", anonymous_read=flag)),
            follow_redirects=False,
            raise_server_exceptions=False,
        )
        for flag in (True, False)
    }


def _headers(url: str, role: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if role is not None:
        with session_scope(url) as session:
            token = issue_token(session, f"matrix-{role}", actor="test")
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _is_access_denial(status: int, body: str) -> bool:
    return status in (401, 403) and any(text in body for text in ACCESS_DENIALS)


@pytest.mark.parametrize("call", CALLS, ids=[f"{c.method} {c.template}" for c in CALLS])
def test_route_lets_in_exactly_the_roles_its_rule_allows(
    call: Call, matrix_store: str, clients: dict[bool, TestClient]
) -> None:
    level = RULES.get((call.method, call.template))
    assert level is not None, f"{call.method} {call.template} has no access rule"
    for anonymous_read, client in clients.items():
        for role in (None, *ROLES):
            who = ANONYMOUS if role is None else Principal(f"matrix-{role}", role, "token")
            allowed = permitted(level, who, anonymous_read=anonymous_read)
            response = client.request(call.method, call.url, headers=_headers(matrix_store, role))
            context = (
                f"{call.method} {call.url} as {role or 'anonymous'} "
                f"(anonymous read {anonymous_read}, rule {level})"
            )
            assert response.status_code < 500, f"{context}: server error {response.status_code}"
            if allowed:
                assert not _is_access_denial(response.status_code, response.text), (
                    f"{context}: refused ({response.status_code}) but the rule allows it"
                )
            else:
                expected = 401 if role is None else 403
                assert response.status_code == expected, (
                    f"{context}: expected {expected}, got {response.status_code}"
                )


UNSAFE = [c for c in CALLS if c.method in ("POST", "PUT", "PATCH", "DELETE")]


def test_every_state_changing_route_needs_the_csrf_token_with_a_session(
    matrix_store: str, clients: dict[bool, TestClient]
) -> None:
    """With the session cookie of an admin (allowed everywhere) but no CSRF token, every
    unsafe route is refused before its handler runs: CSRF is app-wide, not per route."""
    assert UNSAFE, "the walk found no state-changing route"
    client = clients[True]
    client.cookies.clear()
    csrf = client.get("/session").json()["csrf_token"]
    login = client.post(
        "/login",
        data={"username": "matrix-admin", "password": "admin passphrase long", "csrf_token": csrf},
    )
    assert login.status_code == 303
    assert client.get("/session").json()["username"] == "matrix-admin"
    try:
        for call in UNSAFE:
            for headers in ({}, {"X-CSRF-Token": "not-the-token"}):
                response = client.request(
                    call.method, call.url, headers={"Accept": "application/json", **headers}
                )
                assert response.status_code == 403 and "CSRF" in response.text, (
                    f"{call.method} {call.url} with a session and no valid CSRF token: "
                    f"{response.status_code}"
                )
        assert client.get("/session").json()["username"] == "matrix-admin"  # nothing ran
    finally:
        client.cookies.clear()
