"""Instruments, articles (with their Budapest/UNCC counterparts), crosswalk, criteria.

Read from the packaged catalogue (loaded once, cached), not the store: it is
the source the store is synced from, and a lookup costs no query.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from treatywatch.catalogue import Catalogue
from treatywatch.catalogue.models import Category, CrosswalkRelation
from treatywatch.suggest import close_matches
from treatywatch.web.api import records
from treatywatch.web.api.common import RESPONSES, rule
from treatywatch.web.api.errors import NotFoundError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, link_header, list_page
from treatywatch.web.api.schemas import (
    ArticleOut,
    CriterionOut,
    CrosswalkOut,
    InstrumentOut,
    Page,
)

router = APIRouter(tags=["catalogue"], responses=RESPONSES)

InstrumentId = Literal["uncc", "budapest"]
ArticleSort = Literal["number", "-number", "id", "-id", "title", "-title"]


def _instrument(catalogue: Catalogue, instrument_id: str) -> Any:
    if instrument_id not in catalogue.instruments:
        known = list(catalogue.instruments)
        suggestions = close_matches(instrument_id, [(k, k) for k in known])
        raise NotFoundError(
            f"unknown instrument {instrument_id!r}",
            hint=f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else f"instruments: {', '.join(known)}",
        )
    return catalogue.instruments[instrument_id]


@router.get("/instruments", response_model=list[InstrumentOut], summary="List instruments")
def list_instruments(request: Request) -> Response:
    """The conventions in the catalogue (UNCC, Budapest) with their chapters."""
    catalogue = Catalogue.load()
    data = [records.instrument_record(i) for i in catalogue.instruments.values()]
    return respond(request, [InstrumentOut.model_validate(d).model_dump(mode="json") for d in data])


rule("public", "GET", "/instruments")


@router.get("/instruments/{instrument_id}", response_model=InstrumentOut, summary="One instrument")
def get_instrument(request: Request, instrument_id: str) -> Response:
    """An instrument's facts and chapters; unknown ids are a 404 with suggestions."""
    instrument = _instrument(Catalogue.load(), instrument_id)
    return respond(request, records.instrument_record(instrument), model=InstrumentOut)


rule("public", "GET", "/instruments/{instrument_id}")


@router.get("/articles", response_model=Page[ArticleOut], summary="List articles")
def list_articles(
    request: Request,
    instrument: InstrumentId | None = None,
    chapter: Annotated[
        str | None, Query(max_length=10, description="Roman numeral, e.g. II.")
    ] = None,
    category: Category | None = None,
    criterion: Annotated[
        str | None, Query(max_length=60, description="Articles a rights criterion applies to.")
    ] = None,
    sort: ArticleSort = "number",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """Articles of both conventions, each with its counterparts in the other one.

    Filters combine (AND). Sorting is by article number within an instrument
    (``number``), by id or by title; prefix ``-`` for descending.
    """
    catalogue = Catalogue.load()
    chosen = catalogue.articles(instrument=instrument, chapter=chapter, category=category)
    if criterion:
        chosen = [a for a in chosen if criterion in a.criteria]
    page = list_page(
        chosen,
        sort=sort,
        keys={
            "number": lambda a: (a.instrument, a.number, str(a.id)),
            "id": lambda a: (str(a.id),),
            "title": lambda a: (a.title.lower(), str(a.id)),
        },
        cursor=cursor,
        limit=limit,
    )
    body = page.body([records.article_out(a, catalogue) for a in page.items])
    return respond(request, body, model=Page[ArticleOut], headers=link_header(request, page))


rule("public", "GET", "/articles")


@router.get(
    "/articles/{instrument}/{article}",
    response_model=ArticleOut,
    summary="One article with its counterparts",
)
def get_article(request: Request, instrument: str, article: str) -> Response:
    """``/articles/uncc/art-28``: the article, its obligations, safeguards and crosswalk links.

    An unknown id is a 404 whose hint suggests close ids or titles.
    """
    catalogue = Catalogue.load()
    found = catalogue.article(f"{instrument}/{article}")
    return respond(request, records.article_out(found, catalogue), model=ArticleOut)


rule("public", "GET", "/articles/{instrument}/{article}")


@router.get("/crosswalk", response_model=Page[CrosswalkOut], summary="UNCC ↔ Budapest crosswalk")
def list_crosswalk(
    request: Request,
    relation: CrosswalkRelation | None = None,
    article: Annotated[
        str | None, Query(max_length=60, description="Links involving this article id.")
    ] = None,
    limit: Limit = 200,
    cursor: CursorParam = None,
) -> Response:
    """Every link between the two conventions, with its relation and a note."""
    catalogue = Catalogue.load()
    rows = [
        {"n": n, **r}
        for n, r in enumerate(catalogue.crosswalk_records())
        if (relation is None or r["relation"] == relation.value)
        and (article is None or article in (r["uncc"], r["budapest"]))
    ]
    page = list_page(rows, sort="n", keys={"n": lambda r: (r["n"],)}, cursor=cursor, limit=limit)
    items = [{k: v for k, v in r.items() if k != "n"} for r in page.items]
    return respond(
        request, page.body(items), model=Page[CrosswalkOut], headers=link_header(request, page)
    )


rule("public", "GET", "/crosswalk")


@router.get("/criteria", response_model=Page[CriterionOut], summary="Rights criteria")
def list_criteria(request: Request, limit: Limit = 50, cursor: CursorParam = None) -> Response:
    """The human-rights questions every national law is checked against, in order."""
    criteria = list(Catalogue.load().criteria)
    page = list_page(
        criteria, sort="number", keys={"number": lambda c: (c.number,)}, cursor=cursor, limit=limit
    )
    body = page.body([records.criterion_record(c) for c in page.items])
    return respond(request, body, model=Page[CriterionOut], headers=link_header(request, page))


rule("public", "GET", "/criteria")


@router.get("/criteria/{criterion_id}", response_model=CriterionOut, summary="One criterion")
def get_criterion(request: Request, criterion_id: str) -> Response:
    """One criterion with its evidence rules and severity scale."""
    criterion = Catalogue.load().criterion(criterion_id)
    return respond(request, records.criterion_record(criterion), model=CriterionOut)


rule("public", "GET", "/criteria/{criterion_id}")
