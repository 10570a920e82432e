"""The article browser: UNCC and Budapest articles side by side with their counterparts.

An article page also lists the national provisions linked to it (accepted
or suggested, never rejected), so a reader can go from "Art. 28" to every
stored law that implements it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Catalogue
from treatywatch.catalogue.loader import article_record
from treatywatch.store.changes import CATALOGUE, LAWS, article_scope
from treatywatch.store.models import AlignmentRow, DocumentRow, DocumentVersionRow, ProvisionRow
from treatywatch.web.access import allow
from treatywatch.web.ui.links import article_url, country_url, ref_url
from treatywatch.web.ui.pagecache import BuiltPage, PageSource, serve_cached
from treatywatch.web.ui.refresh import prefetcher
from treatywatch.web.ui.render import UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])
MAX_IMPLEMENTERS = 200


def _brief(article_id: str, catalogue: Catalogue) -> dict[str, Any]:
    article = catalogue.article(article_id)
    return {
        "id": str(article.id),
        "instrument": article.instrument,
        "number": article.number,
        "title": article.title,
        "url": article_url(str(article.id)),
    }


@router.get("/articles", summary="Article browser (HTML; ?format=json for data)")
def articles(request: Request, instrument: str | None = None) -> Response:
    catalogue = Catalogue.load()
    chosen = instrument if instrument in catalogue.instruments else None
    instruments = []
    for inst in catalogue.instruments.values():
        if chosen and inst.id != chosen:
            continue
        chapters = []
        for chapter in inst.chapters:
            items = [a for a in inst.articles if a.chapter == chapter.number]
            chapters.append(
                {
                    "number": chapter.number,
                    "title": chapter.title,
                    "articles": [
                        {
                            **_brief(str(a.id), catalogue),
                            "category": a.category.value,
                            "obligation": a.obligation.value,
                            "counterparts": [
                                _brief(str(c["id"]), catalogue)
                                for c in article_record(a, catalogue)["counterparts"]
                            ],
                        }
                        for a in items
                    ],
                }
            )
        instruments.append({"id": inst.id, "title": inst.info.short_title, "chapters": chapters})
    data = {"instrument": chosen, "instruments": instruments}
    return page(request, "ui/articles.html.j2", data, title="Articles")


allow("public", "GET", "/articles")


def implementers(session: Session, article_id: str) -> list[dict[str, Any]]:
    """Stored provisions linked to the article (accepted first), with their addresses."""
    rows = session.execute(
        select(
            AlignmentRow.id,
            AlignmentRow.status,
            AlignmentRow.score,
            ProvisionRow.path,
            ProvisionRow.label,
            ProvisionRow.heading,
            DocumentVersionRow.version_date,
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.jurisdiction_code,
        )
        .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
        .join(DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(
            AlignmentRow.article_id == article_id,
            AlignmentRow.status.in_(("accepted", "suggested")),
        )
        .order_by(
            DocumentRow.jurisdiction_code,
            DocumentRow.id,
            DocumentVersionRow.version_date,
            ProvisionRow.ordinal,
        )
        .limit(MAX_IMPLEMENTERS)
    ).all()
    out = []
    for row in rows:
        aid, status, score, path, label, heading, date, doc, title, country = tuple(row)
        ref = f"{doc}@{date.isoformat()}#{path}"
        out.append(
            {
                "alignment_id": aid,
                "status": status,
                "score": round(score, 4),
                "provision": ref,
                "label": label,
                "heading": heading,
                "document": doc,
                "document_title": title,
                "country": country,
                "url": ref_url(ref),
                "country_url": country_url(country),
            }
        )
    return out


@router.get(
    "/articles/{instrument}/{article}",
    summary="One article with its counterparts and implementing provisions",
)
async def article_page(request: Request, instrument: str, article: str) -> Response:
    found = Catalogue.load().article(f"{instrument}/{article}")
    return await serve_cached(request, lambda _session: article_source(str(found.id)))


@prefetcher
def _every_article_page(_session: Session) -> list[tuple[str, PageSource]]:
    """Built at start-up: one page per catalogue article (bounded by the treaties)."""
    catalogue = Catalogue.load()
    return [
        (article_url(str(a.id)), article_source(str(a.id)))
        for instrument in catalogue.instruments
        for a in catalogue.articles(instrument=instrument)
    ]


def article_source(article_id: str) -> PageSource:
    """The page of a catalogue article, buildable without a request."""

    def build(session: Session) -> BuiltPage:
        catalogue = Catalogue.load()
        found = catalogue.article(article_id)
        record = article_record(found, catalogue)
        record["url"] = article_url(record["id"])
        record["counterparts"] = [
            {**c, **_brief(str(c["id"]), catalogue)} for c in record["counterparts"]
        ]
        record["safeguards"] = [_brief(s, catalogue) for s in record["safeguards"]]
        record["safeguard_of"] = [
            _brief(str(a.id), catalogue) for a in catalogue.safeguarded_by(found.id)
        ]
        criteria = {c.id: c for c in catalogue.criteria}
        record["criteria"] = [
            {"id": c, "name": criteria[c].name if c in criteria else c} for c in record["criteria"]
        ]
        data = {"article": record, "implementations": implementers(session, record["id"])}
        title = f"{found.instrument.upper()} Art. {found.number} — {found.title}"
        return BuiltPage("ui/article.html.j2", data, title)

    return PageSource(lambda _session: [article_scope(article_id), LAWS, CATALOGUE], build)


allow("public", "GET", "/articles/{instrument}/{article}")
