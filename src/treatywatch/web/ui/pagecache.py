"""Rendered pages kept in memory until the data behind them changes.

The article, provision and country pages are read far more often than the
data under them changes, and building them (joins over thousands of links,
coverage, scorecards, a world map) costs much more than checking whether
anything changed. So a page route names the *scopes* it depends on
(:mod:`treatywatch.store.changes`) and hands :func:`cached_page` a builder:

1. the scopes' :class:`~treatywatch.store.changes.Stamp` is read first, in
   the request's transaction, before any page data;
2. the stamp, the address and the variant make a strong ``ETag``; a client
   that already holds that page gets ``304 Not Modified``;
3. otherwise the page's data is reused while its stamp is unchanged, or
   built and kept;
4. the JSON twin and the anonymous HTML are kept as bytes; HTML for a
   logged-in person is rendered from the kept data each time, because it
   carries their name, role and form token.

Because the stamp is read before the data, a write that lands in between
can only make the kept page *newer* than its stamp — the next request sees
a different stamp and rebuilds — never older. The triggers that feed the
stamps see every writer, so a review made with the CLI while the server
runs is seen too.

The cache is per worker process and bounded in bytes (least recently used
pages go first); ``TREATYWATCH_PAGE_CACHE_MB=0`` switches it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from treatywatch import __version__
from treatywatch.store import session_scope
from treatywatch.store.changes import stamp
from treatywatch.web.api.etags import matches
from treatywatch.web.ui.render import csrf_for, render, wants_json, who

HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json"
CACHE_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Accept, Authorization, Cookie"}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_MAKE_LOCK = threading.Lock()


@dataclass(frozen=True)
class BuiltPage:
    """What a page route produces: template, data (the JSON twin) and HTML-only extras."""

    template: str
    data: dict[str, Any]
    title: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageSource:
    """How to build one page from a store session alone.

    Routes hand one to :func:`cached_page`; because it needs no request, the
    :mod:`~treatywatch.web.ui.refresh` thread can rebuild the page the moment
    its data changes, before the next reader asks for it.
    """

    scopes: Callable[[Session], list[str]]
    build: Callable[[Session], BuiltPage]


@dataclass
class KeptPage:
    """A kept page: its data pickled, its shareable renderings as bytes.

    Bytes only, on purpose: a few hundred country pages held as live dicts
    are millions of objects the garbage collector would walk on every full
    collection — pauses of a tenth of a second, the load test's whole tail.
    """

    token: str
    packed: bytes
    bodies: dict[str, bytes] = field(default_factory=dict)
    size: int = 0
    scopes: tuple[str, ...] = ()
    source: PageSource | None = None
    address: tuple[str, str] = ("", "")  # path and query, to render it again
    day: str = ""
    used: float = field(default_factory=time.monotonic)
    reads: int = 0  # times served from memory
    pinned: bool = False  # built ahead at start-up (see refresh.py): always kept current

    @classmethod
    def of(cls, token: str, page: BuiltPage, **details: Any) -> KeptPage:
        packed = pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(token, packed, size=len(packed), **details)

    def page(self) -> BuiltPage:
        # Only ever our own pickle, made in this process from our own page data.
        page: BuiltPage = pickle.loads(self.packed)  # noqa: S301
        return page


class PageCache:
    """A byte-bounded LRU of built pages, safe to share between request threads."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: str, token: str) -> KeptPage | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.token != token:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            entry.used = time.monotonic()
            entry.reads += 1
            self.hits += 1
            return entry

    def put(self, key: str, entry: KeptPage) -> None:
        if not self.enabled:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def recent(self, limit: int, idle_seconds: float) -> list[tuple[str, KeptPage]]:
        """Entries worth rebuilding ahead, most recently used first: pinned ones, and
        ones read again since they were built, used within ``idle_seconds``.

        A page read once (most provision pages: there are thousands) is left to
        be rebuilt if someone asks again; rebuilding all of them on every
        review would cost more than it saves.
        """
        now = time.monotonic()
        with self._lock:
            items = list(self._entries.items())
        wanted = [
            (key, entry)
            for key, entry in reversed(items)
            if entry.source
            and (entry.pinned or entry.reads > 0)
            and now - entry.used <= idle_seconds
        ]
        return wanted[:limit]

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._entries

    def drop(self, key: str, old: KeptPage) -> None:
        """Forget a page, unless a request replaced it meanwhile."""
        with self._lock:
            if self._entries.get(key) is old:
                del self._entries[key]
                self._bytes -= old.size

    def replace(self, key: str, old: KeptPage, new: KeptPage) -> bool:
        """Swap in a rebuilt entry unless a request replaced or dropped it meanwhile."""
        with self._lock:
            if self._entries.get(key) is not old:
                return False
            new.used, new.reads, new.pinned = old.used, old.reads, old.pinned
        self.put(key, new)
        return True

    def add_body(self, key: str, entry: KeptPage, variant: str, body: bytes) -> None:
        """Keep a rendered body of an entry (re-accounting its size)."""
        with self._lock:
            if self._entries.get(key) is not entry:
                return  # replaced or evicted meanwhile: nothing to add to
            entry.bodies[variant] = body
            entry.size += len(body)
            self._bytes += len(body)
        self.put(key, entry)  # evict if the new body pushed the cache over its bound


