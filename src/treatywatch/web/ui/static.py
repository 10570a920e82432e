"""The UI's own assets (CSS, JS, vendored htmx), served at ``/static``.

Vendored rather than fetched from a CDN: the content-security policy
allows scripts and styles from this origin only, and the UI must work
offline. :func:`mount` is called by ``create_app``.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from treatywatch.web.access import allow

PREFIX = "/static"


def directory() -> str:
    return str(resources.files("treatywatch.web").joinpath("static"))


def mount(app: FastAPI) -> None:
    app.mount(PREFIX, StaticFiles(directory=directory()), name="static")


allow("open", "GET", PREFIX)
