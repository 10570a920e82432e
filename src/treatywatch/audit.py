"""The audit log: every write by a person or a tool leaves a row.

Call :func:`record` inside the same transaction as the change, so the log
and the data can never disagree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from treatywatch.store.models import AuditLogRow


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLogRow:
    row = AuditLogRow(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(row)
    return row
