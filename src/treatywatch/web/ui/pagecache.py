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
import json
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from treatywatch import __version__
from treatywatch.store.changes import stamp
from treatywatch.web.api.etags import matches
from treatywatch.web.ui.render import context, csrf_for, environment, wants_json, who

HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json"
CACHE_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Accept, Authorization, Cookie"}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BuiltPage:
    """What a page route produces: template, data (the JSON twin) and HTML-only extras."""

    template: str
    data: dict[str, Any]
    title: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Entry:
    """A kept page: its data pickled, its shareable renderings as bytes.

    Bytes only, on purpose: a few hundred country pages held as live dicts
    are millions of objects the garbage collector would walk on every full
    collection — pauses of a tenth of a second, the load test's whole tail.
    """

    token: str
    packed: bytes
    bodies: dict[str, bytes] = field(default_factory=dict)
    size: int = 0

    @classmethod
    def of(cls, token: str, page: BuiltPage) -> _Entry:
        packed = pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(token, packed, size=len(packed))

    def page(self) -> BuiltPage:
        # Only ever our own pickle, made in this process from our own page data.
        page: BuiltPage = pickle.loads(self.packed)  # noqa: S301
        return page


class PageCache:
    """A byte-bounded LRU of built pages, safe to share between request threads."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: str, token: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.token != token:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, entry: _Entry) -> None:
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

    def add_body(self, key: str, entry: _Entry, variant: str, body: bytes) -> None:
        """Keep a rendered body of an entry (re-accounting its size)."""
        with self._lock:
            if self._entries.get(key) is not entry:
                return  # replaced or evicted meanwhile: nothing to add to
            entry.bodies[variant] = body
            entry.size += len(body)
            self._bytes += len(body)
        self.put(key, entry)  # evict if the new body pushed the cache over its bound


def page_cache(request: Request) -> PageCache:
    cache: PageCache | None = getattr(request.app.state, "page_cache", None)
    if cache is None:
        cache = PageCache(request.app.state.web.page_cache_bytes)
        request.app.state.page_cache = cache
    return cache


def _key(request: Request) -> str:
    """Store, address and today's date: treaty status (entry into force) moves with the
    calendar, not only with writes, so no page outlives the day it was built on."""
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    today = dt.date.today().isoformat()
    return f"{request.app.state.web.database_url}|{today}|{request.url.path}?{query}"


def _etag(key: str, token: str, variant: str, personal: str) -> str:
    digest = hashlib.sha256(f"{__version__}|{key}|{variant}|{token}|{personal}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def cached_page(
    request: Request, session: Session, scopes: Iterable[str], build: Callable[[], BuiltPage]
) -> Response:
    """The page ``build`` makes, served from memory while ``scopes`` are unchanged."""
    token = stamp(session, scopes).token()
    as_json = wants_json(request)
    variant = "json" if as_json else "html"
    caller = who(request)
    personal = (
        "" if as_json or not caller.authenticated else f"{caller.username}|{csrf_for(request)}"
    )
    key = _key(request)
    etag = _etag(key, token, variant, personal)
    headers = {**CACHE_HEADERS, "ETag": etag}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache = page_cache(request)
    entry = cache.get(key, token)
    built = None
    if entry is None:
        built = build()
        entry = _Entry.of(token, built) if cache.enabled else _Entry(token, b"")
        cache.put(key, entry)
    body = None if personal else entry.bodies.get(variant)
    if body is None:
        body = _render(request, built or entry.page(), as_json)
        if not personal:
            cache.add_body(key, entry, variant, body)
    return Response(body, media_type=JSON_TYPE if as_json else HTML_TYPE, headers=headers)


def _render(request: Request, page: BuiltPage, as_json: bool) -> bytes:
    if as_json:
        # Serialised exactly as FastAPI's JSONResponse does, so the twin's bytes
        # do not depend on whether the cache is on.
        return json.dumps(
            jsonable_encoder(page.data), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")
    values = context(request, data=page.data, title=page.title, **page.extra)
    return environment().get_template(page.template).render(values).encode("utf-8")
