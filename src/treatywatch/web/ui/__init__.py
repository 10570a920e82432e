"""The server-rendered web UI (``router`` is included by ``create_app``).

One module per page family; each registers its access rule next to its
route. Every page has a JSON twin (``?format=json`` or
``Accept: application/json``), see :mod:`.render`.
"""

from fastapi import APIRouter

from treatywatch.web.ui import (
    articles,
    compare,
    countries,
    documents,
    home,
    reports,
    review,
    search,
    static,
    upload,
)

router = APIRouter()
for module in (home, articles, countries, documents, compare, search, review, upload, reports):
    router.include_router(module.router)

__all__ = ["router", "static"]
