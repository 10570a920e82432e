"""A user's own account: see it, change the password, issue or revoke an API token.

A new token is shown in the response to the request that created it and
never again (only its digest is stored), so that response is a page, not
a redirect that could land the token in a URL or browser history.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from treatywatch.errors import TreatywatchError
from treatywatch.web.access import allow
from treatywatch.web.auth.common import Db, actor
from treatywatch.web.auth.users import (
    change_password,
    get_user,
    issue_token,
    revoke_token,
    user_record,
)
from treatywatch.web.deps import principal
from treatywatch.web.ui.render import UiRoute, page, wants_json

router = APIRouter(route_class=UiRoute, tags=["accounts"])
TEMPLATE = "auth/account.html.j2"
NOTICES = {
    "password": "Your password was changed.",
    "revoked": "Your API token was revoked.",
}


def _account_page(
    request: Request,
    session: Db,
    *,
    notice: str | None = None,
    error: str | None = None,
    new_token: str | None = None,
    status_code: int = 200,
) -> Response:
    data: dict[str, Any] = {
        "account": user_record(get_user(session, actor(request))),
        "via": principal(request).via,
        "notice": notice,
        "error": error,
    }
    if new_token:
        data["token"] = new_token
    return page(request, TEMPLATE, data, title="Your account", status_code=status_code)


@router.get("/account", summary="Your account (add ?format=json for JSON)")
def account(request: Request, session: Db, done: str | None = None) -> Response:
    return _account_page(request, session, notice=NOTICES.get(done or ""))


allow("viewer", "GET", "/account")


@router.post("/account/password", summary="Change your password (needs the current one)")
def account_password(
    request: Request,
    session: Db,
    current_password: Annotated[str, Form(max_length=2048)] = "",
    new_password: Annotated[str, Form(max_length=2048)] = "",
    new_password_again: Annotated[str | None, Form(max_length=2048)] = None,
) -> Response:
    name = actor(request)
    try:
        if new_password_again is not None and new_password_again != new_password:
            raise TreatywatchError(
                "the two new passwords differ", hint="type the same new password twice"
            )
        record = change_password(session, name, current_password, new_password, actor=name)
    except TreatywatchError as exc:
        session.rollback()
        if wants_json(request):
            return JSONResponse(exc.to_dict(), status_code=400)
        message = exc.message + (f" ({exc.hint})" if exc.hint else "")
        return _account_page(request, session, error=message, status_code=400)
    if wants_json(request):
        return JSONResponse({"account": record, "changed": "password"})
    return RedirectResponse("/account?done=password", status_code=303)


allow("viewer", "POST", "/account/password")


@router.post(
    "/account/token",
    summary="Issue a new API token for yourself (replaces the old one; shown once)",
)
def account_token(request: Request, session: Db) -> Response:
    name = actor(request)
    token = issue_token(session, name, actor=name)
    session.flush()
    if wants_json(request):
        return JSONResponse(
            {"username": name, "token": token, "note": "store it now: it is not shown again"},
            headers={"Cache-Control": "no-store"},
        )
    response = _account_page(request, session, new_token=token)
    response.headers["Cache-Control"] = "no-store"
    return response


allow("viewer", "POST", "/account/token")


@router.post("/account/token/revoke", summary="Revoke your API token")
def account_token_revoke(request: Request, session: Db) -> Response:
    name = actor(request)
    record = revoke_token(session, name, actor=name)
    if wants_json(request):
        return JSONResponse({"account": record, "changed": "token revoked"})
    return RedirectResponse("/account?done=revoked", status_code=303)


allow("viewer", "POST", "/account/token/revoke")
