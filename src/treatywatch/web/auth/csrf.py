"""CSRF protection for everything a browser can be tricked into sending.

A per-session random token lives in the signed session cookie; every
state-changing request that could carry that cookie must echo the token,
either as the ``csrf_token`` form field (plain HTML forms) or as the
``X-CSRF-Token`` header (fetch/HTMX). Another site can make a browser send
the cookie but cannot read the token, so it cannot forge the request.

Requests authenticated with ``Authorization: Bearer`` are exempt: a
browser never attaches that header on its own (no ambient authority), so
scripts using API tokens need no CSRF dance.

:func:`csrf_protect` is installed once as a global dependency of the app,
so no route has to remember it.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from treatywatch.web.access import Principal
from treatywatch.web.deps import principal

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; templates put it in forms."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> str:
    """A fresh token (after login), so one seen before login is useless after it."""
    request.session.pop(SESSION_KEY, None)
    return csrf_token(request)


async def _sent_token(request: Request) -> str | None:
    header = request.headers.get(HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return None
    try:
        form = await request.form()
    except Exception:  # malformed body: treat as no token, never a 500
        return None
    value = form.get(FORM_FIELD)
    return value if isinstance(value, str) else None


async def csrf_protect(request: Request) -> None:
    """Global dependency: refuse an unsafe request that lacks the session's CSRF token."""
    if request.method.upper() in SAFE_METHODS:
        return
    cached = getattr(request.state, "principal", None)
    who = cached if isinstance(cached, Principal) else await run_in_threadpool(principal, request)
    if who.via == "token":
        return
    expected = request.session.get(SESSION_KEY) if "session" in request.scope else None
    sent = await _sent_token(request)
    if not isinstance(expected, str) or not expected:
        raise HTTPException(
            403, "CSRF check failed: this session has no token yet; reload the page and retry"
        )
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(
            403,
            "CSRF check failed: send the csrf_token form field or the X-CSRF-Token header "
            "(or use an API token)",
        )
