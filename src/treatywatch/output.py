"""Render results for people (Rich tables) or programs (JSON, CSV).

Commands build plain records (lists of dicts) and hand them here, so every
table the CLI shows can also be exported unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def to_csv(records: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    columns = list(columns or (records[0].keys() if records else []))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _flat(record.get(k)) for k in columns})
    return buffer.getvalue()


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _cell(value: Any) -> str:
    """Cell text with Rich markup escaped: law text and notes contain "[...]"."""
    return "" if value is None else escape(str(_flat(value)))


def table(
    records: Iterable[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
) -> Table:
    """A Rich table of ``records`` showing ``columns`` as (key, header) pairs."""
    result = Table(title=title, show_lines=False, header_style="bold")
    for _key, header in columns:
        result.add_column(header, overflow="fold")
    for record in records:
        result.add_row(*(_cell(record.get(key)) for key, _h in columns))
    return result


def emit_records(
    records: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    fmt: Format,
    *,
    title: str | None = None,
) -> None:
    if fmt is Format.JSON:
        print_json(records)
    elif fmt is Format.CSV:
        sys.stdout.write(to_csv(records, [key for key, _h in columns]))
    else:
        console.print(table(records, columns, title=title))
