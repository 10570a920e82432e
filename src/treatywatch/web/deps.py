"""Request-scoped dependencies: settings, a store session, the caller, access checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from fastapi import HTTPException, Request
from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from treatywatch.store import session_scope
from treatywatch.store.models import UserRow
from treatywatch.web.access import ANONYMOUS, RULES, Principal, permitted
from treatywatch.web.settings import WebSettings

SESSION_USER = "user"


def web_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.web
    return settings


def db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed on success, rolled back on any error."""
    with session_scope(web_settings(request).database_url) as session:
        yield session


def token_digest(token: str) -> str:
    """API tokens are stored as SHA-256 digests: high-entropy random strings need no
    slow hash, and a leaked table must not reveal usable tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lookup(request: Request) -> Principal:
    settings = web_settings(request)
    header = request.headers.get("authorization", "")
    username = request.session.get(SESSION_USER) if "session" in request.scope else None
    if not username and not header.lower().startswith("bearer "):
        return ANONYMOUS  # nothing to look up: no store round trip for anonymous readers
    with session_scope(settings.database_url) as session:
        if header.lower().startswith("bearer "):
            digest = token_digest(header[7:].strip())
            user = session.scalars(
                select(UserRow).where(UserRow.api_token_hash == digest, UserRow.active)
            ).first()
            if user is None:
                raise HTTPException(401, "invalid API token", {"WWW-Authenticate": "Bearer"})
            return Principal(user.username, user.role, "token")
        if username:
            user = session.scalars(
                select(UserRow).where(UserRow.username == username, UserRow.active)
            ).first()
            if user is not None:
                return Principal(user.username, user.role, "session")
    return ANONYMOUS


def principal(request: Request) -> Principal:
    """The caller, resolved once per request (session cookie or bearer token)."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    who = _lookup(request)
    request.state.principal = who
    return who


def route_template(request: Request) -> str:
    """Full path template of the matched route, router prefixes included.

    FastAPI puts the original, un-prefixed route object in ``scope["route"]``
    for routers included with a prefix, so its ``path`` alone would miss the
    ``/api/v1`` rules; the app's route contexts map it to the full template.
    """
    route = request.scope.get("route")
    fallback = getattr(route, "path", request.url.path)
    paths: dict[int, str] | None = getattr(request.app.state, "route_templates", None)
    if paths is None or id(route) not in paths:
        paths = {
            id(context.original_route): context.path
            for context in iter_route_contexts(request.app.routes)
            if context.path
        }
        request.app.state.route_templates = paths
    return paths.get(id(route), fallback)


def _needs_lookup(request: Request) -> bool:
    """Whether the caller presents credentials to look up (a bearer token or a session)."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return True
    return "session" in request.scope and bool(request.session.get(SESSION_USER))


async def enforce_access(request: Request) -> None:
    """Global dependency: the route's rule in :data:`RULES` decides, default deny.

    Async so an anonymous read costs no trip through the thread pool; the user
    lookup, which reads the store, runs there only when there is someone to look up.
    """
    path = route_template(request)
    level = RULES.get((request.method.upper(), path))
    if level is None and request.method.upper() == "HEAD":
        level = RULES.get(("GET", path))
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        who = cached
    elif _needs_lookup(request):
        who = await run_in_threadpool(principal, request)
    else:
        who = request.state.principal = ANONYMOUS
    if permitted(level, who, anonymous_read=web_settings(request).anonymous_read):
        return
    if level is None:
        raise HTTPException(403, "this route has no access rule")
    if not who.authenticated:
        raise HTTPException(401, "log in to see this page", {"WWW-Authenticate": "Bearer"})
    raise HTTPException(403, f"your role ({who.role}) cannot do this; it needs {level}")
