"""The web app's frame: health, security headers, default-deny access rules."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient

from treatywatch.web.access import ANONYMOUS, Principal, permitted
from treatywatch.web.app import create_app
from treatywatch.web.settings import WebSettings


def _app(url: str, anonymous_read: bool = True) -> TestClient:
    return TestClient(create_app(WebSettings(url, "test-secret", anonymous_read=anonymous_read)))


def test_health_is_open_and_carries_security_headers(initialised: str) -> None:
    response = _app(initialised, anonymous_read=False).get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_a_route_without_an_access_rule_is_refused(initialised: str) -> None:
    app = create_app(WebSettings(initialised, "test-secret"))
    extra = APIRouter()

    @extra.get("/unruled")
    def unruled() -> dict[str, str]:
        return {"leak": "yes"}

    app.include_router(extra)
    response = TestClient(app).get("/unruled")
    assert response.status_code == 403 and "leak" not in response.text


def test_levels_order_roles() -> None:
    analyst = Principal("ana", "analyst", "session")
    assert permitted("public", ANONYMOUS, anonymous_read=True)
    assert not permitted("public", ANONYMOUS, anonymous_read=False)
    assert permitted("viewer", analyst, anonymous_read=False)
    assert not permitted("admin", analyst, anonymous_read=True)
    assert not permitted(None, Principal("root", "admin"), anonymous_read=True)
