"""Pre-segmented JSON: a law already split into provisions by a scraper.

The shape is the one the law-MCP scrapers publish (and that users can write
by hand): ``{"title": ..., "provisions": [{"section": "46A", "title": ...,
"chapter": ..., "content": ...}, ...]}``. Labels are kept verbatim; other
keys are ignored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from treatywatch.ingest.model import IngestError, PreUnit, ReadResult
from treatywatch.ingest.readers.files import read_bytes
from treatywatch.ingest.readers.textnorm import clean_block, clean_line

SHAPE_HINT = (
    'expected {"title": "...", "provisions": [{"section": "1", "title": "...", '
    '"chapter": "...", "content": "..."}, ...]}'
)


class _Provision(BaseModel):
    model_config = ConfigDict(extra="ignore")

    section: str = Field(min_length=1)
    title: str | None = None
    chapter: str | None = None
    content: str

    @field_validator("section", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _Law(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str | None = None
    provisions: list[_Provision] = Field(min_length=1)


def read(path: Path, *, max_bytes: int) -> ReadResult:
    data = read_bytes(path, max_bytes)
    try:
        raw = json.loads(data)
    except RecursionError:
        raise IngestError(str(path), "JSON is nested too deeply to read", hint=SHAPE_HINT) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise IngestError(str(path), f"not valid JSON ({exc})", hint=SHAPE_HINT) from None
    if not isinstance(raw, dict) or "provisions" not in raw:
        got = type(raw).__name__ if not isinstance(raw, dict) else "an object without 'provisions'"
        raise IngestError(
            str(path), f"not a pre-segmented law (the JSON is {got})", hint=SHAPE_HINT
        )
    try:
        law = _Law.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:5]
        )
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise IngestError(
            str(path), f"not a pre-segmented law: {problems}{more}", hint=SHAPE_HINT
        ) from None
    units = [_unit(p) for p in law.provisions]
    return ReadResult(
        path=str(path),
        source_format="json",
        units=units,
        title=clean_line(law.title or "") or None,
        metadata=_metadata(raw),
    )


def _unit(provision: _Provision) -> PreUnit:
    label = clean_line(provision.section)
    return PreUnit(
        label=label,
        title=_title(provision.title, label),
        container=clean_line(provision.chapter or "") or None,
        content=clean_block(provision.content),
    )


def _title(title: str | None, label: str) -> str | None:
    """The title without a "Section 2A. " prefix that only repeats the label."""
    text = clean_line(title or "")
    prefix = re.match(
        rf"^(?:section|sec\.|s\.|article|art\.)\s*{re.escape(label)}\s*[.:\-–—]\s*(?=\S)",
        text,
        re.IGNORECASE,
    )
    if prefix:
        text = text[prefix.end() :]
    return text or None


def _metadata(raw: dict[str, Any]) -> dict[str, Any]:
    """Scalar fields of the source (id, url, dates, status) for provenance."""
    return {
        key: value
        for key, value in raw.items()
        if key not in ("title", "provisions") and isinstance(value, str | int | float | bool)
    }
