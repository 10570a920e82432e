"""Full-text search over the catalogue (and, later, provisions).

SQLite uses FTS5 with BM25 and column weights (title > keywords > body);
PostgreSQL uses ``to_tsvector`` with weights A/B/C and ``ts_rank``. Both
return the same :class:`SearchHit` records so callers do not care which
store they run on. User input is never spliced into SQL: it is tokenised
here and passed as a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import text
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError

# FTS5 bm25() weights per column: entity_type, entity_id, scope, title, keywords, body.
SQLITE_WEIGHTS = (0.0, 0.0, 0.0, 10.0, 4.0, 1.0)
MAX_QUERY_CHARS = 500
CANDIDATE_POOL = 50
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class IndexEntry:
    entity_type: str
    entity_id: str
    scope: str
    title: str
    keywords: str
    body: str


@dataclass(frozen=True)
class SearchHit:
    entity_type: str
    entity_id: str
    scope: str
    title: str
    snippet: str
    score: float


class SearchQueryError(TreatywatchError):
    """The search text cannot be used (empty or too long)."""


def tokens(query: str) -> list[str]:
    if len(query) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"search text is {len(query)} characters; the limit is {MAX_QUERY_CHARS}",
            hint="search for a few key words instead of a whole passage",
        )
    found = [t.lower() for t in _TOKEN_RE.findall(query)]
    if not found:
        raise SearchQueryError(
            f"nothing to search for in {query!r}",
            hint="give at least one word, e.g. 'interception'",
        )
    return found


def replace_entries(session: Session, entity_type: str, entries: Iterable[IndexEntry]) -> int:
    """Replace every index row of ``entity_type`` (inside the caller's transaction)."""
    session.execute(text("DELETE FROM search_index WHERE entity_type = :t"), {"t": entity_type})
    rows = [e.__dict__ for e in entries]
    if rows:
        session.execute(
            text(
                "INSERT INTO search_index (entity_type, entity_id, scope, title, keywords, body) "
                "VALUES (:entity_type, :entity_id, :scope, :title, :keywords, :body)"
            ),
            rows,
        )
    return len(rows)


def search(
    session: Session,
    query: str,
    *,
    entity_type: str | None = None,
    scope: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Ranked hits for ``query``: all words must match; if none do, any word may.

    The text-index rank is then weighted by how much of each hit's title the
    query accounts for. Without that, "interception of content data" ranks
    the cooperation article *Mutual legal assistance in the interception of
    content data* level with the power itself, because both titles contain
    every word; the shorter, fully-matched title is the one people mean.
    """
    words = tokens(query)
    dialect = session.get_bind().dialect.name
    run = _search_sqlite if dialect == "sqlite" else _search_postgres
    pool = max(limit * 3, CANDIDATE_POOL)
    hits = run(session, words, " AND ", entity_type, scope, pool)
    if not hits and len(words) > 1:
        hits = run(session, words, " OR ", entity_type, scope, pool)
    reranked = [_weigh_by_title(hit, set(words)) for hit in hits]
    reranked.sort(key=lambda h: (-h.score, h.entity_id))
    return reranked[:limit]


def title_coverage(title: str, words: set[str]) -> float:
    """Share of the title's words that the query contains (0..1)."""
    title_words = [t.lower() for t in _TOKEN_RE.findall(title)]
    if not title_words:
        return 0.0
    return sum(1 for t in title_words if t in words) / len(title_words)


def _weigh_by_title(hit: SearchHit, words: set[str]) -> SearchHit:
    weight = 1.0 + title_coverage(hit.title, words)
    return replace(hit, score=round(hit.score * weight, 4))


def _filters(entity_type: str | None, scope: str | None) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    if entity_type:
        clauses.append("entity_type = :etype")
        params["etype"] = entity_type
    if scope:
        clauses.append("scope = :scope")
        params["scope"] = scope
    return "".join(f" AND {c}" for c in clauses), params


def _search_sqlite(
    session: Session,
    words: list[str],
    joiner: str,
    etype: str | None,
    scope: str | None,
    limit: int,
) -> list[SearchHit]:
    # Each word is quoted as an FTS5 string (doubling quotes), so operators in
    # user input ("NOT", "*", ":") are searched for, never interpreted.
    match = joiner.join('"' + w.replace('"', '""') + '"' for w in words)
    where, params = _filters(etype, scope)
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    sql = text(
        "SELECT entity_type, entity_id, scope, title, "
        "snippet(search_index, 5, '[', ']', ' … ', 16) AS snip, "
        f"bm25(search_index, {weights}) AS rank "
        f"FROM search_index WHERE search_index MATCH :match{where} "
        "ORDER BY rank, entity_id LIMIT :limit"
    )
    rows = session.execute(sql, {"match": match, "limit": limit, **params}).all()
    return [SearchHit(r[0], r[1], r[2], r[3], r[4], round(-float(r[5]), 4)) for r in rows]


def _search_postgres(
    session: Session,
    words: list[str],
    joiner: str,
    etype: str | None,
    scope: str | None,
    limit: int,
) -> list[SearchHit]:
    op = " & " if joiner.strip() == "AND" else " | "
    tsquery = op.join(re.sub(r"\W", "", w) for w in words if re.sub(r"\W", "", w))
    where, params = _filters(etype, scope)
    vector = (
        "setweight(to_tsvector('simple', title), 'A') || "
        "setweight(to_tsvector('simple', keywords), 'B') || "
        "setweight(to_tsvector('simple', body), 'C')"
    )
    sql = text(
        "SELECT entity_type, entity_id, scope, title, "
        "ts_headline('simple', body, to_tsquery('simple', :q), "
        "'StartSel=[, StopSel=], MaxWords=24, MinWords=8') AS snip, "
        f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {vector}, to_tsquery('simple', :q)) AS rank "
        f"FROM search_index WHERE ({vector}) @@ to_tsquery('simple', :q){where} "
        "ORDER BY rank DESC, entity_id LIMIT :limit"
    )
    rows = session.execute(sql, {"q": tsquery, "limit": limit, **params}).all()
    return [SearchHit(r[0], r[1], r[2], r[3], r[4], round(float(r[5]), 4)) for r in rows]
