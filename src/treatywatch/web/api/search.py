"""Full-text search over articles and provisions, with facets.

Ranking is the store's search index (:func:`treatywatch.store.search_index.search`:
FTS5/BM25 on SQLite, ``ts_rank`` on PostgreSQL; user text is tokenised and
bound, never spliced into SQL). Facets are computed from the data of the
hits, not hand-listed: an article's instrument, chapter and criteria come
from the catalogue; a provision's country from its law, its instruments
and chapters from the articles it is aligned to (suggested or accepted),
its criteria and statuses from its findings. Counts are over all hits that
pass the facet filters, before paging.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Catalogue
from treatywatch.store.models import (
    AlignmentRow,
    DocumentRow,
    DocumentVersionRow,
    FindingRow,
    ProvisionRow,
)
from treatywatch.store.search_index import MAX_QUERY_CHARS, SearchHit, search
from treatywatch.web.api.common import DB, RESPONSES, rule
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, link_header, list_page
from treatywatch.web.api.schemas import SearchPage

router = APIRouter(tags=["search"], responses=RESPONSES)

FACETS = ("type", "instrument", "chapter", "country", "criterion", "status")
POOL = 300
"""Hits ranked before facet filtering; enough for any question a person types."""
FacetParam = Annotated[str | None, Query(max_length=60)]


def _article_facets(catalogue: Catalogue, article_id: str) -> dict[str, list[str]]:
    if article_id not in catalogue:
        return {}
    article = catalogue.article(article_id)
    return {
        "instrument": [article.instrument],
        "chapter": [article.chapter],
        "criterion": list(article.criteria),
    }


def _provision_facets(session: Session, hits: Sequence[SearchHit]) -> dict[str, dict[str, Any]]:
    """Facet values of provision hits, in a handful of queries for the whole pool."""
    wanted: dict[tuple[str, str, str], str] = {}
    for hit in hits:
        version, _, path = hit.entity_id.partition("#")
        document, _, date = version.partition("@")
        wanted[(document, date, path)] = hit.entity_id
    if not wanted:
        return {}
    documents = {d for d, _date, _p in wanted}
    rows = session.execute(
        select(
            ProvisionRow.id,
            ProvisionRow.path,
            DocumentVersionRow.document_id,
            DocumentVersionRow.version_date,
            DocumentRow.jurisdiction_code,
        )
        .join(DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(
            DocumentVersionRow.document_id.in_(documents),
            ProvisionRow.path.in_({p for _d, _date, p in wanted}),
        )
    ).all()
    facets: dict[str, dict[str, Any]] = {}
    by_provision: dict[int, str] = {}
    for pid, path, document, version_date, country in rows:
        entity = wanted.get((document, version_date.isoformat(), path))
        if entity is None:
            continue
        by_provision[pid] = entity
        facets[entity] = {"country": [country], "instrument": [], "chapter": [], "criterion": [],
                          "status": []}  # fmt: skip
    catalogue = Catalogue.load()
    for pid, article_id in session.execute(
        select(AlignmentRow.provision_id, AlignmentRow.article_id).where(
            AlignmentRow.provision_id.in_(list(by_provision)),
            AlignmentRow.status.in_(("suggested", "accepted")),
        )
    ):
        found = _article_facets(catalogue, article_id)
        entry = facets[by_provision[pid]]
        for name in ("instrument", "chapter"):
            entry[name].extend(v for v in found.get(name, []) if v not in entry[name])
    for finding_pid, criterion, status in session.execute(
        select(FindingRow.provision_id, FindingRow.criterion_id, FindingRow.status).where(
            FindingRow.provision_id.in_(list(by_provision))
        )
    ):
        if finding_pid is None:
            continue
        entry = facets[by_provision[finding_pid]]
        if criterion not in entry["criterion"]:
            entry["criterion"].append(criterion)
        if status not in entry["status"]:
            entry["status"].append(status)
    return facets


def hit_facets(session: Session, hits: Sequence[SearchHit]) -> list[dict[str, list[str]]]:
    catalogue = Catalogue.load()
    provisions = _provision_facets(session, [h for h in hits if h.entity_type == "provision"])
    out = []
    for hit in hits:
        values = (
            _article_facets(catalogue, hit.entity_id)
            if hit.entity_type == "article"
            else provisions.get(hit.entity_id, {})
        )
        out.append({name: list(values.get(name, [])) for name in FACETS if name != "type"}
                   | {"type": [hit.entity_type]})  # fmt: skip
    return out


@dataclass(frozen=True)
class Ranked:
    """A hit, its place in the ranking (the cursor key) and its facet values."""

    rank: int
    hit: SearchHit
    facets: dict[str, list[str]]

    def record(self) -> dict[str, Any]:
        return {
            "type": self.hit.entity_type,
            "id": self.hit.entity_id,
            "scope": self.hit.scope,
            "title": self.hit.title,
            "snippet": self.hit.snippet,
            "score": self.hit.score,
            "facets": self.facets,
        }


@router.get("/search", response_model=SearchPage, summary="Search articles and provisions")
def search_all(
    request: Request,
    session: DB,
    q: Annotated[
        str,
        Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words to look for."),
    ],
    type: Literal["article", "provision"] | None = None,
    instrument: FacetParam = None,
    chapter: FacetParam = None,
    country: FacetParam = None,
    criterion: FacetParam = None,
    status: FacetParam = None,
    limit: Limit = 20,
    cursor: CursorParam = None,
) -> Response:
    """Ranked hits (all words must match; if none do, any may), with facet counts.

    Facet filters combine (AND); a hit matches a facet when any of its values does.
    """
    hits = search(session, q, entity_type=type, limit=POOL)
    values = hit_facets(session, hits)
    wanted = {
        "instrument": instrument,
        "chapter": chapter.upper() if chapter else None,
        "country": country.upper() if country else None,
        "criterion": criterion,
        "status": status,
    }
    chosen = [
        Ranked(n, hit, facets)
        for n, (hit, facets) in enumerate(zip(hits, values, strict=True))
        if all(v is None or v in facets.get(k, []) for k, v in wanted.items())
    ]
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for item in chosen:
        for name, found in item.facets.items():
            counts[name].update(found)
    page = list_page(
        chosen, sort="rank", keys={"rank": lambda i: (i.rank,)}, cursor=cursor, limit=limit
    )
    items = [i.record() for i in page.items]
    body = {
        **page.body(items),
        "facets": {name: dict(counter.most_common()) for name, counter in counts.items()},
    }
    return respond(request, body, model=SearchPage, headers=link_header(request, page))


rule("public", "GET", "/search")
