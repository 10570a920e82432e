"""The API docs page at ``/docs``: Swagger UI served from the package, offline.

Swagger UI (Apache-2.0, vendored from npm ``swagger-ui-dist``; see
``web/static/apidocs/VERSION``) is read from the installed package and
served by this router, so the page works on an air-gapped machine and
under the app's CSP (``script-src 'self'``: the start-up script is a file,
not inline). Only the files listed in :data:`ASSETS` can be fetched.

This router is mounted at the root (not under ``/api/v1``): ``create_app``
includes it with ``app.include_router(docs.router)``.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

from treatywatch import __version__
from treatywatch.web.access import allow

router = APIRouter(tags=["meta"], include_in_schema=False)

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "init.js": "text/javascript; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
    "NOTICE": "text/plain; charset=utf-8",
    "swagger-ui-bundle.js.LICENSE.txt": "text/plain; charset=utf-8",
}
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>treatywatch API {__version__}</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<noscript>The interactive docs need JavaScript; the schema itself is at
<a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    """The interactive API reference."""
    return HTMLResponse(PAGE)


allow("open", "GET", "/docs")


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> Response:
    """One vendored file; anything not in the whitelist is a 404 (no path is ever built
    from ``name`` beyond looking it up in :data:`ASSETS`)."""
    media_type = ASSETS.get(name)
    if media_type is None:
        raise HTTPException(404, f"no docs asset {name!r}")
    data = (
        files("treatywatch.web").joinpath("static").joinpath("apidocs").joinpath(name).read_bytes()
    )
    return Response(data, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})


allow("open", "GET", "/docs/assets/{name}")
