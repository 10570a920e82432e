"""Who may call which route: one table, checked for every request.

Every route of the app must have a rule here; a route without one is
refused (403) and fails the test that walks ``app.routes``, so adding an
endpoint forces a decision about who may use it.

Levels, lowest first:

- ``open``: anyone, always (login page, health, static assets, API docs);
- ``public``: anyone when anonymous read is on, else any logged-in user;
- ``viewer`` / ``analyst`` / ``admin``: a logged-in user with at least that role.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("open", "public", "viewer", "analyst", "admin")
ROLE_RANK = {"viewer": 1, "analyst": 2, "admin": 3}
LEVEL_RANK = {"viewer": 1, "analyst": 2, "admin": 3}

RULES: dict[tuple[str, str], str] = {
    ("GET", "/health"): "open",
    ("GET", "/health/ready"): "open",
}
"""(HTTP method, route path template) → level. Routers add their rules with
:func:`allow` at import time, next to the route they protect."""


def allow(level: str, method: str, path: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}")
    RULES[(method.upper(), path)] = level


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user (with role) or nobody (``username`` None)."""

    username: str | None
    role: str | None = None
    via: str = "anonymous"  # "session", "token" or "anonymous"

    @property
    def authenticated(self) -> bool:
        return self.username is not None


ANONYMOUS = Principal(None)


def permitted(level: str | None, who: Principal, *, anonymous_read: bool) -> bool:
    """Whether ``who`` may use a route of ``level`` (None: no rule, never)."""
    if level is None:
        return False
    if level == "open":
        return True
    if level == "public":
        return anonymous_read or who.authenticated
    if not who.authenticated or who.role is None:
        return False
    return ROLE_RANK.get(who.role, 0) >= LEVEL_RANK[level]
