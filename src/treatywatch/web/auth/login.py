"""Logging in and out with a password; the session and CSRF token a page script needs.

A login replaces the whole session (username and a fresh CSRF token), so
nothing an attacker planted in a visitor's session before login survives
it; logout clears it. Failed attempts are throttled per username and per
client address (:mod:`treatywatch.web.auth.ratelimit`).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from treatywatch.web.access import allow
from treatywatch.web.auth.common import Db
from treatywatch.web.auth.csrf import csrf_token, rotate_csrf_token
from treatywatch.web.auth.ratelimit import LoginLimiter, login_keys
from treatywatch.web.auth.users import authenticate
from treatywatch.web.deps import SESSION_USER, principal, web_settings
from treatywatch.web.ui.render import UiRoute, page, safe_next, wants_json

router = APIRouter(route_class=UiRoute, tags=["accounts"])
_limiter_lock = threading.Lock()
LOGIN_TEMPLATE = "auth/login.html.j2"


def login_limiter(app: FastAPI, attempts_per_minute: int) -> LoginLimiter:
    """One limiter per app, made on first use (each app in a test starts fresh)."""
    with _limiter_lock:
        limiter = getattr(app.state, "login_limiter", None)
        if not isinstance(limiter, LoginLimiter):
            limiter = LoginLimiter(attempts_per_minute)
            app.state.login_limiter = limiter
        return limiter


def _login_page(
    request: Request,
    *,
    username: str = "",
    next_path: str = "/",
    error: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    who = principal(request)
    data: dict[str, Any] = {
        "logged_in_as": who.username,
        "username": username,
        "next": next_path,
        "error": error,
    }
    # The one form an anonymous visitor posts, so it carries its own token.
    return page(
        request,
        LOGIN_TEMPLATE,
        data,
        title="Log in",
        status_code=status_code,
        headers=headers,
        csrf_token=csrf_token(request),
    )


@router.get("/login", summary="The login form")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_path=safe_next(next, "/"))


allow("open", "GET", "/login")


@router.post("/login", summary="Log in with username and password (sets the session cookie)")
def login(
    request: Request,
    session: Db,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    settings = web_settings(request)
    limiter = login_limiter(request.app, settings.login_attempts_per_minute)
    target = safe_next(next, "/")
    keys = login_keys(username, request.client.host if request.client else None)
    wait = limiter.retry_after(keys)
    if wait is not None:
        return _login_page(
            request,
            username=username,
            next_path=target,
            error=f"Too many failed attempts. Try again in {wait} seconds.",
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    user = authenticate(session, username, password)
    if user is None:
        limiter.failed(keys)
        return _login_page(
            request,
            username=username,
            next_path=target,
            error="Wrong username or password (or the account is deactivated).",
            status_code=401,
        )
    limiter.succeeded(keys[0])
    request.session.clear()
    request.session[SESSION_USER] = user.username
    token = rotate_csrf_token(request)
    if wants_json(request):
        return JSONResponse(
            {"username": user.username, "role": user.role, "csrf_token": token, "next": target}
        )
    return RedirectResponse(target, status_code=303)


allow("open", "POST", "/login")


@router.post("/logout", summary="Log out (clears the session cookie)")
def logout(request: Request) -> Response:
    request.session.clear()
    if wants_json(request):
        return JSONResponse({"logged_out": True})
    return RedirectResponse("/login", status_code=303)


allow("open", "POST", "/logout")


@router.get("/session", summary="Who is logged in, and the CSRF token for scripts in pages")
def session_info(request: Request) -> dict[str, Any]:
    who = principal(request)
    return {
        "authenticated": who.authenticated,
        "username": who.username,
        "role": who.role,
        "via": who.via,
        "anonymous_read": web_settings(request).anonymous_read,
        "csrf_token": csrf_token(request),
    }


allow("open", "GET", "/session")
