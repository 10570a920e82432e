"""Parsing of CLI option values shared by several commands."""

from __future__ import annotations

import datetime as dt

from treatywatch.errors import TreatywatchError


def parse_day(value: str | None, option: str) -> dt.date | None:
    """An ISO date from a CLI option, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TreatywatchError(
            f"{option} {value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2024-03-01"
        ) from None
