"""Review actions over the API: analysts may, viewers may not (403), anonymous callers
must log in (401); every change lands in the store and the audit log under the
caller's username; bad targets are 404 (URL) or 422 (body) and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, AuditLogRow, FindingRow
from web_api_store import Store, build_store, client

API = "/api/v1"


@pytest.fixture
def store(store_url: str) -> Store:
    return build_store(store_url)


def _suggested(store: Store, n: int = 3) -> list[dict[str, Any]]:
    body = client(store.url).get(f"{API}/alignments", params={"status": "suggested", "limit": n})
    return list(body.json()["items"])


def _audit(store: Store) -> list[AuditLogRow]:
    with session_scope(store.url) as session:
        return list(session.scalars(select(AuditLogRow).order_by(AuditLogRow.id)))


def test_alignment_review_actions(store: Store) -> None:
    first, second, third = _suggested(store)
    analyst = client(store.url, "analyst")
    before = len(_audit(store))

    accepted = analyst.post(f"{API}/alignments/{first['id']}/accept", json={"comment": "right"})
    assert accepted.status_code == 200, accepted.text
    row = accepted.json()["alignments"][0]
    assert row["status"] == "accepted" and row["reviewer"] == "analyst-user"

    rejected = analyst.post(f"{API}/alignments/{second['id']}/reject", json={})
    assert rejected.json()["alignments"][0]["status"] == "rejected"

    instrument = third["article"].split("/")[0]
    other = "uncc/art-9" if instrument == "uncc" else "budapest/art-5"
    if other == third["article"]:
        other = "uncc/art-10" if instrument == "uncc" else "budapest/art-4"
    overridden = analyst.post(
        f"{API}/alignments/{third['id']}/override", json={"article": other, "comment": "closer"}
    )
    assert overridden.status_code == 200, overridden.text
    old, new = overridden.json()["alignments"]
    assert old["status"] == "overridden" and new["article"] == other
    assert new["override_of"] == third["article"]

    added = analyst.post(
        f"{API}/alignments",
        json={"provision": first["provision"], "article": "uncc/art-12", "comment": "missed"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["alignments"][0]["status"] == "accepted"

    log = _audit(store)[before:]
    assert {e.action for e in log} >= {
        "align.accept",
        "align.reject",
        "align.override",
        "align.add",
    }
    assert {e.actor for e in log} == {"analyst-user"}
    assert all(e.after for e in log)


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("viewer", 403), ("analyst", 200), ("admin", 200)]
)
def test_who_may_review(store: Store, role: str | None, status: int) -> None:
    [target] = _suggested(store, 1)
    response = client(store.url, role).post(f"{API}/alignments/{target['id']}/accept", json={})
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "message", "hint"} if status >= 400 else True
    with session_scope(store.url) as session:
        row = session.get(AlignmentRow, target["id"])
        assert row is not None
        assert row.status == ("accepted" if status == 200 else "suggested")


def test_bad_review_targets_change_nothing(store: Store) -> None:
    [target] = _suggested(store, 1)
    analyst = client(store.url, "analyst")
    before = len(_audit(store))
    cases = [
        (f"{API}/alignments/999999/accept", {}, 404),
        (f"{API}/alignments/999999/override", {"article": "uncc/art-9"}, 404),
        (f"{API}/alignments/{target['id']}/override", {"article": "uncc/art-9999"}, 422),
        (f"{API}/alignments/{target['id']}/accept", {"paragraphs": ["77 (z)"]}, 422),
        (f"{API}/alignments/{target['id']}/accept", {"unknown_field": 1}, 422),
        (f"{API}/alignments/{target['id']}/accept", {"comment": "x" * 5000}, 422),
        (
            f"{API}/alignments",
            {"provision": "xnl/act/2024/nope@2024-07-01#s-1", "article": "uncc/art-7"},
            422,
        ),
        (f"{API}/alignments", {"provision": target["provision"], "article": "uncc/art-0"}, 422),
    ]
    for path, body, status in cases:
        response = analyst.post(path, json=body)
        assert response.status_code == status, (path, body, response.text)
        assert set(response.json()) == {"error", "message", "hint"}
    assert len(_audit(store)) == before
    with session_scope(store.url) as session:
        row = session.get(AlignmentRow, target["id"])
        assert row is not None and row.status == "suggested"


def test_finding_review_actions(store: Store) -> None:
    findings = client(store.url).get(f"{API}/findings", params={"limit": 2}).json()["items"]
    first, second = findings
    analyst = client(store.url, "analyst")
    confirmed = analyst.post(f"{API}/findings/{first['id']}/confirm", json={"comment": "checked"})
    assert confirmed.status_code == 200 and confirmed.json()["review_status"] == "accepted"
    new_status = "fails" if second["status"] != "fails" else "meets"
    changed = analyst.post(
        f"{API}/findings/{second['id']}/override",
        json={"status": new_status, "comment": "the law says otherwise"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == new_status and changed.json()["reviewer"] == "analyst-user"
    log = [e for e in _audit(store) if e.entity_type == "finding"]
    assert [e.action for e in log[-2:]] == ["finding.confirm", "finding.override"]
    assert log[-1].before and log[-1].before["status"] == second["status"]

    assert (
        analyst.post(
            f"{API}/findings/{second['id']}/override", json={"comment": "no change"}
        ).status_code
        == 422
    )
    assert (
        analyst.post(
            f"{API}/findings/{second['id']}/override", json={"status": "meets"}
        ).status_code
        == 422
    )
    assert analyst.post(f"{API}/findings/999999/confirm", json={}).status_code == 404
    assert (
        client(store.url, "viewer")
        .post(f"{API}/findings/{first['id']}/confirm", json={})
        .status_code
        == 403
    )
    assert (
        client(store.url).post(f"{API}/findings/{first['id']}/confirm", json={}).status_code == 401
    )
    with session_scope(store.url) as session:
        reviewed = session.scalar(
            select(func.count()).select_from(FindingRow).where(FindingRow.reviewer.is_not(None))
        )
    assert reviewed == 2
