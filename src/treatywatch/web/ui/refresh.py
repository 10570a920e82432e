"""Rebuild kept pages as soon as their data changes, and build the common ones at start.

:mod:`~treatywatch.web.ui.pagecache` never serves a stale page, but on its
own it rebuilds a page only when a reader asks for it after a change — so
while analysts review, the reader who comes next pays for the rebuild.
Each worker therefore runs one background thread that:

1. at start-up, builds the pages every visitor reaches first and whose
   number is bounded: one per country with laws, one per catalogue article
   (routes register them with :func:`prefetcher`);
2. every ``interval`` seconds, reads the change-log counts of the scopes
   its recently used pages depend on (one indexed query) and rebuilds the
   pages whose stamp moved, with the same stamp-before-data rule as a
   request, swapping them in only if no request replaced them meanwhile.

Rebuilt pages hold the same variants the old one held (anonymous HTML,
JSON twin). A page that can no longer be built (its law was deleted) is
dropped, so the next request shows the proper error. Any other failure is
logged and the thread carries on: it only ever saves readers time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from treatywatch.store import session_scope
from treatywatch.store.changes import make_stamp, read_counts, read_meta, stamp
from treatywatch.web.ui.pagecache import (
    KeptPage,
    PageCache,
    PageSource,
    app_page_cache,
    page_key,
    render_page,
    today,
)

log = logging.getLogger(__name__)

Prefetcher = Callable[[Session], Iterable[tuple[str, PageSource]]]
PREFETCHERS: list[Prefetcher] = []
IDLE_SECONDS = 600.0
"""Pages nobody asked for in this long are left to be rebuilt on demand."""
BATCH = 512
"""Most pages checked per cycle (most recently used first)."""


def prefetcher(function: Prefetcher) -> Prefetcher:
    """Register pages (path, source) to build when a worker starts."""
    PREFETCHERS.append(function)
    return function


def anonymous_request(app: Any, path: str, query: str) -> Request:
    """A GET request as an anonymous reader would send it, for rendering shared copies."""
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [],
            "app": app,
        }
    )


class PageRefresher:
    """The background thread of one worker (see the module docstring)."""

    def __init__(self, app: Any, *, interval: float, batch: int = BATCH) -> None:
        self.app = app
        self.interval = interval
        self.batch = batch
        self.url: str = app.state.web.database_url
        self.rebuilt = 0
        self.prefetched = 0
        self.ready = threading.Event()  # set once the start-up pages are built
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def cache(self) -> PageCache:
        return app_page_cache(self.app)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="page-refresher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            self.prefetch()
        except Exception:
            log.exception("prefetching pages failed; they will be built on first request")
        finally:
            self.ready.set()
        while not self._stop.wait(self.interval):
            try:
                self.cycle()
            except Exception:
                log.exception("refreshing pages failed; stale pages are still never served")

    def prefetch(self) -> int:
        """Build the registered start-up pages that are not kept yet."""
        with session_scope(self.url) as session:
            pages = [page for make in PREFETCHERS for page in make(session)]
        built = 0
        for path, source in pages:
            if self._stop.is_set():
                break
            key = page_key(self.url, today(), path, "")
            if key not in self.cache and self._build(key, path, "", source, ("html",), pin=True):
                built += 1
        self.prefetched += built
        return built

    def cycle(self) -> int:
        """Rebuild the recently used pages whose data changed; returns how many."""
        day = today()
        candidates = [
            (key, entry)
            for key, entry in self.cache.recent(self.batch, IDLE_SECONDS)
            if entry.day == day
        ]
        if not candidates:
            return 0
        with session_scope(self.url) as session:
            meta = read_meta(session)
            counts = read_counts(session, {s for _, e in candidates for s in e.scopes})
        stale = [
            (key, entry)
            for key, entry in candidates
            if make_stamp(meta, counts, entry.scopes).token() != entry.token
        ]
        done = 0
        for key, entry in stale:
            if self._stop.is_set():
                break
            assert entry.source is not None  # recent() only returns rebuildable entries
            path, query = entry.address
            if self._build(key, path, query, entry.source, tuple(entry.bodies), old=entry):
                done += 1
        self.rebuilt += done
        return done

    def _build(
        self,
        key: str,
        path: str,
        query: str,
        source: PageSource,
        variants: tuple[str, ...],
        old: KeptPage | None = None,
        *,
        pin: bool = False,
    ) -> bool:
        day = today()
        try:
            with session_scope(self.url) as session:
                scopes = tuple(sorted(set(source.scopes(session))))
                token = stamp(session, scopes).token()
                page = source.build(session)
        except Exception as exc:  # gone (deleted law) or broken: requests will say why
            log.info("dropping kept page %s: %s", path, exc)
            if old is not None:
                self.cache.drop(key, old)
            return False
        entry = KeptPage.of(
            token, page, scopes=scopes, source=source, address=(path, query), day=day, pinned=pin
        )
        request = anonymous_request(self.app, path, query)
        for variant in variants:
            body = render_page(request, page, as_json=variant == "json")
            entry.bodies[variant] = body
            entry.size += len(body)
        if old is None:
            self.cache.put(key, entry)
            return True
        return self.cache.replace(key, old, entry)
