"""Admin pages for accounts: list, add, change role, (de)activate, reset password, tokens.

Every change goes through :mod:`treatywatch.web.auth.users`, which checks
it and writes the audit entry with the admin as actor. A refused change
(weak password, last admin, unknown role) re-renders the page with the
reason and leaves the store untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError
from treatywatch.store.models import ROLES
from treatywatch.web.access import allow
from treatywatch.web.auth.common import Db, actor
from treatywatch.web.auth.users import (
    add_user,
    issue_token,
    list_users,
    revoke_token,
    set_active,
    set_password,
    set_role,
)
from treatywatch.web.ui.render import UiRoute, page, wants_json

router = APIRouter(route_class=UiRoute, tags=["admin"])
TEMPLATE = "auth/admin_users.html.j2"
BASE = "/admin/users"
NOTICES = {
    "added": "Account {user} added.",
    "role": "Role of {user} changed.",
    "deactivated": "Account {user} deactivated: its sessions and API token stop working now.",
    "activated": "Account {user} reactivated.",
    "password": "Password of {user} reset.",
    "revoked": "API token of {user} revoked.",
}


def _users_page(
    request: Request,
    session: Session,
    *,
    notice: str | None = None,
    error: str | None = None,
    new_token: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    data: dict[str, Any] = {
        "users": list_users(session),
        "roles": list(ROLES),
        "notice": notice,
        "error": error,
    }
    if new_token:
        data["token"] = new_token
    return page(request, TEMPLATE, data, title="Accounts", status_code=status_code)


def _refused(request: Request, session: Session, exc: TreatywatchError) -> Response:
    session.rollback()
    status = 404 if "unknown" in type(exc).__name__.lower() else 400
    if wants_json(request):
        return JSONResponse(exc.to_dict(), status_code=status)
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return _users_page(request, session, error=message, status_code=status)


def _apply(
    request: Request,
    session: Session,
    change: Callable[[], dict[str, Any]],
    done: str,
    *,
    created: bool = False,
) -> Response:
    """Run one change; on a refusal roll back and show why, on success show the result."""
    try:
        record = change()
    except TreatywatchError as exc:
        return _refused(request, session, exc)
    if wants_json(request):
        return JSONResponse({"user": record, "changed": done}, status_code=201 if created else 200)
    return RedirectResponse(f"{BASE}?done={done}&user={record['username']}", status_code=303)


@router.get(BASE, summary="All accounts (add ?format=json for JSON)")
def users_page(
    request: Request, session: Db, done: str | None = None, user: str | None = None
) -> Response:
    notice = NOTICES.get(done or "")
    return _users_page(request, session, notice=notice.format(user=user or "") if notice else None)


allow("admin", "GET", BASE)


@router.post(BASE, summary="Add an account", status_code=201)
def users_add(
    request: Request,
    session: Db,
    username: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=2048)],
    display_name: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    by = actor(request)
    return _apply(
        request,
        session,
        lambda: add_user(
            session, username, role=role, password=password, display_name=display_name, actor=by
        ),
        "added",
        created=True,
    )


allow("admin", "POST", BASE)


@router.post(BASE + "/{username}/role", summary="Change an account's role")
def users_role(
    request: Request, session: Db, username: str, role: Annotated[str, Form(max_length=20)]
) -> Response:
    by = actor(request)
    return _apply(request, session, lambda: set_role(session, username, role, actor=by), "role")


allow("admin", "POST", BASE + "/{username}/role")


@router.post(BASE + "/{username}/deactivate", summary="Deactivate an account")
def users_deactivate(request: Request, session: Db, username: str) -> Response:
    by = actor(request)
    change = lambda: set_active(session, username, False, actor=by)  # noqa: E731
    return _apply(request, session, change, "deactivated")


allow("admin", "POST", BASE + "/{username}/deactivate")


@router.post(BASE + "/{username}/activate", summary="Reactivate an account")
def users_activate(request: Request, session: Db, username: str) -> Response:
    by = actor(request)
    change = lambda: set_active(session, username, True, actor=by)  # noqa: E731
    return _apply(request, session, change, "activated")


allow("admin", "POST", BASE + "/{username}/activate")


@router.post(BASE + "/{username}/password", summary="Reset an account's password")
def users_password(
    request: Request,
    session: Db,
    username: str,
    password: Annotated[str, Form(max_length=2048)],
) -> Response:
    by = actor(request)
    change = lambda: set_password(session, username, password, actor=by)  # noqa: E731
    return _apply(request, session, change, "password")


allow("admin", "POST", BASE + "/{username}/password")


@router.post(
    BASE + "/{username}/token",
    summary="Issue a new API token for an account (e.g. a script's); shown once",
)
def users_token(request: Request, session: Db, username: str) -> Response:
    by = actor(request)
    try:
        token = issue_token(session, username, actor=by)
    except TreatywatchError as exc:
        return _refused(request, session, exc)
    if wants_json(request):
        return JSONResponse(
            {"username": username.strip().lower(), "token": token},
            headers={"Cache-Control": "no-store"},
        )
    response = _users_page(
        request, session, new_token={"username": username.strip().lower(), "token": token}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


allow("admin", "POST", BASE + "/{username}/token")


@router.post(BASE + "/{username}/token/revoke", summary="Revoke an account's API token")
def users_token_revoke(request: Request, session: Db, username: str) -> Response:
    by = actor(request)
    return _apply(request, session, lambda: revoke_token(session, username, actor=by), "revoked")


allow("admin", "POST", BASE + "/{username}/token/revoke")
