"""Full-text search over articles and provisions, narrowed by facets.

Facets are computed from the hits, not hand-listed (the Datasette habit):
each hit gets its instrument and chapter (articles), its country
(provisions), and the rights criteria and finding statuses that touch it
(criteria an article is tied to; findings stored on a provision). A facet's
counts are taken over the hits that match every *other* chosen facet, so
choosing one value never hides the alternatives.

Snippets come from the text index with ``[`` ``]`` around matched words;
they are cut into plain and marked segments and printed escaped, so law
text in a snippet can never become markup.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Catalogue
from treatywatch.store.models import DocumentRow, DocumentVersionRow, FindingRow, ProvisionRow
from treatywatch.store.search_index import MAX_QUERY_CHARS, SearchHit, SearchQueryError, search
from treatywatch.web.access import allow
from treatywatch.web.ui.links import article_url, ref_url
from treatywatch.web.ui.render import DB, UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])
FACETS = ("type", "instrument", "chapter", "country", "criterion", "status")
POOL = 200
SHOWN = 50


def snippet_segments(snippet: str) -> list[dict[str, Any]]:
    """``a [b] c`` → plain "a ", marked "b", plain " c" (brackets are the index's markers)."""
    out: list[dict[str, Any]] = []
    rest = snippet
    while rest:
        start = rest.find("[")
        end = rest.find("]", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append({"text": rest, "mark": False})
            break
        if start:
            out.append({"text": rest[:start], "mark": False})
        out.append({"text": rest[start + 1 : end], "mark": True})
        rest = rest[end + 1 :]
    return out


def _provision_facts(
    session: Session, hits: list[SearchHit]
) -> tuple[dict[str, str], dict[str, set[tuple[str, str]]]]:
    """Country per document, and (criterion, status) pairs per provision ref."""
    documents = sorted({h.scope for h in hits if h.entity_type == "provision"})
    if not documents:
        return {}, {}
    countries = dict(
        session.execute(
            select(DocumentRow.id, DocumentRow.jurisdiction_code).where(
                DocumentRow.id.in_(documents)
            )
        ).all()
    )
    wanted = {h.entity_id for h in hits if h.entity_type == "provision"}
    verdicts: dict[str, set[tuple[str, str]]] = {}
    rows = session.execute(
        select(
            DocumentVersionRow.document_id,
            DocumentVersionRow.version_date,
            ProvisionRow.path,
            FindingRow.criterion_id,
            FindingRow.status,
        )
        .join(ProvisionRow, ProvisionRow.id == FindingRow.provision_id)
        .join(DocumentVersionRow, DocumentVersionRow.id == FindingRow.version_id)
        .where(
            DocumentVersionRow.document_id.in_(documents),
            FindingRow.review_status != "rejected",
        )
    )
    for document, date, path, criterion, status in rows:
        ref = f"{document}@{date.isoformat()}#{path.split('/')[0]}"
        if ref in wanted:
            verdicts.setdefault(ref, set()).add((criterion, status))
    return countries, verdicts


def _describe(
    hit: SearchHit,
    catalogue: Catalogue,
    countries: dict[str, str],
    verdicts: dict[str, set[tuple[str, str]]],
) -> dict[str, Any]:
    facets: dict[str, list[str]] = {name: [] for name in FACETS}
    facets["type"] = [hit.entity_type]
    record: dict[str, Any] = {
        "type": hit.entity_type,
        "id": hit.entity_id,
        "title": hit.title,
        "score": hit.score,
        "snippet": snippet_segments(hit.snippet or ""),
    }
    if hit.entity_type == "article" and hit.entity_id in catalogue:
        article = catalogue.article(hit.entity_id)
        record["url"] = article_url(hit.entity_id)
        record["context"] = f"{article.instrument.upper()} Art. {article.number}"
        facets["instrument"] = [article.instrument]
        facets["chapter"] = [f"{article.instrument} {article.chapter}"]
        facets["criterion"] = list(article.criteria)
    elif hit.entity_type == "provision":
        record["url"] = ref_url(hit.entity_id)
        record["context"] = hit.entity_id.split("#", 1)[0]
        country = countries.get(hit.scope)
        facets["country"] = [country] if country else []
        pairs = verdicts.get(hit.entity_id, set())
        facets["criterion"] = sorted({c for c, _s in pairs})
        facets["status"] = sorted({s for _c, s in pairs})
    else:
        record["url"] = None
        record["context"] = hit.scope
    record["facets"] = facets
    return record


def _matches(record: dict[str, Any], chosen: dict[str, str], skip: str | None = None) -> bool:
    return all(value in record["facets"][name] for name, value in chosen.items() if name != skip)


def results(session: Session, q: str, chosen: dict[str, str]) -> dict[str, Any]:
    catalogue = Catalogue.load()
    hits = search(session, q, limit=POOL)
    countries, verdicts = _provision_facts(session, hits)
    records = [_describe(h, catalogue, countries, verdicts) for h in hits]
    facets = {}
    for name in FACETS:
        tally: Counter[str] = Counter()
        for record in records:
            if _matches(record, chosen, skip=name):
                tally.update(record["facets"][name])
        facets[name] = [
            {"value": v, "count": n, "chosen": chosen.get(name) == v}
            for v, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    kept = [r for r in records if _matches(r, chosen)]
    return {"total": len(kept), "results": kept[:SHOWN], "facets": facets}


@router.get("/search", summary="Search articles and provisions, with facets")
def search_page(
    request: Request,
    session: DB,
    q: str = "",
    type: str = "",
    instrument: str = "",
    chapter: str = "",
    country: str = "",
    criterion: str = "",
    status: str = "",
) -> Response:
    given = {
        "type": type,
        "instrument": instrument,
        "chapter": chapter,
        "country": country,
        "criterion": criterion,
        "status": status,
    }
    chosen = {k: v[:200] for k, v in given.items() if v}
    query = q.strip()[: MAX_QUERY_CHARS + 1]
    data: dict[str, Any] = {"q": query, "chosen": chosen, "total": 0, "results": [], "facets": {}}
    if query:
        try:
            data.update(results(session, query, chosen))
        except SearchQueryError as exc:
            data["error"] = {"message": exc.message, "hint": exc.hint}
    return page(request, "ui/search.html.j2", data, title="Search")


allow("public", "GET", "/search")
