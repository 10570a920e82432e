"""Cursor pagination: stable pages over lists that change while being walked.

A cursor is an opaque URL-safe base64 string of the last item's sort key
and id, plus the sort it belongs to. The next page starts strictly after
that key (keyset pagination), so rows added or reviewed between two
requests never make a page repeat or skip an item the way an offset
would, and deep pages cost the same as the first. Sort fields come from a
whitelist per endpoint and reach SQL only as SQLAlchemy column objects;
cursor values reach it only as bound parameters.

Example: ``?sort=-score&limit=2`` answers ``{"items": [...], "next":
"eyJzIjoi...", "count": 17}``; pass ``cursor=eyJzIjoi...`` (same sort) for
the following page. ``count`` is the number of items matching the filters,
across all pages.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias, TypeVar

from fastapi import Query, Request
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from treatywatch.web.api.errors import InvalidParameterError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_CHARS = 600

Limit = Annotated[
    int,
    Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT})."),
]
CursorParam = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR_CHARS,
        description="Opaque cursor from a previous page's `next`; use it with the same sort.",
    ),
]

T = TypeVar("T")
Column: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
Scalar = str | int | float | None


def _pack(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _unpack(value: Any) -> Any:
    if isinstance(value, dict):
        try:
            if "t" in value:
                return dt.datetime.fromisoformat(str(value["t"]))
            if "d" in value:
                return dt.date.fromisoformat(str(value["d"]))
        except ValueError:
            raise _bad_cursor() from None
        raise _bad_cursor()
    if value is not None and not isinstance(value, str | int | float):
        raise _bad_cursor()
    return value


def _bad_cursor() -> InvalidParameterError:
    return InvalidParameterError(
        "the cursor is not one this API issued (or belongs to another sort order)",
        hint="start again without `cursor`, then follow the `next` values as given",
    )


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the sort it used and the last item's key values."""

    sort: str
    key: tuple[Any, ...]

    def encode(self) -> str:
        raw = json.dumps({"s": self.sort, "k": [_pack(v) for v in self.key]}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: str, size: int) -> Cursor:
        """Parse a cursor for ``sort`` with ``size`` key values; anything else is a 422."""
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, binascii.Error, UnicodeError):
            raise _bad_cursor() from None
        if not isinstance(data, dict) or data.get("s") != sort:
            raise _bad_cursor()
        key = data.get("k")
        if not isinstance(key, list) or len(key) != size:
            raise _bad_cursor()
        return cls(sort, tuple(_unpack(v) for v in key))


@dataclass(frozen=True)
class Page:
    """One page of items, the cursor of the next one, and the total count."""

    items: list[Any]
    next: str | None
    count: int

    def body(self, records: Sequence[Any]) -> dict[str, Any]:
        return {"items": list(records), "next": self.next, "count": self.count}


def _check_type(column: Column, value: Any) -> None:
    """A forged cursor must not reach the database with a value of the wrong type
    (PostgreSQL would refuse the comparison with a server error)."""
    try:
        expected: type[Any] = column.type.python_type
    except NotImplementedError:
        return
    if expected is float and isinstance(value, int):
        return
    if expected is dt.date and isinstance(value, dt.datetime):
        raise _bad_cursor()
    if value is None or not isinstance(value, expected) or isinstance(value, bool):
        raise _bad_cursor()


def split_sort(sort: str) -> tuple[str, bool]:
    """``"-score"`` → ``("score", True)``: a leading minus means descending."""
    return (sort[1:], True) if sort.startswith("-") else (sort, False)


def keyset_page(
    session: Session,
    query: AnySelect,
    *,
    sort: str,
    columns: Mapping[str, Column],
    tiebreak: Column,
    cursor: str | None,
    limit: int,
) -> Page:
    """A page of ``query``'s rows (first selected entity) sorted by a whitelisted column.

    ``columns`` maps sort names to SQL expressions that are never NULL
    (wrap nullable ones in ``coalesce``); ``tiebreak`` is a unique column
    (the id), sorted in the same direction, that makes the order total.
    """
    name, descending = split_sort(sort)
    column = columns[name]  # callers validate `sort` against these names (Literal params)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    paged = query.add_columns(column.label("_sort_key"), tiebreak.label("_sort_id"))
    if cursor:
        value, last_id = Cursor.decode(cursor, sort, 2).key
        _check_type(column, value)
        _check_type(tiebreak, last_id)
        if descending:
            after = or_(column < value, and_(column == value, tiebreak < last_id))
        else:
            after = or_(column > value, and_(column == value, tiebreak > last_id))
        paged = paged.where(after)
    order = (column.desc(), tiebreak.desc()) if descending else (column.asc(), tiebreak.asc())
    rows = session.execute(paged.order_by(None).order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    following = Cursor(sort, (rows[-1][-2], rows[-1][-1])).encode() if more and rows else None
    return Page([row[0] for row in rows], following, int(total or 0))


def list_page(
    items: Sequence[T],
    *,
    sort: str,
    keys: Mapping[str, Callable[[T], tuple[Scalar, ...]]],
    cursor: str | None,
    limit: int,
) -> Page:
    """The same contract over an in-memory list (catalogue, computed scorecards).

    Each key function returns a tuple of non-None scalars ending in a unique
    id, so the order is total and the cursor can compare against it.
    """
    name, descending = split_sort(sort)
    key = keys[name]
    ordered = sorted(items, key=key, reverse=descending)
    if cursor:
        size = len(key(ordered[0])) if ordered else 0
        last = Cursor.decode(cursor, sort, size).key if ordered else None
        if last is not None:
            try:
                if descending:
                    ordered = [i for i in ordered if key(i) < last]
                else:
                    ordered = [i for i in ordered if key(i) > last]
            except TypeError:
                raise _bad_cursor() from None
    chosen = ordered[:limit]
    following = Cursor(sort, key(chosen[-1])).encode() if len(ordered) > limit and chosen else None
    return Page(list(chosen), following, len(items))


def link_header(request: Request, page: Page) -> dict[str, str]:
    """``Link: <...&cursor=...>; rel="next"``, so generic clients can follow pages."""
    if page.next is None:
        return {}
    url = request.url.include_query_params(cursor=page.next)
    return {"Link": f'<{url}>; rel="next"'}
