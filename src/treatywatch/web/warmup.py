"""Load what every worker needs before its first request, then freeze it for the GC.

A worker holds a few hundred thousand long-lived objects — the convention
catalogue, compiled templates, world-map geometry, ISO country data — that
never become garbage. Python's full collections walk all of them: measured
at ~150 ms per collection, several times a minute under load, which was
the whole tail of the load test's latency. Loading them at start-up and
calling :func:`gc.freeze` moves them out of the collector's sight (they
are still reference-counted and freed normally; the GC just stops
re-checking them for cycles), and the first visitor no longer pays for
the loading either.

The lifespan then starts the worker's page refresher
(:mod:`treatywatch.web.ui.refresh`), which builds the country and article
pages and keeps kept pages current as the data changes.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from treatywatch.catalogue import Catalogue
from treatywatch.ledger.jurisdictions import known_jurisdictions
from treatywatch.report.worldmap import shapes
from treatywatch.web.ui.refresh import PageRefresher
from treatywatch.web.ui.render import environment


def warm_up() -> int:
    """Load the long-lived data and freeze it; returns how many objects were frozen."""
    Catalogue.load()
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    shapes()
    known_jurisdictions()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Per worker: warm up and freeze, then keep kept pages current in the background."""
    app.state.frozen_objects = warm_up()
    settings = app.state.web
    refresher = None
    if settings.page_cache_bytes > 0 and settings.page_refresh_seconds > 0:
        refresher = PageRefresher(app, interval=settings.page_refresh_seconds)
        app.state.page_refresher = refresher
        refresher.start()
    try:
        yield
    finally:
        if refresher is not None:
            refresher.stop()
