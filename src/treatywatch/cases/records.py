"""What a case record shows to whom.

A case has public fields (country, date, law and provision invoked,
outcome, tags, sources, summary) and restricted fields (names and
locations of people at risk, contacts), kept apart in ``cases.restricted``
and never shown unless the viewer's role may see them:

========================  =======================  ===========================
sensitivity               restricted fields         title, summary, sources
========================  =======================  ===========================
public                    analyst, admin            everyone
restricted                analyst, admin            everyone
confidential              admin                     admin (others see a stub)
========================  =======================  ===========================

Roles come from ``--role`` until user accounts exist (web issue); every
export and listing defaults to the least privileged role, ``viewer``.
"""

from __future__ import annotations

from typing import Any

from treatywatch.errors import TreatywatchError
from treatywatch.store.models import ROLES, SENSITIVITY, CaseRow

REDACTED = "REDACTED"
DEFAULT_ROLE = "viewer"
FICTIONAL_TAG = "fictional"
_RESTRICTED_ACCESS = {
    "public": frozenset({"analyst", "admin"}),
    "restricted": frozenset({"analyst", "admin"}),
    "confidential": frozenset({"admin"}),
}
_DETAIL_ACCESS = {
    "public": frozenset(ROLES),
    "restricted": frozenset(ROLES),
    "confidential": frozenset({"admin"}),
}


class RoleError(TreatywatchError):
    """An unknown viewer role."""


def check_role(role: str) -> str:
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}", hint=f"choose one of: {', '.join(ROLES)}")
    return role


def can_see_restricted(role: str, sensitivity: str) -> bool:
    return check_role(role) in _RESTRICTED_ACCESS.get(sensitivity, frozenset({"admin"}))


def can_see_details(role: str, sensitivity: str) -> bool:
    return check_role(role) in _DETAIL_ACCESS.get(sensitivity, frozenset({"admin"}))


def case_key(row: CaseRow) -> str:
    return row.case_key or f"case-{row.id}"


def case_record(row: CaseRow, role: str = DEFAULT_ROLE) -> dict[str, Any]:
    """The case as ``role`` may see it; ``redacted`` says whether anything was withheld."""
    details = can_see_details(role, row.sensitivity)
    restricted_ok = can_see_restricted(role, row.sensitivity)
    restricted = {
        key: (value if restricted_ok else REDACTED) for key, value in sorted(row.restricted.items())
    }
    redacted = (not restricted_ok and bool(row.restricted)) or not details
    return {
        "key": case_key(row),
        "country": row.jurisdiction_code,
        "date": row.event_date.isoformat() if row.event_date else None,
        "title": row.title if details else f"{REDACTED} ({row.sensitivity} case)",
        "law": row.document_ref,
        "law_in_store": row.document_id is not None,
        "provision": row.provision_path,
        "outcome": row.outcome,
        "summary": row.summary if details else REDACTED,
        "tags": list(row.tags),
        "sources": list(row.sources) if details else [REDACTED] if row.sources else [],
        "sensitivity": row.sensitivity,
        "restricted": restricted,
        "redacted": redacted,
        "fictional": FICTIONAL_TAG in row.tags,
    }


def audit_view(row: CaseRow) -> dict[str, Any]:
    """What the audit log keeps of a case: everything but the restricted values.

    The log is readable by more people than confidential data should be, so
    it records which restricted fields exist, never what they say.
    """
    record = case_record(row, role="admin")
    record["restricted"] = sorted(row.restricted)
    return record


__all__ = [
    "DEFAULT_ROLE",
    "FICTIONAL_TAG",
    "REDACTED",
    "ROLES",
    "SENSITIVITY",
    "RoleError",
    "audit_view",
    "can_see_details",
    "can_see_restricted",
    "case_record",
    "check_role",
]
