"""Per-country scorecards and the comparison matrix across countries.

Both are read exactly as the published reports read them
(:func:`treatywatch.report.compare.country_row` / ``compare``), so an API
number and a report number can never disagree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from treatywatch.errors import TreatywatchError
from treatywatch.report.compare import By, CountryRow, compare, country_row
from treatywatch.report.targets import resolve_countries
from treatywatch.web.api.common import DB, RESPONSES, StoreUrl, rule
from treatywatch.web.api.errors import InvalidParameterError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.pagination import CursorParam, Limit, link_header, list_page
from treatywatch.web.api.schemas import ComparisonOut, Page, ScorecardOut, ScorecardSummary

router = APIRouter(tags=["scorecards"], responses=RESPONSES)

ScorecardSort = Literal["code", "-code", "score", "-score", "name", "-name"]
MAX_COUNTRIES = 300


def summary_record(row: CountryRow) -> dict[str, Any]:
    card = row.scorecard
    return {
        "code": row.code,
        "name": row.name,
        "score": card.score,
        "findings": card.findings,
        "reviewed_share": card.reviewed_share,
        "status_counts": card.status_counts(),
        "implemented": row.implemented,
    }


def scorecard_record(row: CountryRow) -> dict[str, Any]:
    return {**row.scorecard.record(), "coverage": row.coverage, "warnings": row.warnings}


@router.get("/scorecards", response_model=Page[ScorecardSummary], summary="Country scorecards")
def list_scorecards(
    request: Request,
    session: DB,
    sort: ScorecardSort = "code",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    """One summary per country with stored laws: overall score, verdict counts, coverage.

    ``score`` sorts countries without an assessment (score null) first
    ascending and last descending.
    """
    codes = resolve_countries(session, None)
    rows = [summary_record(country_row(session, code)) for code in codes]
    page = list_page(
        rows,
        sort=sort,
        keys={
            "code": lambda r: (r["code"],),
            "name": lambda r: (r["name"].lower(), r["code"]),
            "score": lambda r: (-1.0 if r["score"] is None else r["score"], r["code"]),
        },
        cursor=cursor,
        limit=limit,
    )
    return respond(
        request,
        page.body(page.items),
        model=Page[ScorecardSummary],
        headers=link_header(request, page),
    )


rule("public", "GET", "/scorecards")


@router.get("/scorecards/{code}", response_model=ScorecardOut, summary="One country's scorecard")
def get_scorecard(request: Request, session: DB, code: str) -> Response:
    """The criterion verdicts, changes between versions and UNCC coverage of one country."""
    [resolved] = resolve_countries(session, [code])
    return respond(request, scorecard_record(country_row(session, resolved)), model=ScorecardOut)


rule("public", "GET", "/scorecards/{code}")


@router.get("/comparison", response_model=ComparisonOut, summary="Comparison matrix")
def get_comparison(
    request: Request,
    url: StoreUrl,
    countries: Annotated[
        list[str] | None,
        Query(max_length=MAX_COUNTRIES, description="ISO3 codes (repeat); all with laws if none."),
    ] = None,
    by: Literal["criteria", "articles"] = "criteria",
    sort: Annotated[
        str | None,
        Query(max_length=60, description="A column: score, implemented, name or a criterion id."),
    ] = None,
) -> Response:
    """Countries × rights criteria (``by=criteria``) or × UNCC articles (``by=articles``)."""
    try:
        result = compare(countries or None, by=By(by), sort=sort, url=url)
    except TreatywatchError as exc:
        if type(exc) is TreatywatchError:  # an unknown sort column
            raise InvalidParameterError(exc.message, hint=exc.hint) from None
        raise
    return respond(request, result.record(), model=ComparisonOut)


rule("public", "GET", "/comparison")
