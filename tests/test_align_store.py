"""Storing engine output: suggestions refreshed, human decisions never touched.

Uses the real engine on the fictional Norland sample law, on SQLite and
(when configured) PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from treatywatch.align import review
from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.service import (
    AlignmentOptionsError,
    NoProvisionsError,
    align_country,
    align_document,
    engine_options,
)
from treatywatch.ingest.documents import UnknownDocumentError
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.ledger.jurisdictions import UnknownJurisdictionError, ensure_jurisdiction
from treatywatch.samples import SAMPLE_LAWS, SampleLaw
from treatywatch.store import session_scope
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    AuditLogRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
)

NORLAND = SAMPLE_LAWS[0]
DOC = NORLAND.document_id
FAST = EngineOptions(methods=("lexical", "rules", "context"))


def ingest_sample(url: str, law: SampleLaw = NORLAND) -> None:
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
    return AlignmentEngine(FAST)


@pytest.fixture
def norland(initialised: str) -> str:
    ingest_sample(initialised)
    return initialised


def rows(url: str) -> dict[tuple[int, str], dict[str, Any]]:
    with session_scope(url) as session:
        return {
            (r.provision_id, r.article_id): {
                "id": r.id,
                "status": r.status,
                "score": r.score,
                "rank": r.rank,
                "methods": r.methods,
                "reviewer": r.reviewer,
                "comment": r.review_comment,
                "reviewed_at": r.reviewed_at,
                "signals": r.evidence.get("signals"),
            }
            for r in session.scalars(select(AlignmentRow))
        }


def audit_rows(url: str, action: str | None = None) -> list[AuditLogRow]:
    with session_scope(url) as session:
        query = select(AuditLogRow).order_by(AuditLogRow.id)
        if action:
            query = query.where(AuditLogRow.action == action)
        return list(session.scalars(query))


def path_of(url: str, provision_id: int) -> str:
    with session_scope(url) as session:
        row = session.get(ProvisionRow, provision_id)
        assert row is not None
        return row.path


def test_first_run_stores_suggestions_with_evidence_and_one_audit_row(
    norland: str, engine: AlignmentEngine
) -> None:
    report = align_document(DOC, url=norland, engine=engine)
    counts = report.counts()
    assert counts["provisions"] == 31
    assert counts["matched"] + counts["no_match"] == 31
    assert counts["matched"] >= 15 and counts["no_match"] >= 1
    stored = rows(norland)
    assert len(stored) == counts["suggested"] == counts["created"]
    assert {r["status"] for r in stored.values()} == {"suggested"}
    assert all(r["signals"] for r in stored.values())
    # Both instruments are stored, ranked within each instrument.
    articles = {article for _pid, article in stored}
    assert any(a.startswith("uncc/") for a in articles)
    assert any(a.startswith("budapest/") for a in articles)
    by_path = {(path_of(norland, pid), a): r for (pid, a), r in stored.items()}
    assert by_path[("sec-4", "uncc/art-7")]["rank"] == 1
    assert ("sec-4", "budapest/art-2") in by_path

    runs = audit_rows(norland, "align.run")
    assert len(runs) == 1  # one per run, not one per suggestion
    assert runs[0].entity_id == f"{DOC}@{NORLAND.date.isoformat()}"
    assert runs[0].before is None
    assert runs[0].after is not None
    assert runs[0].after["suggested"] == counts["suggested"]
    assert runs[0].after["methods"] == engine.info.methods
    with session_scope(norland) as session:
        run = session.scalars(select(AlignmentRunRow)).one()
        assert run.provision_count == 31 and run.suggested == counts["suggested"]
        assert run.methods == ["lexical", "rules", "context"]
    record = report.record()
    assert record["engine"]["methods"] == ["lexical", "rules", "context"]
    assert record["counts"]["kept_reviewed"] == 0
    first = record["provisions"][3]
    assert first["provision"] == "sec-4"
    assert first["candidates"][0]["status"] == "suggested"


def test_rerun_is_idempotent(norland: str, engine: AlignmentEngine) -> None:
    align_document(DOC, url=norland, engine=engine)
    before = rows(norland)
    again = align_document(DOC, url=norland, engine=engine)
    after = rows(norland)
    assert after == before  # same pairs, same row ids, same scores and evidence
    assert again.counts()["created"] == 0
    assert again.counts()["removed"] == 0
    assert again.counts()["updated"] == len(before)
    runs = audit_rows(norland, "align.run")
    assert len(runs) == 2
    assert runs[1].before == {"suggested": len(before), "reviewed": 0}


def test_rerun_never_touches_reviewed_rows_nor_resuggests_a_rejected_pair(
    norland: str, engine: AlignmentEngine
) -> None:
    align_document(DOC, url=norland, engine=engine)
    stored = rows(norland)
    by_path = {(path_of(norland, pid), a): r for (pid, a), r in stored.items()}
    accepted_id = by_path[("sec-4", "uncc/art-7")]["id"]
    rejected_key = next(k for k in by_path if k[0] == "sec-19" and k[1].startswith("uncc/"))
    rejected_id = by_path[rejected_key]["id"]
    review.accept(accepted_id, "A. Analyst", "clear", url=norland)
    review.reject(rejected_id, "B. Reviewer", "wrong article", url=norland)
    reviewed = {k: v for k, v in rows(norland).items() if v["id"] in (accepted_id, rejected_id)}

    again = align_document(DOC, url=norland, engine=engine)
    after = rows(norland)
    for key, value in reviewed.items():
        assert after[key] == value  # status, reviewer, comment, time, score untouched
    assert again.counts()["kept_reviewed"] == 2
    assert again.counts()["blocked_by_review"] == 2  # the engine still suggests both
    assert len(after) == len(stored)  # the rejected pair was not suggested again
    sec19 = next(p for p in again.record()["provisions"] if p["provision"] == "sec-19")
    statuses = {c["article"]: c["status"] for c in sec19["candidates"]}
    assert statuses[rejected_key[1]] == "rejected"


def test_stale_suggestions_are_removed_only_for_the_instruments_aligned(
    norland: str, engine: AlignmentEngine
) -> None:
    align_document(DOC, url=norland, engine=engine)
    with session_scope(norland) as session:
        sec1 = session.scalars(select(ProvisionRow).where(ProvisionRow.path == "sec-1")).one()
        for article in ("uncc/art-30", "budapest/art-21"):  # sec-1 is the short title
            session.add(
                AlignmentRow(
                    provision_id=sec1.id,
                    article_id=article,
                    score=0.9,
                    methods=["lexical"],
                    evidence={},
                    status="suggested",
                )
            )
    uncc_only = AlignmentEngine(EngineOptions(methods=FAST.methods, instruments=("uncc",)))
    report = align_document(DOC, url=norland, engine=uncc_only)
    assert report.counts()["removed"] == 1
    after = {(path_of(norland, pid), a) for pid, a in rows(norland)}
    assert ("sec-1", "uncc/art-30") not in after
    assert ("sec-1", "budapest/art-21") in after  # Budapest was not re-aligned
    assert ("sec-4", "budapest/art-2") in after


def test_a_document_without_provisions_is_a_clear_error_and_writes_nothing(
    initialised: str, engine: AlignmentEngine
) -> None:
    import datetime as dt

    with session_scope(initialised) as session:
        ensure_jurisdiction(session, "XNL")
        session.add(DocumentRow(id="xnl/act/2020/empty", jurisdiction_code="XNL", title="Empty"))
        session.flush()
        session.add(
            DocumentVersionRow(
                document_id="xnl/act/2020/empty",
                version_date=dt.date(2020, 1, 1),
                sha256="0" * 64,
                source_format="txt",
            )
        )
    audit_before = len(audit_rows(initialised))
    with pytest.raises(NoProvisionsError) as caught:
        align_document("xnl/act/2020/empty", url=initialised, engine=engine)
    assert "xnl/act/2020/empty@2020-01-01" in caught.value.message
    assert caught.value.hint and "re-ingest" in caught.value.hint
    with session_scope(initialised) as session:
        assert session.scalar(select(func.count()).select_from(AlignmentRunRow)) == 0
    assert len(audit_rows(initialised)) == audit_before


def test_unknown_document_and_bad_options_are_typed_errors(
    norland: str, engine: AlignmentEngine
) -> None:
    with pytest.raises(UnknownDocumentError) as caught:
        align_document("xnl/act/2024/norland-cce", url=norland, engine=engine)
    assert caught.value.hint and DOC in caught.value.hint
    with pytest.raises(AlignmentOptionsError, match="bogus"):
        engine_options(["lexical", "bogus"])
    with pytest.raises(AlignmentOptionsError, match="ecowas"):
        engine_options(None, ["ecowas"])


def test_align_country_aligns_the_latest_version_of_each_law(
    norland: str, engine: AlignmentEngine
) -> None:
    result = align_country("xnl", url=norland, engine=engine)
    assert result.scope == "XNL"
    assert [r.ref for r in result.reports] == [f"{DOC}@{NORLAND.date.isoformat()}"]
    assert result.failures == []
    with pytest.raises(UnknownJurisdictionError):
        align_country("XXQ", url=norland, engine=engine)


def test_default_engine_options_run_and_say_which_methods_ran(norland: str) -> None:
    report = align_document(DOC, url=norland)
    info = report.record()["engine"]
    assert {"lexical", "rules", "context"} <= set(info["methods"])
    if "embedding" in info["methods"]:
        assert info["embedding_model"]
    else:  # no model installed: the output must say so
        assert any("embedding" in w for w in info["warnings"])
    assert report.counts()["matched"] >= 15
    by_path = {p["provision"]: p for p in report.provisions}
    assert "uncc/art-7" in [c["article"] for c in by_path["sec-4"]["candidates"]]
