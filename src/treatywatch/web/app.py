"""The web app: REST API under ``/api/v1``, server-rendered UI, accounts.

``create_app`` builds a FastAPI app over one store. Every route passes
through :func:`treatywatch.web.deps.enforce_access` (default deny), every
request gets one database transaction, and every response carries
security headers that forbid loading anything from another origin — the
UI vendors its assets, so nothing needs a CDN.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treatywatch import __version__
from treatywatch.web import api, auth, ui
from treatywatch.web.access import allow
from treatywatch.web.api import docs as api_docs
from treatywatch.web.api import install_error_handlers
from treatywatch.web.deps import enforce_access
from treatywatch.web.settings import WebSettings
from treatywatch.web.warmup import lifespan

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response a route did not set them on.

    A plain ASGI middleware: Starlette's ``@app.middleware("http")`` wraps
    every request in extra tasks and streams, a fixed cost that showed up in
    every page of the load test.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self.raw if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(web: WebSettings | None = None) -> FastAPI:
    settings = web or WebSettings.from_env()
    app = FastAPI(
        title="treatywatch",
        version=__version__,
        description="Monitor how States implement the UN Convention against Cybercrime.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(enforce_access), Depends(auth.csrf_protect)],
        lifespan=lifespan,
    )
    app.state.web = settings
    allow("open", "GET", "/openapi.json")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="treatywatch_session",
        same_site="lax",
        https_only=settings.secure_cookies,
    )

    app.add_middleware(SecurityHeaders)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness check for load balancers."""
        return {"status": "ok", "version": __version__}

    @app.get("/health/ready", tags=["meta"])
    def ready(request: Request) -> JSONResponse:
        """Readiness of *this worker*: 503 while it still builds its start-up pages."""
        refresher = getattr(request.app.state, "page_refresher", None)
        warming = refresher is not None and not refresher.ready.is_set()
        body = {"status": "warming" if warming else "ready", "version": __version__}
        return JSONResponse(body, status_code=503 if warming else 200)

    app.include_router(auth.router)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(ui.router)
    app.include_router(api_docs.router)
    ui.static.mount(app)
    install_error_handlers(app)
    return app
