"""Small pieces every API router uses: the prefix, access rules, the caller's role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from treatywatch.web.access import Principal, allow
from treatywatch.web.api.errors import ERROR_RESPONSES
from treatywatch.web.deps import db, principal, web_settings

MAX_ID = 2**31 - 1
"""Largest row id (PostgreSQL INTEGER); larger numbers cannot name a row and are a 422
rather than a database overflow."""
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id of the row.")]

PREFIX = "/api/v1"
"""Where ``create_app`` mounts the API; access rules name the full path."""

DB = Annotated[Session, Depends(db, scope="function")]
Caller = Annotated[Principal, Depends(principal)]
RESPONSES: dict[int | str, dict[str, Any]] = ERROR_RESPONSES


def rule(level: str, method: str, path: str) -> None:
    """Register the access rule of an API route (``path`` relative to the prefix)."""
    allow(level, method, PREFIX + path)


def role_of(who: Principal) -> str:
    """The role whose view of the data the caller gets; anonymous readers see a viewer's."""
    return who.role if who.authenticated and who.role else "viewer"


def actor_of(who: Principal) -> str:
    """The name written to the audit log for the caller's writes."""
    assert who.username is not None, "write routes are analyst-only, so a user is logged in"
    return who.username


def store_url(request: Request) -> str:
    """The store URL, for domain services that open their own transaction (reviews)."""
    return web_settings(request).database_url


StoreUrl = Annotated[str, Depends(store_url)]
