"""The review workflow on real engine output: accept, reject, override, add, queue."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from treatywatch.align import review
from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.fusion import default_calibration
from treatywatch.align.service import align_document
from treatywatch.catalogue.loader import UnknownArticleError
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.ingest.workid import InvalidIdError
from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, AuditLogRow, ProvisionRow

NORLAND = SAMPLE_LAWS[0]
DOC = NORLAND.document_id
REF = f"{DOC}@{NORLAND.date.isoformat()}"


@pytest.fixture(scope="module")
def engine() -> AlignmentEngine:
    return AlignmentEngine(EngineOptions(methods=("lexical", "rules", "context")))


@pytest.fixture
def aligned(initialised: str, engine: AlignmentEngine) -> str:
    ingest(
        IngestRequest(
            path=NORLAND.path("txt"),
            country=NORLAND.country,
            doc_id=DOC,
            date=NORLAND.date,
            title=NORLAND.title,
        ),
        url=initialised,
    )
    align_document(DOC, url=initialised, engine=engine)
    return initialised


def link_id(url: str, path: str, article: str) -> int:
    with session_scope(url) as session:
        found = session.scalar(
            select(AlignmentRow.id)
            .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
            .where(ProvisionRow.path == path, AlignmentRow.article_id == article)
        )
        assert found is not None, f"no stored link {path} → {article}"
        return int(found)


def row_state(url: str, alignment_id: int) -> dict[str, Any]:
    with session_scope(url) as session:
        row = session.get(AlignmentRow, alignment_id)
        assert row is not None
        return {
            "status": row.status,
            "reviewer": row.reviewer,
            "comment": row.review_comment,
            "reviewed": row.reviewed_at is not None,
            "article": row.article_id,
            "evidence": dict(row.evidence),
        }


def audit_for(url: str, alignment_id: int) -> list[AuditLogRow]:
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(AuditLogRow)
                .where(AuditLogRow.entity_type == "alignment")
                .where(AuditLogRow.entity_id == str(alignment_id))
                .order_by(AuditLogRow.id)
            )
        )


def count(url: str, model: type[Any]) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_accept_records_reviewer_comment_and_audit_before_after(aligned: str) -> None:
    aid = link_id(aligned, "sec-4", "uncc/art-7")
    result = review.accept(aid, "  Ada Analyst ", "matches 7(1)", url=aligned)
    assert result.record()["alignments"][0]["status"] == "accepted"
    assert result.record()["alignments"][0]["provision"] == f"{REF}#sec-4"
    state = row_state(aligned, aid)
    assert state["status"] == "accepted" and state["reviewer"] == "Ada Analyst"
    assert state["comment"] == "matches 7(1)" and state["reviewed"]
    [entry] = audit_for(aligned, aid)
    assert entry.action == "align.accept" and entry.actor == "Ada Analyst"
    assert entry.before is not None and entry.before["status"] == "suggested"
    assert entry.after is not None and entry.after["status"] == "accepted"
    assert "re_review" not in entry.after


def test_reviewing_again_is_allowed_and_logged_as_a_re_review(aligned: str) -> None:
    aid = link_id(aligned, "sec-4", "uncc/art-7")
    review.accept(aid, "Ada", url=aligned)
    review.reject(aid, "Ben", "on reflection, too broad", url=aligned)
    assert row_state(aligned, aid)["status"] == "rejected"
    first, second = audit_for(aligned, aid)
    assert first.action == "align.accept"
    assert second.action == "align.reject"
    assert second.before is not None and second.before["reviewer"] == "Ada"
    assert second.after is not None and second.after["re_review"] is True


def test_override_by_id_marks_the_old_row_and_accepts_the_new_article(aligned: str) -> None:
    aid = link_id(aligned, "sec-4", "uncc/art-7")
    result = review.override(aid, "uncc/art-9", "Ada", "it is data interference", url=aligned)
    old, new = result.record()["alignments"]
    assert old["id"] == aid and old["status"] == "overridden"
    assert new["article"] == "uncc/art-9" and new["status"] == "accepted"
    assert new["override_of"] == "uncc/art-7"
    assert new["methods"] == ["review"] and new["score"] == 1.0
    assert row_state(aligned, new["id"])["evidence"]["reviewer_note"] == ("it is data interference")
    assert [e.action for e in audit_for(aligned, aid)] == ["align.override"]
    [created] = audit_for(aligned, new["id"])
    assert created.before is None and created.after is not None
    assert created.after["status"] == "accepted"


def test_override_by_provision_ref_reuses_an_existing_suggestion(aligned: str) -> None:
    old_id = link_id(aligned, "sec-4", "uncc/art-7")
    existing = link_id(aligned, "sec-5", "uncc/art-8")
    result = review.override((f"{DOC}#sec-5", "uncc/art-8"), "uncc/art-7", "Ada", url=aligned)
    old, new = result.record()["alignments"]
    assert old["id"] == existing and old["status"] == "overridden"
    assert new["article"] == "uncc/art-7" and new["provision"] == f"{REF}#sec-5"
    # sec-4's own link to art-7 is a different row and stays as it was.
    assert row_state(aligned, old_id)["status"] == "suggested"


def test_override_with_an_unknown_article_suggests_one_and_changes_nothing(
    aligned: str,
) -> None:
    aid = link_id(aligned, "sec-4", "uncc/art-7")
    audit_before = count(aligned, AuditLogRow)
    with pytest.raises(UnknownArticleError) as caught:
        review.override(aid, "uncc/art-99", "Ada", url=aligned)
    assert caught.value.hint and "did you mean" in caught.value.hint
    assert row_state(aligned, aid)["status"] == "suggested"
    assert count(aligned, AuditLogRow) == audit_before
    with pytest.raises(review.ReviewError, match="already links"):
        review.override(aid, "uncc/art-7", "Ada", url=aligned)
    with pytest.raises(review.ReviewError, match="different instruments"):
        review.override(aid, "budapest/art-2", "Ada", url=aligned)
    assert row_state(aligned, aid)["status"] == "suggested"


def test_add_links_a_provision_the_engine_missed(aligned: str) -> None:
    result = review.add(f"{DOC}#sec-1", "uncc/art-1", "Ada", "short title", url=aligned)
    [link] = result.record()["alignments"]
    assert link["status"] == "accepted" and link["provision"] == f"{REF}#sec-1"
    assert row_state(aligned, link["id"])["evidence"]["added_by_reviewer"] is True
    [entry] = audit_for(aligned, link["id"])
    assert entry.action == "align.add" and entry.before is None


def test_bad_targets_are_typed_errors_with_hints(aligned: str) -> None:
    audit_before = count(aligned, AuditLogRow)
    with pytest.raises(review.UnknownAlignmentError) as unknown:
        review.accept(987654, "Ada", url=aligned)
    assert unknown.value.hint and "review list" in unknown.value.hint
    for name in ("", "   ", None):
        with pytest.raises(review.ReviewError, match="reviewer"):
            review.accept(link_id(aligned, "sec-4", "uncc/art-7"), name, url=aligned)  # type: ignore[arg-type]
    with pytest.raises(review.ReviewError, match="at most"):
        review.reject(link_id(aligned, "sec-4", "uncc/art-7"), "x" * 101, url=aligned)
    with pytest.raises(review.UnknownProvisionError) as missing:
        review.add(f"{DOC}#sec-40", "uncc/art-7", "Ada", url=aligned)
    assert missing.value.hint and "sec-4" in missing.value.hint
    with pytest.raises(InvalidIdError):
        review.add("not a ref", "uncc/art-7", "Ada", url=aligned)
    with pytest.raises(InvalidIdError):
        review.add(f"{DOC}@2024-13-01#sec-4", "uncc/art-7", "Ada", url=aligned)
    assert count(aligned, AuditLogRow) == audit_before


def test_paragraphs_are_normalised_and_checked_against_the_catalogue(aligned: str) -> None:
    aid = link_id(aligned, "sec-10", "uncc/art-13")
    review.accept(aid, "Ada", paragraphs=["1(a)", "1 b"], url=aligned)
    assert row_state(aligned, aid)["evidence"]["paragraphs"] == ["1 (a)", "1 (b)"]
    other = link_id(aligned, "sec-4", "uncc/art-7")
    with pytest.raises(review.ReviewError, match="no paragraph"):
        review.accept(other, "Ada", paragraphs=["4"], url=aligned)
    assert row_state(aligned, other)["status"] == "suggested"


def test_queue_orders_by_uncertainty_and_filters(aligned: str) -> None:
    items = review.queue(aligned, document=DOC)
    assert items and all(i["status"] == "suggested" for i in items)
    threshold = default_calibration().threshold
    distances = [abs(i["score"] - threshold) for i in items]
    assert distances == sorted(distances)

    in_order = review.queue(aligned, document=DOC, order="document", limit=1000)
    paths = [int(i["path"].split("-")[1]) for i in in_order]
    assert paths == sorted(paths)

    review.accept(link_id(aligned, "sec-4", "uncc/art-7"), "Ada", url=aligned)
    accepted = review.queue(aligned, status="accepted", country="xnl")
    assert [(i["path"], i["article"]) for i in accepted] == [("sec-4", "uncc/art-7")]
    assert all(i["score"] >= 0.6 for i in review.queue(aligned, min_score=0.6))
    assert len(review.queue(aligned, limit=3)) == 3
    with pytest.raises(review.ReviewError, match="unknown review status"):
        review.queue(aligned, status="approved")
