"""Country profiles: treaty status, timeline, laws, UNCC coverage, scorecard, map.

A country is read exactly as its report reads it — the latest version of
each stored law, findings folded by :mod:`treatywatch.report.scorecard`,
coverage from :mod:`treatywatch.align.coverage` — so the page, the report
and the comparison matrix agree. What the pipeline has not done yet is
said with the command that does it, never shown as a verdict.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.align.coverage import coverage_for_versions
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import list_documents
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.ledger.status import ledger_status
from treatywatch.ledger.timeline import timeline
from treatywatch.report.charts import legend, status_bar_chart
from treatywatch.report.findings import findings_for_versions, version_ref
from treatywatch.report.history import changes_for_documents
from treatywatch.report.palette import NO_DATA, score_colour
from treatywatch.report.scorecard import build_scorecard
from treatywatch.report.targets import countries_with_laws, country_name, latest_versions
from treatywatch.report.worldmap import MapDatum, choropleth
from treatywatch.store.changes import CATALOGUE, LEDGER, country_scope, stamp, version_scope
from treatywatch.store.models import (
    AlignmentRunRow,
    DocumentRow,
    DocumentVersionRow,
)
from treatywatch.web.access import allow
from treatywatch.web.ui.links import article_url, country_url, ref_url, report_url, version_url
from treatywatch.web.ui.pagecache import BuiltPage, PageSource, serve_cached
from treatywatch.web.ui.refresh import prefetcher
from treatywatch.web.ui.render import DB, UiRoute, page

router = APIRouter(route_class=UiRoute, tags=["ui"])


@router.get("/countries", summary="Countries with stored laws")
def countries(request: Request, session: DB) -> Response:
    documents = list_documents(session)
    rows: dict[str, dict[str, Any]] = {}
    for code in countries_with_laws(session):
        rows[code] = {
            "code": code,
            "name": country_name(session, code),
            "laws": 0,
            "url": country_url(code),
        }
    for document in documents:
        if document["country"] in rows:
            rows[document["country"]]["laws"] += 1
    data = {"countries": list(rows.values())}
    return page(request, "ui/countries.html.j2", data, title="Countries")


allow("public", "GET", "/countries")


_LEDGER_CACHE: dict[str, tuple[tuple[object, ...], dict[str, dict[str, Any]]]] = {}
_LEDGER_LOCK = threading.Lock()


def _ledger_states(session: Session) -> dict[str, dict[str, Any]]:
    """UNCC status of every State today, recomputed only when the ledger changes.

    A State's status depends on every other State's deposits (entry into
    force), so the whole ledger is read; the result is reused while the
    ``ledger`` scope of the store's change log is unchanged, on the same day.
    """
    current = (dt.date.today(), stamp(session, [LEDGER]).token())
    key = str(session.get_bind().engine.url)
    with _LEDGER_LOCK:
        cached = _LEDGER_CACHE.get(key)
    if cached and cached[0] == current:
        return cached[1]
    report = ledger_status(session, "uncc", as_of=dt.date.today())
    states = {s["code"]: s for s in report["states"]}
    with _LEDGER_LOCK:
        _LEDGER_CACHE[key] = (current, states)
    return states


def _treaty_status(session: Session, code: str) -> dict[str, Any] | None:
    state = _ledger_states(session).get(code)
    if state is None:
        return None
    return {
        "status": state["status"],
        "signed": (state.get("signature") or {}).get("date"),
        "consent": (state.get("consent") or {}).get("date"),
        "party_from": state.get("party_from"),
    }


def profile(session: Session, code: str) -> dict[str, Any]:
    """Everything the country page shows, as one JSON-able record."""
    jurisdiction = lookup(code)
    code = jurisdiction.code
    versions = latest_versions(session, code)
    refs = [version_ref(v) for v in versions]
    found = findings_for_versions(session, [v.id for v in versions])
    aligned = set(
        session.scalars(
            select(AlignmentRunRow.version_id).where(
                AlignmentRunRow.version_id.in_([v.id for v in versions])
            )
        )
    )
    laws = [
        {
            **r.record(),
            "url": version_url(r.document_id, r.version_date),
            "aligned": r.version_id in aligned,
            "assessed": bool(found.get(r.version_id)),
        }
        for r in refs
    ]
    findings = [f for r in refs for f in found.get(r.version_id, [])]
    changes = changes_for_documents(session, [v.document_id for v in versions])
    card = build_scorecard(code, jurisdiction.name, refs, findings, changes).record()
    articles, warnings = coverage_for_versions(session, versions)
    coverage = []
    for item in articles:
        record = item.record()
        record["url"] = article_url(item.article_id)
        for provision in record["provisions"]:
            provision["url"] = ref_url(provision["provision"])
        coverage.append(record)
    todo = [
        {"ref": law["ref"], "command": f"treatywatch align {law['ref']}", "step": "align"}
        for law in laws
        if not law["aligned"]
    ] + [
        {"ref": law["ref"], "command": f"treatywatch assess {law['ref']}", "step": "assess"}
        for law in laws
        if not law["assessed"]
    ]
    return {
        "country": {
            "code": code,
            "name": jurisdiction.name,
            "numeric": jurisdiction.numeric,
            "kind": jurisdiction.kind,
        },
        "treaty_status": _treaty_status(session, code),
        "laws": laws,
        "assessed": any(law["assessed"] for law in laws),
        "scorecard": card,
        "coverage": coverage,
        "coverage_counts": {
            status: sum(1 for a in coverage if a["mandatory"] and a["status"] == status)
            for status in ("implemented", "partial", "not-found")
        },
        "warnings": warnings,
        "todo": todo,
        "timeline": timeline(session, code)["items"],
        "report_url": report_url(code) if versions else None,
    }


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    card = data["scorecard"]
    counts = {k: v for k, v in card["status_counts"].items() if v}
    country = data["country"]
    assessed = data["assessed"]
    fill = score_colour(card["score"]) if assessed else NO_DATA
    label = f"score {card['score']:.0f}%" if card["score"] is not None else "not assessed"
    world = choropleth(
        [MapDatum(country["code"], country["numeric"], country["name"], fill, label)],
        f"Where {country['name']} is on the world map",
        [("this State", fill)],
    )
    return {
        "status_bars": status_bar_chart(counts, "Criteria by status") if assessed else None,
        "legend": legend(),
        "map": world.svg,
        "on_map": bool(world.mapped),
    }


@router.get("/countries/{code}", summary="Country profile")
async def country(request: Request, code: str) -> Response:
    if len(code) > 40:
        raise TreatywatchError(f"{code[:40]!r}… is not a country code", hint="use ISO alpha-3")
    return await serve_cached(request, lambda _session: country_source(lookup(code).code))


def country_source(code: str) -> PageSource:
    """The country page of ``code`` (canonical ISO3), buildable without a request."""

    def build(session: Session) -> BuiltPage:
        data = profile(session, code)
        title = f"{data['country']['name']} ({data['country']['code']})"
        return BuiltPage("ui/country.html.j2", data, title, {"charts": _charts(data)})

    return PageSource(lambda session: country_scopes(session, code), build)


@prefetcher
def _every_country_page(session: Session) -> list[tuple[str, PageSource]]:
    """Built at start-up: one page per country with laws (bounded by the world)."""
    return [(country_url(code), country_source(code)) for code in countries_with_laws(session)]


def country_scopes(session: Session, code: str) -> list[str]:
    """What a country page depends on: its laws (every version), the ledger, the catalogue."""
    versions = session.scalars(
        select(DocumentVersionRow.id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentRow.jurisdiction_code == code)
    )
    return [country_scope(code), LEDGER, CATALOGUE, *(version_scope(v) for v in versions)]


allow("public", "GET", "/countries/{code}")
