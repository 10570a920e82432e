"""``treatywatch serve`` and ``treatywatch users``: run the web app, manage accounts.

``users`` works on the command line without the server, so the first admin
can be created on a fresh install (``users add`` initialises the store if
needed). Every change is audit-logged with ``cli:<login>`` (or
``TREATYWATCH_ACTOR``) as actor, like other CLI writes.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from treatywatch.errors import TreatywatchError
from treatywatch.ledger.importer import default_actor
from treatywatch.output import Format, console, emit_records, err_console, print_json
from treatywatch.store import ensure_current, init_store, session_scope
from treatywatch.store.migrate import current_revision
from treatywatch.store.models import ROLES
from treatywatch.web.settings import WebSettings

if TYPE_CHECKING:
    from types import ModuleType

users_app = typer.Typer(
    help="Accounts of the web UI and API: add, list, roles, tokens.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
NameArg = Annotated[str, typer.Argument(help="Username, e.g. ana.")]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]
USER_COLUMNS = [
    ("username", "username"),
    ("display_name", "name"),
    ("role", "role"),
    ("active", "active"),
    ("has_api_token", "API token"),
    ("created_at", "created"),
]
ROLE_HELP = f"One of: {', '.join(ROLES)}."


def _accounts() -> ModuleType:
    """The account service, imported on use: it pulls in the web app, which other
    commands should not pay for at start-up."""
    from treatywatch.web.auth import users

    return users


def _read_password(from_stdin: bool) -> str:
    """The new password from stdin (scripts) or a hidden, confirmed prompt (people)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise TreatywatchError(
            "no password given",
            hint="pipe it in with --password-stdin, e.g. "
            "`printf '%s\\n' \"$PW\" | treatywatch users add ana --role analyst --password-stdin`",
        )
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def _prepare_store() -> None:
    """Create the store on first use, so the first admin can be added right after install."""
    if current_revision() is None:
        init_store()
    else:
        ensure_current()


def users_add(
    username: NameArg,
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = "viewer",
    display_name: Annotated[str | None, typer.Option(help="Full name shown in the UI.")] = None,
    password_stdin: PasswordStdinOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Add an account (initialises the store if it does not exist yet)."""
    accounts = _accounts()
    name = accounts.normalise_username(username)
    accounts.check_role(role)
    password = _read_password(password_stdin)
    accounts.check_strength(password, username=name)
    _prepare_store()
    with session_scope() as session:
        record = accounts.add_user(
            session,
            name,
            role=role,
            password=password,
            display_name=display_name,
            actor=default_actor(),
        )
    if as_json:
        print_json(record)
        return
    console.print(f"Added [bold]{escape(record['username'])}[/] as {record['role']}.")


def users_list(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List accounts (never shows password or token hashes)."""
    accounts = _accounts()
    ensure_current()
    with session_scope() as session:
        records = accounts.list_users(session)
    if not records and not as_json and fmt is Format.TABLE:
        console.print("No accounts yet. Add one with `treatywatch users add NAME --role admin`.")
        return
    emit_records(records, USER_COLUMNS, Format.JSON if as_json else fmt, title="Accounts")


def users_set_role(
    username: NameArg,
    role: Annotated[str, typer.Argument(help=ROLE_HELP)],
    as_json: JsonOpt = False,
) -> None:
    """Change an account's role (audit-logged)."""
    accounts = _accounts()
    ensure_current()
    with session_scope() as session:
        record = accounts.set_role(session, username, role, actor=default_actor())
    if as_json:
        print_json(record)
        return
    console.print(f"{escape(record['username'])} is now {record['role']}.")


def _set_active(username: str, active: bool, as_json: bool) -> None:
    accounts = _accounts()
    ensure_current()
    with session_scope() as session:
        record = accounts.set_active(session, username, active, actor=default_actor())
    if as_json:
        print_json(record)
        return
    state = "active" if record["active"] else "deactivated (its sessions and token stop working)"
    console.print(f"{escape(record['username'])} is {state}.")


def users_deactivate(username: NameArg, as_json: JsonOpt = False) -> None:
    """Deactivate an account: it can no longer log in or use its API token."""
    _set_active(username, False, as_json)


def users_activate(username: NameArg, as_json: JsonOpt = False) -> None:
    """Reactivate a deactivated account."""
    _set_active(username, True, as_json)


def users_set_password(
    username: NameArg, password_stdin: PasswordStdinOpt = False, as_json: JsonOpt = False
) -> None:
    """Set a new password for an account (e.g. a forgotten one)."""
    accounts = _accounts()
    ensure_current()
    password = _read_password(password_stdin)
    with session_scope() as session:
        record = accounts.set_password(session, username, password, actor=default_actor())
    if as_json:
        print_json(record)
        return
    console.print(f"Password of {escape(record['username'])} changed.")


def users_token(username: NameArg, as_json: JsonOpt = False) -> None:
    """Issue a new API token (replacing the old one) and print it once."""
    accounts = _accounts()
    ensure_current()
    with session_scope() as session:
        token = accounts.issue_token(session, username, actor=default_actor())
        name = accounts.get_user(session, username).username
    if as_json:
        print_json({"username": name, "token": token})
        return
    err_console.print(
        f"New API token for {escape(name)} (shown once; send it as 'Authorization: Bearer ...'):"
    )
    sys.stdout.write(token + "\n")


def users_revoke_token(username: NameArg, as_json: JsonOpt = False) -> None:
    """Revoke an account's API token."""
    accounts = _accounts()
    ensure_current()
    with session_scope() as session:
        record = accounts.revoke_token(session, username, actor=default_actor())
    if as_json:
        print_json(record)
        return
    console.print(f"API token of {escape(record['username'])} revoked.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    anonymous_read: Annotated[
        bool | None,
        typer.Option(
            "--anonymous-read/--no-anonymous-read",
            help="Let visitors read public data without logging in "
            "(default: TREATYWATCH_ANONYMOUS_READ, else on).",
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies trusted to set X-Forwarded-For/-Proto (comma-separated; see "
            "docs/deployment.md).",
        ),
    ] = "127.0.0.1",
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the web UI and REST API over the configured store."""
    import uvicorn

    ensure_current()
    if anonymous_read is not None:
        # Workers are separate processes that build the app from the environment.
        os.environ["TREATYWATCH_ANONYMOUS_READ"] = "1" if anonymous_read else "0"
    settings = WebSettings.from_env()  # creates the secret key once, before workers start
    if not _is_loopback(host) and not settings.secure_cookies:
        err_console.print(
            "[yellow]warning:[/] listening beyond this machine without secure cookies; "
            "serve behind HTTPS and set TREATYWATCH_SECURE_COOKIES=1 (docs/deployment.md)"
        )
    access = "on" if settings.anonymous_read else "off"
    shown = f"[{host}]" if ":" in host else host
    where = f"http://{shown}:{port}/" if port else f"http://{shown} on a free port (see below)"
    err_console.print(f"treatywatch serving on {where} (anonymous read {access}); Ctrl+C stops.")
    from treatywatch.web import server

    config = uvicorn.Config(
        "treatywatch.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level=log_level,
        server_header=False,
    )
    server.run(config)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    users_app.command("add")(users_add)
    users_app.command("list")(users_list)
    users_app.command("set-role")(users_set_role)
    users_app.command("deactivate")(users_deactivate)
    users_app.command("activate")(users_activate)
    users_app.command("set-password")(users_set_password)
    users_app.command("token")(users_token)
    users_app.command("revoke-token")(users_revoke_token)
