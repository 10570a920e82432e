"""The REST API (``router``, mounted by ``create_app`` under ``/api/v1``).

One sub-router per concept; each registers its access rules next to its
routes. JSON record builders live in :mod:`.records` for the UI's JSON
twins; typed errors in :mod:`.errors` (installed on the app with
:func:`install_error_handlers`); the offline docs page in :mod:`.docs`
(mounted at the root, not under the prefix).
"""

from fastapi import APIRouter

from treatywatch.web.api import (
    alignments,
    cases,
    catalogue,
    documents,
    findings,
    jurisdictions,
    scorecards,
    search,
    status,
    uploads,
)
from treatywatch.web.api.errors import install_error_handlers

router = APIRouter()
for _module in (
    catalogue,
    jurisdictions,
    uploads,
    documents,
    alignments,
    findings,
    scorecards,
    status,
    cases,
    search,
):
    router.include_router(_module.router)

__all__ = ["install_error_handlers", "router"]
