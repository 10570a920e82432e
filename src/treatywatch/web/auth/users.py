"""Accounts: create, change and check users, each change audit-logged.

The web routes and the ``treatywatch users`` CLI both call these
functions with an open store session, so a change made in the browser and
one made on the command line are checked and logged the same way. Records
returned here never contain password or token hashes: they are what the
audit log, the admin page and the JSON API show.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.errors import TreatywatchError, UnknownNameError
from treatywatch.store.models import ROLES, UserRow
from treatywatch.suggest import close_matches
from treatywatch.web.auth.audit_query import utc_iso
from treatywatch.web.auth.passwords import (
    check_strength,
    hash_password,
    needs_rehash,
    verify_password,
)
from treatywatch.web.deps import token_digest

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
"""Lower-case so ``Ana`` and ``ana`` cannot be two accounts; no spaces or
slashes so a username is safe in a URL path and a CSV cell."""
TOKEN_BYTES = 32


class UserError(TreatywatchError):
    """A user-management request that cannot be carried out as asked."""


class UnknownUserError(UnknownNameError):
    kind = "user"
    fallback_hint = "list accounts with `treatywatch users list` or on /admin/users"


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise UserError(
            f"{username!r} is not a valid username",
            hint="use 2–100 characters: letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit",
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}", hint=f"choose one of: {', '.join(ROLES)}")
    return role


def user_record(row: UserRow) -> dict[str, Any]:
    """What may be shown about an account: never a hash."""
    return {
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "active": row.active,
        "has_password": row.password_hash is not None,
        "has_api_token": row.api_token_hash is not None,
        "created_at": utc_iso(row.created_at),
    }


def find_user(session: Session, username: str) -> UserRow | None:
    name = username.strip().lower()
    return session.scalars(select(UserRow).where(UserRow.username == name)).first()


def get_user(session: Session, username: str) -> UserRow:
    row = find_user(session, username)
    if row is None:
        names = session.scalars(select(UserRow.username)).all()
        raise UnknownUserError(username, close_matches(username, [(n, n) for n in names]))
    return row


def list_users(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
    return [user_record(row) for row in rows]


def _log(
    session: Session, actor: str, action: str, row: UserRow, before: dict[str, Any] | None
) -> None:
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="user",
        entity_id=row.username,
        before=before,
        after=user_record(row),
    )


def add_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str,
    actor: str,
    display_name: str | None = None,
) -> dict[str, Any]:
    name = normalise_username(username)
    check_role(role)
    if find_user(session, name) is not None:
        raise UserError(
            f"user {name!r} already exists",
            hint="pick another name, or change this account's role or password",
        )
    check_strength(password, username=name)
    row = UserRow(
        username=name,
        display_name=(display_name or "").strip() or None,
        role=role,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(row)
    _log(session, actor, "user.add", row, None)
    return user_record(row)


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(UserRow).where(UserRow.role == "admin", UserRow.active)
    return int(session.scalar(query) or 0)


def _keep_an_admin(session: Session, row: UserRow) -> None:
    """Nobody may remove the last active admin: it would lock user management out of the web."""
    if row.role == "admin" and row.active and _active_admins(session) <= 1:
        raise UserError(
            f"{row.username!r} is the last active admin",
            hint="make another account admin first",
        )


def set_role(session: Session, username: str, role: str, *, actor: str) -> dict[str, Any]:
    row = get_user(session, username)
    check_role(role)
    if row.role == role:
        return user_record(row)
    if role != "admin":
        _keep_an_admin(session, row)
    before = user_record(row)
    row.role = role
    _log(session, actor, "user.role", row, before)
    return user_record(row)


def set_active(session: Session, username: str, active: bool, *, actor: str) -> dict[str, Any]:
    """Deactivate (or reactivate) an account; its sessions and token stop working at once,
    because every request looks the user up and requires ``active``."""
    row = get_user(session, username)
    if row.active == active:
        return user_record(row)
    if not active:
        _keep_an_admin(session, row)
    before = user_record(row)
    row.active = active
    _log(session, actor, "user.activate" if active else "user.deactivate", row, before)
    return user_record(row)


def set_password(session: Session, username: str, password: str, *, actor: str) -> dict[str, Any]:
    """Set a password without the old one: for admins and the CLI."""
    row = get_user(session, username)
    check_strength(password, username=row.username)
    before = user_record(row)
    row.password_hash = hash_password(password)
    _log(session, actor, "user.password", row, before)
    return user_record(row)


def change_password(
    session: Session, username: str, current: str, new: str, *, actor: str
) -> dict[str, Any]:
    """A user changing their own password proves they know the current one first."""
    row = get_user(session, username)
    if not verify_password(row.password_hash, current):
        raise UserError("the current password is wrong", hint="type your current password again")
    if new == current:
        raise UserError("the new password is the same as the current one", hint="choose a new one")
    return set_password(session, username, new, actor=actor)


def issue_token(session: Session, username: str, *, actor: str) -> str:
    """A new API token for ``username``, replacing any previous one.

    Only its SHA-256 digest is stored, so the plain token is returned here
    once and can never be shown again.
    """
    row = get_user(session, username)
    if not row.active:
        raise UserError(
            f"user {row.username!r} is deactivated",
            hint="reactivate the account before issuing a token",
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    before = user_record(row)
    row.api_token_hash = token_digest(token)
    _log(session, actor, "user.token.issue", row, before)
    return token


def revoke_token(session: Session, username: str, *, actor: str) -> dict[str, Any]:
    row = get_user(session, username)
    if row.api_token_hash is None:
        return user_record(row)
    before = user_record(row)
    row.api_token_hash = None
    _log(session, actor, "user.token.revoke", row, before)
    return user_record(row)


def authenticate(session: Session, username: str, password: str) -> UserRow | None:
    """The active user with this username and password, else None.

    Unknown, deactivated and wrong-password cases all look the same to the
    caller (and take the same time), so a login form cannot be used to
    discover which accounts exist.
    """
    row = find_user(session, username)
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not ok or not row.active:
        return None
    if row.password_hash and needs_rehash(row.password_hash):
        before = user_record(row)
        row.password_hash = hash_password(password)
        _log(session, row.username, "user.password.rehash", row, before)
    return row
