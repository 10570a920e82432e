"""Coverage of UNCC articles per law and per country, on the fictional Norland law.

Statuses depend on scores, so tests that need a given status pin it with a
review decision or with ``implemented_score`` rather than relying on the
calibration of the day.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from treatywatch.align import review
from treatywatch.align.coverage import CORE_CATEGORIES, NoDocumentsError, coverage
from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.service import align_document
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.ledger.jurisdictions import UnknownJurisdictionError
from treatywatch.samples import NORLAND_AMENDED, SAMPLE_LAWS, SampleLaw
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, ProvisionRow

NORLAND = SAMPLE_LAWS[0]
DOC = NORLAND.document_id
REF = f"{DOC}@{NORLAND.date.isoformat()}"


def ingest_sample(url: str, law: SampleLaw) -> None:
    ingest(
        IngestRequest(
            path=law.path("txt"),
            country=law.country,
            doc_id=law.document_id,
            date=law.date,
            title=law.title,
        ),
        url=url,
    )


@pytest.fixture(scope="module")
def engine() -> AlignmentEngine:
    return AlignmentEngine(EngineOptions(methods=("lexical", "rules", "context")))


@pytest.fixture
def aligned(initialised: str, engine: AlignmentEngine) -> str:
    ingest_sample(initialised, NORLAND)
    align_document(REF, url=initialised, engine=engine)
    return initialised


def links(url: str, article: str) -> list[tuple[int, str]]:
    with session_scope(url) as session:
        return [
            (int(i), p)
            for i, p in session.execute(
                select(AlignmentRow.id, ProvisionRow.path)
                .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
                .where(AlignmentRow.article_id == article)
            )
        ]


def test_statuses_follow_the_rules(aligned: str) -> None:
    everything_counts = {
        a.article_id: a for a in coverage(REF, url=aligned, implemented_score=0.0).articles
    }
    nothing_counts = {
        a.article_id: a for a in coverage(REF, url=aligned, implemented_score=1.0).articles
    }
    for article_id, item in everything_counts.items():
        if item.provisions:
            assert item.status == "implemented" and not item.confirmed
            assert nothing_counts[article_id].status == "partial"
        else:
            assert item.status == nothing_counts[article_id].status == "not-found"
    assert everything_counts["uncc/art-7"].provisions, "the engine should link sec-4 to art-7"
    assert any(a.status == "not-found" for a in everything_counts.values())


def test_an_accepted_link_makes_an_article_implemented_and_confirmed(aligned: str) -> None:
    aid = next(i for i, path in links(aligned, "uncc/art-7") if path == "sec-4")
    review.accept(aid, "Ada", url=aligned)
    art7 = next(
        a
        for a in coverage(DOC, url=aligned, implemented_score=1.0).articles
        if a.article_id == "uncc/art-7"
    )
    assert art7.status == "implemented" and art7.confirmed
    assert art7.provisions[0].ref == f"{REF}#sec-4"
    assert art7.provisions[0].status == "accepted"


def test_rejecting_every_link_leaves_the_article_not_found(aligned: str) -> None:
    for aid, _path in links(aligned, "uncc/art-8"):
        review.reject(aid, "Ada", url=aligned)
    art8 = next(a for a in coverage(DOC, url=aligned).articles if a.article_id == "uncc/art-8")
    assert art8.status == "not-found" and art8.provisions == []


def test_named_paragraphs_that_miss_a_mandatory_one_make_it_partial(aligned: str) -> None:
    aid = review.add(f"{DOC}#sec-10", "uncc/art-13", "Ada", paragraphs=["1 (a)"], url=aligned)
    art13 = next(a for a in coverage(DOC, url=aligned).articles if a.article_id == "uncc/art-13")
    assert art13.status == "partial" and art13.confirmed
    assert art13.missing_paragraphs == ["1 (b)", "1 (c)"]
    link = aid.record()["alignments"][0]["id"]
    review.accept(link, "Ada", paragraphs=["1"], url=aligned)  # "1" names 1 (a)–(c)
    art13 = next(a for a in coverage(DOC, url=aligned).articles if a.article_id == "uncc/art-13")
    assert art13.status == "implemented" and art13.missing_paragraphs == []


def test_report_shape_categories_and_mandatory_flags(aligned: str) -> None:
    report = coverage("XNL", url=aligned)
    assert report.scope == "country" and report.versions == [REF]
    assert {a.category for a in report.articles} == set(CORE_CATEGORIES)
    counts = report.counts()
    assert counts["all"]["articles"] == len(report.articles)
    for values in counts.values():
        assert values["implemented"] + values["partial"] + values["not-found"] == values["articles"]
    record = report.record()
    by_id = {a["article"]: a for a in record["articles"]}
    assert by_id["uncc/art-7"]["mandatory"] is True  # "mixed": paragraph 1 binds
    assert by_id["uncc/art-48"]["mandatory"] is False  # joint investigations: optional
    assert by_id["uncc/art-13"]["mandatory_paragraphs"] == ["1 (a)", "1 (b)", "1 (c)"]
    every = coverage("XNL", url=aligned, all_articles=True)
    assert len(every.articles) == 68 > len(report.articles)
    row = report.rows()[0]
    assert set(row) >= {"article", "status", "mandatory", "provisions"}


def test_country_coverage_uses_latest_versions_and_warns_when_not_aligned(
    aligned: str,
) -> None:
    assert coverage("XNL", url=aligned).warnings == []
    ingest_sample(aligned, NORLAND_AMENDED)
    report = coverage("XNL", url=aligned)
    latest = f"{DOC}@{NORLAND_AMENDED.date.isoformat()}"
    assert report.versions == [latest]
    assert report.warnings and latest in report.warnings[0]
    assert all(a.status == "not-found" for a in report.articles)


def test_bad_targets(aligned: str) -> None:
    with pytest.raises(UnknownJurisdictionError):
        coverage("Norland", url=aligned)
    with pytest.raises(NoDocumentsError) as caught:
        coverage("KEN", url=aligned)
    assert caught.value.hint and "ingest" in caught.value.hint