def app_page_cache(app: Any) -> PageCache:
    """The app's cache (one per worker process), made on first use."""
    with _MAKE_LOCK:
        cache: PageCache | None = getattr(app.state, "page_cache", None)
        if cache is None:
            cache = PageCache(app.state.web.page_cache_bytes)
            app.state.page_cache = cache
    return cache


def page_cache(request: Request) -> PageCache:
    return app_page_cache(request.app)


def today() -> str:
    return dt.date.today().isoformat()


def page_key(database_url: str, day: str, path: str, query: str) -> str:
    """Store, day and address: treaty status (entry into force) moves with the
    calendar, not only with writes, so no page outlives the day it was built on."""
    return f"{database_url}|{day}|{path}?{query}"


def _query(request: Request) -> str:
    return "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))


def _etag(key: str, token: str, variant: str, personal: str) -> str:
    digest = hashlib.sha256(f"{__version__}|{key}|{variant}|{token}|{personal}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def cached_page(request: Request, session: Session, source: PageSource) -> Response:
    """The page ``source`` builds, served from memory while its scopes are unchanged."""
    scopes = tuple(sorted(set(source.scopes(session))))
    token = stamp(session, scopes).token()
    as_json = wants_json(request)
    variant = "json" if as_json else "html"
    caller = who(request)
    personal = (
        "" if as_json or not caller.authenticated else f"{caller.username}|{csrf_for(request)}"
    )
    day, query = today(), _query(request)
    key = page_key(request.app.state.web.database_url, day, request.url.path, query)
    etag = _etag(key, token, variant, personal)
    headers = {**CACHE_HEADERS, "ETag": etag}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache = page_cache(request)
    entry = cache.get(key, token)
    built = None
    if entry is None:
        built = source.build(session)
        details = {
            "scopes": scopes,
            "source": source,
            "address": (request.url.path, query),
            "day": day,
        }
        entry = KeptPage.of(token, built, **details) if cache.enabled else KeptPage(token, b"")
        cache.put(key, entry)
    body = None if personal else entry.bodies.get(variant)
    if body is None:
        body = render_page(request, built or entry.page(), as_json)
        if not personal:
            cache.add_body(key, entry, variant, body)
    return Response(body, media_type=JSON_TYPE if as_json else HTML_TYPE, headers=headers)


async def serve_cached(request: Request, source_for: Callable[[Session], PageSource]) -> Response:
    """A cached page in one trip through the thread pool.

    Hot routes call this from an ``async def`` instead of declaring a session
    dependency and a sync body: FastAPI would run the dependency's setup, the
    body and the dependency's teardown as three separate thread-pool calls,
    each a hand-off of the interpreter lock under load. ``source_for`` may
    raise (unknown country, unknown law) for the route's error page.
    """
    return await run_in_threadpool(_serve_cached, request, source_for)


def _serve_cached(request: Request, source_for: Callable[[Session], PageSource]) -> Response:
    with session_scope(request.app.state.web.database_url) as session:
        return cached_page(request, session, source_for(session))


def render_page(request: Request, page: BuiltPage, as_json: bool) -> bytes:
    """The page's bytes exactly as :func:`~treatywatch.web.ui.render.page` would send
    them, so nothing a reader gets depends on whether the cache is on."""
    if as_json:
        return bytes(JSONResponse(jsonable_encoder(page.data)).body)
    html = render(request, page.template, data=page.data, title=page.title, **page.extra)
    return html.encode("utf-8")
