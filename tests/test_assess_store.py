"""Assessment through the store: saving findings, re-runs, review, country scope, CLI.

Uses the fictional Norland sample law shipped in treatywatch.samples.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from treatywatch.assess.review import FindingReviewError, confirm_finding, override_finding
from treatywatch.assess.service import (
    NoDocumentsError,
    assess_country,
    assess_document,
    list_findings,
)
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, FindingRow

NORLAND = SAMPLE_LAWS[0]


@pytest.fixture
def norland(initialised: str) -> str:
    law = NORLAND
    ingest(
        IngestRequest(
            path=law.path("txt"),
            country=law.country,
            title=law.title,
            date=law.date,
            doc_id=law.document_id,
        ),
        url=initialised,
    )
    return initialised


def _find(assessment: Any, detector: str, provision: str | None) -> tuple[int, Any]:
    for fid, finding in zip(assessment.finding_ids, assessment.findings, strict=True):
        if finding.detector == detector and finding.provision_key == provision:
            return fid, finding
    raise AssertionError(f"no {detector} finding on {provision}")


def test_assess_document_stores_findings_and_warns_when_not_aligned(norland: str) -> None:
    assessment = assess_document(NORLAND.document_id, norland)
    assert any("not aligned yet" in w for w in assessment.warnings)
    assert all(fid is not None for fid in assessment.finding_ids)
    _fid, gag = _find(assessment, "transparency.provider-gag", "sec-23")
    assert gag.status == "fails"
    _fid, power = _find(assessment, "judicial-authorization.powers", "sec-21")
    assert power.status == "fails"
    with session_scope(norland) as session:
        stored = session.scalars(select(FindingRow)).all()
        runs = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "assess.run"))
        assert len(stored) == len(assessment.findings)
        assert len(list(runs)) == 1
    record = assessment.record()
    assert record["aligned"] is False and record["scorecard"]["overall"] is not None


def test_rerun_keeps_ids_and_reviewed_findings(norland: str) -> None:
    first = assess_document(NORLAND.document_id, norland)
    fid, _finding = _find(first, "scope.content-offences", "sec-12")
    other_id, _other = _find(first, "scope.content-offences", "sec-13")
    override_finding(
        fid, reviewer="analyst", comment="checked the source", severity="high", url=norland
    )
    confirm_finding(other_id, reviewer="analyst", url=norland)
    with session_scope(norland) as session:  # a stale machine finding that must go
        session.add(
            FindingRow(
                version_id=session.get(FindingRow, fid).version_id,  # type: ignore[union-attr]
                criterion_id="scope",
                provision_id=None,
                status="meets",
                severity="low",
                explanation="stale",
                evidence=[],
                detector="scope.retired-detector",
            )
        )
    second = assess_document(NORLAND.document_id, norland)
    assert sorted(second.finding_ids) == sorted(first.finding_ids)  # type: ignore[type-var]
    again_id, again = _find(second, "scope.content-offences", "sec-12")
    assert again_id == fid
    assert (again.review_status, again.severity, again.reviewer) == (
        "overridden",
        "high",
        "analyst",
    )
    row = next(c for c in second.scorecard.criteria if c.criterion_id == "scope")
    assert row.reviewed == 2


def test_review_is_audit_logged_with_before_and_after(norland: str) -> None:
    fid, finding = _find(
        assess_document(NORLAND.document_id, norland), "sharing-limits.conditions", None
    )
    result = override_finding(
        fid, reviewer="ana", comment="MLA Act adds grounds", status="partly", url=norland
    )
    assert result["status"] == "partly" and result["review_status"] == "overridden"
    with session_scope(norland) as session:
        entry = session.scalars(
            select(AuditLogRow).where(AuditLogRow.action == "finding.override")
        ).one()
        assert entry.actor == "ana" and entry.entity_id == str(fid)
        assert entry.before["status"] == finding.status  # type: ignore[index]
        assert entry.after["status"] == "partly"  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reviewer": "", "comment": "x", "status": "meets"}, "reviewer's name"),
        ({"reviewer": "a", "comment": " ", "status": "meets"}, "needs a comment"),
        ({"reviewer": "a", "comment": "x"}, "must change the status or the severity"),
        ({"reviewer": "a", "comment": "x", "status": "great"}, "unknown status"),
        ({"reviewer": "a", "comment": "x", "severity": "huge"}, "unknown severity"),
    ],
)
def test_bad_overrides_are_refused(norland: str, kwargs: dict[str, Any], message: str) -> None:
    fid = assess_document(NORLAND.document_id, norland).finding_ids[0]
    assert fid is not None
    with pytest.raises(FindingReviewError, match=message):
        override_finding(fid, url=norland, **kwargs)


def test_unknown_finding_and_country_without_documents(norland: str) -> None:
    with pytest.raises(FindingReviewError, match="no finding with id 999999"):
        confirm_finding(999999, reviewer="a", url=norland)
    with pytest.raises(NoDocumentsError) as caught:
        assess_country("KEN", norland)
    assert "treatywatch ingest FILE --country KEN" in (caught.value.hint or "")


def test_assess_country_and_filtered_listing(norland: str) -> None:
    country = assess_country("XNL", norland)
    assert [a.law.document_id for a in country.assessments] == [NORLAND.document_id]
    assert country.combined["documents"] == [NORLAND.document_id]
    failing = list_findings("XNL", norland, criterion="scope", status="fails")
    assert {f["provision"] for f in failing} == {"sec-12", "sec-13"}


def test_cli_assess_findings_and_errors(norland: str, cli: Any) -> None:
    result = cli("assess", NORLAND.document_id, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["warnings"] and data["scorecard"]["criteria"][0]["criterion"] == "scope"
    listed = cli("findings", "list", NORLAND.document_id, "--criterion", "scope", "--json")
    ids = [f["id"] for f in listed.json()]
    shown = cli("findings", "show", str(ids[0]), "--json")
    assert shown.json()["id"] == ids[0]
    confirmed = cli("findings", "confirm", str(ids[0]), "--reviewer", "ana", "--json")
    assert confirmed.json()["review_status"] == "accepted"
    bad = cli(
        "findings",
        "override",
        str(ids[0]),
        "--reviewer",
        "ana",
        "--comment",
        "x",
        "--status",
        "great",
        "--json",
    )
    assert bad.code != 0 and bad.json()["error"] == "FindingReviewError"
    none = cli("assess", "KEN", "--json")
    assert none.code != 0 and none.json()["error"] == "NoDocumentsError"
    table = cli("assess", NORLAND.document_id)
    assert table.code == 0 and "not aligned yet" in table.err and "Scorecard" in table.out
