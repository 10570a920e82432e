"""Analysts confirm or override a finding; every decision is audit-logged.

Review state lives on the finding row (``review_status``, reviewer,
comment, time) so a re-run of the assessment sees it and leaves the row
alone (:mod:`treatywatch.assess.store`). ``confirm`` marks the machine
verdict as checked (``accepted``); ``override`` replaces status and/or
severity with the reviewer's (``overridden``) and needs a comment saying
why. The audit row keeps the state before and after, so the machine's
original verdict is never lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.assess.model import SEVERITIES, STATUSES
from treatywatch.errors import TreatywatchError
from treatywatch.reviewer import clean_reviewer
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import FindingRow


class FindingReviewError(TreatywatchError):
    """A review that cannot be carried out (unknown finding, bad status, no reviewer)."""


def _reviewer(name: str | None) -> str:
    return clean_reviewer(name, FindingReviewError)


def get_finding(session: Session, finding_id: int) -> FindingRow:
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise FindingReviewError(
            f"no finding with id {finding_id}",
            hint="list findings with `treatywatch findings list DOC` (ids are in the first column)",
        )
    return row


def state(row: FindingRow) -> dict[str, Any]:
    return {
        "status": row.status,
        "severity": row.severity,
        "review_status": row.review_status,
        "reviewer": row.reviewer,
        "review_comment": row.review_comment,
    }


def _apply(
    session: Session, row: FindingRow, action: str, reviewer: str, changes: dict[str, Any]
) -> dict[str, Any]:
    before = state(row)
    for name, value in changes.items():
        setattr(row, name, value)
    row.reviewer = reviewer
    row.reviewed_at = dt.datetime.now(dt.UTC)
    audit.record(
        session,
        actor=reviewer,
        action=f"finding.{action}",
        entity_type="finding",
        entity_id=str(row.id),
        before=before,
        after=state(row),
    )
    session.flush()
    return {"id": row.id, "criterion": row.criterion_id, "detector": row.detector, **state(row)}


def confirm_finding(
    finding_id: int, *, reviewer: str, comment: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """Mark the machine's verdict as checked by a person."""
    name = _reviewer(reviewer)
    ensure_current(url)
    with session_scope(url) as session:
        row = get_finding(session, finding_id)
        return _apply(
            session,
            row,
            "confirm",
            name,
            {"review_status": "accepted", "review_comment": (comment or "").strip() or None},
        )


def override_finding(
    finding_id: int,
    *,
    reviewer: str,
    comment: str,
    status: str | None = None,
    severity: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """Replace the verdict (status and/or severity) with the reviewer's, with a reason."""
    name = _reviewer(reviewer)
    reason = (comment or "").strip()
    if not reason:
        raise FindingReviewError(
            "an override needs a comment saying why",
            hint="pass --comment 'why the machine verdict is wrong'",
        )
    if status is None and severity is None:
        raise FindingReviewError(
            "an override must change the status or the severity",
            hint=f"pass --status ({', '.join(STATUSES)}) and/or --severity "
            f"({', '.join(SEVERITIES)}); to agree with the verdict use `findings confirm`",
        )
    if status is not None and status not in STATUSES:
        raise FindingReviewError(
            f"unknown status {status!r}", hint=f"choose one of: {', '.join(STATUSES)}"
        )
    if severity is not None and severity not in SEVERITIES:
        raise FindingReviewError(
            f"unknown severity {severity!r}", hint=f"choose one of: {', '.join(SEVERITIES)}"
        )
    ensure_current(url)
    with session_scope(url) as session:
        row = get_finding(session, finding_id)
        changes: dict[str, Any] = {"review_status": "overridden", "review_comment": reason}
        if status is not None:
            changes["status"] = status
        if severity is not None:
            changes["severity"] = severity
        return _apply(session, row, "override", name, changes)
