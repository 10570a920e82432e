"""The reviewer's name every human decision carries (alignments, findings).

Kept in one place so the audit log gets the same guarantee whatever is
being reviewed: a non-empty name that fits the stores' reviewer columns.
"""

from __future__ import annotations

from treatywatch.errors import TreatywatchError

MAX_REVIEWER = 100  # the width of the reviewer columns (alignments, findings)


def clean_reviewer(name: str | None, error: type[TreatywatchError]) -> str:
    """The trimmed name, or ``error`` saying why it cannot be recorded."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise error(
            "a review needs the reviewer's name",
            hint="pass --reviewer NAME (the name is written to the audit log)",
        )
    if len(cleaned) > MAX_REVIEWER:
        raise error(
            f"reviewer name is {len(cleaned)} characters long (at most {MAX_REVIEWER})",
            hint="use a shorter name or initials",
        )
    return cleaned
