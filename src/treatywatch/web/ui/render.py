"""Pages and their JSON twins from one call, and friendly error pages.

Every UI route builds one plain ``data`` dict and hands it to :func:`page`.
A browser gets the HTML template rendered from it; ``?format=json`` or
``Accept: application/json`` gets the dict itself. Because both come from
the same object, the page and its twin cannot drift apart (the Datasette
rule), and tests can check the HTML against the JSON.

Templates are rendered with autoescaping on and law text is never marked
safe; only SVG drawn by :mod:`treatywatch.report` (escaped as it is built)
is passed as :class:`~markupsafe.Markup`, and it lives outside ``data``.

:class:`UiRoute` turns failures into pages a person can act on: a
:class:`~treatywatch.errors.TreatywatchError` becomes a 404 (unknown
things) or 400 page with its hint, a 401 on a page sends the browser to
the login form, and validation errors are a 400 page instead of JSON.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Coroutine, Mapping
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from treatywatch import __version__
from treatywatch.errors import TreatywatchError, UnknownNameError
from treatywatch.report.palette import COVERAGE_MARKS, STATUS_LABELS, STATUS_MARKS
from treatywatch.web.access import Principal
from treatywatch.web.deps import db, principal

JSON_TYPE = "application/json"
DB = Annotated[Session, Depends(db, scope="function")]
"""A request's store session (one transaction, see :func:`treatywatch.web.deps.db`)."""


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("treatywatch.web", "templates"),
        autoescape=select_autoescape(["html", "j2", "html.j2", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(str(s), str(s))
    env.filters["status_mark"] = lambda s: STATUS_MARKS.get(str(s), COVERAGE_MARKS.get(str(s), ""))
    env.filters["pct"] = lambda v: "—" if v is None else f"{float(v):.0f}%"
    env.filters["share"] = lambda v: "—" if v is None else f"{100 * float(v):.0f}%"
    env.filters["score"] = lambda v: "—" if v is None else f"{float(v):.2f}"
    env.globals["version"] = __version__
    return env


def wants_json(request: Request) -> bool:
    """``?format=json`` wins; otherwise an Accept header asking for JSON and not HTML."""
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() == "json"
    accept = request.headers.get("accept", "").lower()
    return JSON_TYPE in accept and "text/html" not in accept


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request", "").lower() == "true"


def csrf_for(request: Request) -> str:
    """The CSRF token for forms, from the auth package (empty until it is installed)."""
    try:
        module = importlib.import_module("treatywatch.web.auth.csrf")
    except ImportError:
        return ""
    maker: Callable[[Request], str] | None = getattr(module, "csrf_token", None)
    return maker(request) if maker else ""


def who(request: Request) -> Principal:
    return principal(request)


def can_review(request: Request) -> bool:
    user = who(request)
    return user.authenticated and user.role in ("analyst", "admin")


def context(request: Request, **values: Any) -> dict[str, Any]:
    """What every template may use: the caller, the CSRF token, the current path.

    Anonymous pages get no CSRF token: they have no forms that change
    anything (the login form brings its own), and a token would make every
    visitor's copy of a public page different and start a session for
    people who only read.
    """
    caller = who(request)
    return {
        "request": request,
        "who": caller,
        "can_review": can_review(request),
        "csrf_token": csrf_for(request) if caller.authenticated else "",
        "path": request.url.path,
        **values,
    }


def render(request: Request, template: str, **values: Any) -> str:
    return environment().get_template(template).render(context(request, **values))


def page(
    request: Request,
    template: str,
    data: Mapping[str, Any],
    *,
    title: str,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The HTML page for ``data``, or ``data`` as JSON when the client asks for it.

    ``extra`` holds things only the HTML needs (inline SVG charts); they are
    drawn from ``data`` and never carry facts the JSON lacks.
    """
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data), status_code=status_code, headers=headers)
    html = render(request, template, data=data, title=title, **extra)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def error_status(exc: TreatywatchError) -> int:
    name = type(exc).__name__.lower()
    if isinstance(exc, UnknownNameError) or "unknown" in name or "notfound" in name:
        return 404
    if "nolaws" in name or "nodocuments" in name or "invalidid" in name:
        return 404
    return 400


def error_page(
    request: Request, status_code: int, message: str, hint: str | None, kind: str = "Error"
) -> Response:
    data = {"error": kind, "message": message, "hint": hint, "status": status_code}
    titles = {404: "Not found", 401: "Please log in", 403: "Not allowed", 422: "Bad request"}
    return page(
        request,
        "ui/error.html.j2",
        data,
        title=titles.get(status_code, "Something is wrong"),
        status_code=status_code,
    )


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


class UiRoute(APIRoute):
    """An API route whose failures are pages (or JSON for the JSON twin)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except TreatywatchError as exc:
                return error_page(
                    request, error_status(exc), exc.message, exc.hint, type(exc).__name__
                )
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'input'}: {e.get('msg')}"
                    for e in exc.errors()
                )
                return error_page(
                    request, 422, f"the request is not valid: {problems}", None, "BadRequest"
                )
            except HTTPException as exc:
                if (
                    exc.status_code == 401
                    and not wants_json(request)
                    and not is_htmx(request)
                    and "authorization" not in request.headers
                ):
                    return _login_redirect(request)
                detail = exc.detail if isinstance(exc.detail, str) else "request refused"
                hint = {
                    401: "log in, or send an API token (Authorization: Bearer ...)",
                    403: "ask an administrator for a role that allows this",
                    404: "check the address, or start from the home page",
                }.get(exc.status_code)
                response = error_page(request, exc.status_code, detail, hint, "HTTPError")
                for name, value in (exc.headers or {}).items():
                    response.headers[name] = value
                return response

        return guarded


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to after a form post (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
