"""`treatywatch align|alignments|review|coverage` through the real entry point."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, AlignmentRunRow, AuditLogRow

NORLAND = SAMPLE_LAWS[0]
DOC = NORLAND.document_id
REF = f"{DOC}@{NORLAND.date.isoformat()}"
FAST = ("--methods", "lexical,rules,context")


def snapshot(url: str) -> tuple[int, int, int, list[tuple[int, str, str | None]]]:
    """Everything a failing command must leave as it was."""
    with session_scope(url) as session:
        runs = session.scalar(select(func.count()).select_from(AlignmentRunRow)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditLogRow)) or 0
        stored = session.execute(
            select(AlignmentRow.id, AlignmentRow.status, AlignmentRow.reviewer).order_by(
                AlignmentRow.id
            )
        ).all()
        return int(runs), int(audit), len(stored), [tuple(r) for r in stored]  # type: ignore[misc]


@pytest.fixture
def aligned(cli: Any, initialised: str) -> str:
    result = cli(
        "ingest",
        str(NORLAND.path("txt")),
        "--country",
        NORLAND.country,
        "--id",
        DOC,
        "--date",
        NORLAND.date.isoformat(),
        "--title",
        NORLAND.title,
        "--json",
    )
    assert result.code == 0, result.out + result.err
    result = cli("align", DOC, *FAST, "--json")
    assert result.code == 0, result.out + result.err
    return initialised


def test_align_json_shape(cli: Any, aligned: str) -> None:
    data = cli("align", DOC, *FAST, "--instrument", "uncc", "--json").json()
    assert data["document"] == DOC and data["version"] == NORLAND.date.isoformat()
    assert data["engine"]["methods"] == ["lexical", "rules", "context"]
    assert data["instruments"] == ["uncc"]
    assert set(data["counts"]) >= {"provisions", "matched", "no_match", "kept_reviewed"}
    assert data["counts"]["provisions"] == len(data["provisions"]) == 31
    sec4 = data["provisions"][3]
    assert sec4["provision"] == "sec-4" and sec4["no_match"] is False
    top = sec4["candidates"][0]
    assert top["article"] == "uncc/art-7" and 0 < top["score"] <= 1
    assert top["status"] == "suggested" and top["evidence"][0]["method"] in top["methods"]
    assert all(
        c["article"].startswith("uncc/") for p in data["provisions"] for c in p["candidates"]
    )
    assert any(p["no_match"] for p in data["provisions"])


def test_align_table_shows_no_match_and_the_engine_line(cli: Any, aligned: str) -> None:
    result = cli("align", DOC, *FAST)
    assert result.code == 0, result.err
    assert "— no match" in result.out
    assert "uncc/art-7" in result.out
    assert "methods: lexical, rules, context; warnings: none" in result.out


def test_align_errors_leave_the_store_unchanged(cli: Any, aligned: str) -> None:
    before = snapshot(aligned)
    missing = cli("align", "xnl/act/2024/norland", *FAST, "--json")
    assert missing.code == 2
    assert missing.json()["error"] == "UnknownDocumentError"
    assert DOC in missing.json()["hint"]
    bad_method = cli("align", DOC, "--methods", "lexical,magic", "--json")
    assert bad_method.code == 2 and "magic" in bad_method.json()["message"]
    nothing = cli("align")
    assert nothing.code == 2 and "exactly one" in nothing.err
    both = cli("align", DOC, "--country", "XNL")
    assert both.code == 2
    assert snapshot(aligned) == before


def test_review_commands_and_their_json(cli: Any, aligned: str) -> None:
    queue = cli("review", "list", "--document", DOC, "--order", "document", "--json").json()
    assert isinstance(queue, list) and queue
    sec4 = next(i for i in queue if i["path"] == "sec-4" and i["article"] == "uncc/art-7")
    accepted = cli(
        "review",
        "accept",
        str(sec4["id"]),
        "--reviewer",
        "Ada",
        "--comment",
        "ok",
        "--paragraph",
        "1",
        "--json",
    )
    assert accepted.code == 0, accepted.out
    [link] = accepted.json()["alignments"]
    assert link["status"] == "accepted" and link["reviewer"] == "Ada"
    assert link["paragraphs"] == ["1"]

    other = next(i for i in queue if i["id"] != sec4["id"])
    rejected = cli("review", "reject", str(other["id"]), "--reviewer", "Ben", "--json").json()
    assert rejected["alignments"][0]["status"] == "rejected"

    overridden = cli(
        "review",
        "override",
        f"{DOC}#sec-5",
        "uncc/art-9",
        "--old",
        "uncc/art-8",
        "--reviewer",
        "Ada",
        "--json",
    ).json()
    assert [a["status"] for a in overridden["alignments"]] == ["overridden", "accepted"]

    added = cli("review", "add", f"{DOC}#sec-30", "uncc/art-22", "--reviewer", "Ada", "--json")
    assert added.code == 0 and added.json()["alignments"][0]["article"] == "uncc/art-22"

    reviewed = cli("review", "list", "--status", "accepted", "--json").json()
    assert {(i["path"], i["article"]) for i in reviewed} == {
        ("sec-4", "uncc/art-7"),
        ("sec-5", "uncc/art-9"),
        ("sec-30", "uncc/art-22"),
    }

    # A re-run keeps every decision.
    rerun = cli("align", DOC, *FAST, "--json").json()
    assert rerun["counts"]["kept_reviewed"] == 5  # 4 decisions + the overridden row


def test_review_errors_exit_2_and_change_nothing(cli: Any, aligned: str) -> None:
    queue = cli("review", "list", "--json").json()
    aid = str(queue[0]["id"])
    before = snapshot(aligned)
    no_reviewer = cli("review", "accept", aid)
    assert no_reviewer.code == 2  # a usage error: --reviewer is required
    empty = cli("review", "accept", aid, "--reviewer", " ", "--json")
    assert empty.code == 2 and empty.json()["error"] == "ReviewError"
    unknown = cli("review", "reject", "999999", "--reviewer", "Ada", "--json")
    assert unknown.code == 2 and unknown.json()["error"] == "UnknownAlignmentError"
    bad_article = cli("review", "override", aid, "uncc/art-7a", "--reviewer", "Ada", "--json")
    assert bad_article.code == 2 and bad_article.json()["error"] == "UnknownArticleError"
    assert "did you mean" in bad_article.json()["hint"]
    text_error = cli("review", "add", f"{DOC}#sec-99", "uncc/art-7", "--reviewer", "Ada")
    assert text_error.code == 2 and "sec-99" in text_error.err and "hint" in text_error.err
    assert snapshot(aligned) == before


def test_alignments_list_and_provision_detail(cli: Any, aligned: str) -> None:
    listed = cli("alignments", DOC, "--json").json()
    assert listed and {i["status"] for i in listed} == {"suggested"}
    assert all(i["provision"].startswith(REF + "#") for i in listed)
    detail = cli("alignments", f"{DOC}#sec-4", "--json").json()
    assert detail["provision"] == f"{REF}#sec-4" and detail["heading"] == "Unauthorised access"
    assert detail["last_run"]["methods"] == ["lexical", "rules", "context"]
    art7 = next(a for a in detail["alignments"] if a["article"] == "uncc/art-7")
    signal = art7["evidence"]["signals"][0]
    full = "Unauthorised access"
    assert any(s["text"] for s in signal["spans"]) or signal["terms"]
    assert art7["evidence"]["shortlist"][0]["article"] == "uncc/art-7"
    text = cli("alignments", f"{DOC}#sec-4")
    assert text.code == 0 and "uncc/art-7" in text.out and full in text.out
    csv_out = cli("alignments", DOC, "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("id,provision,heading,article,score")


def test_coverage_json_csv_and_table(cli: Any, aligned: str) -> None:
    data = cli("coverage", "XNL", "--json").json()
    assert data["scope"] == "country" and data["target"] == "XNL"
    assert data["versions"] == [REF]
    assert set(data["counts"]["all"]) >= {"implemented", "partial", "not-found"}
    art7 = next(a for a in data["articles"] if a["article"] == "uncc/art-7")
    assert art7["status"] in ("implemented", "partial")
    assert art7["provisions"][0]["provision"] == f"{REF}#sec-4"
    one = cli("coverage", DOC, "--all", "--json").json()
    assert one["scope"] == "document" and len(one["articles"]) == 68
    csv_out = cli("coverage", "XNL", "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("article,title,category,mandatory,status")
    table = cli("coverage", "XNL")
    assert table.code == 0 and "not-found" in table.out and "mandatory not found" in table.out
    unknown = cli("coverage", "XXQ", "--json")
    assert unknown.code == 2 and unknown.json()["error"] == "UnknownJurisdictionError"
