"""Reading case records from YAML, CSV or command-line options.

One validation path for all three, so a case typed at the prompt and one
in a spreadsheet meet the same rules: a known country, a real date, a
title, a known sensitivity; tags outside the usual vocabulary are accepted
with a warning (new kinds of targets appear), and a value exported as
``REDACTED`` is never written back over the real one.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from treatywatch.cases.records import FICTIONAL_TAG, REDACTED
from treatywatch.errors import TreatywatchError
from treatywatch.ledger.jurisdictions import UnknownJurisdictionError, resolve
from treatywatch.store.models import SENSITIVITY

KNOWN_TAGS = frozenset(
    {
        "journalist",
        "activist",
        "researcher",
        "security-researcher",
        "lgbtq",
        "women",
        "human-rights-defender",
        "lawyer",
        "student",
        "opposition",
        "minority",
        "child",
        "whistleblower",
        "artist",
        "ordinary-user",
        FICTIONAL_TAG,
    }
)
CSV_REQUIRED = ("country", "title")
RESTRICTED_PREFIX = "restricted_"
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class CaseInputError(TreatywatchError):
    """A case file or record that cannot be read."""


@dataclass
class CaseInput:
    key: str
    country: str
    title: str
    date: dt.date | None = None
    law: str | None = None
    provision: str | None = None
    outcome: str | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sensitivity: str = "public"
    restricted: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[;|]", str(value)) if part.strip()]


def _date(value: Any, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CaseInputError(
            f"{label}: date {value!r} is not a real YYYY-MM-DD date",
            hint="write dates as 2024-03-01; leave empty if unknown",
        ) from None


def derive_key(country: str, title: str, date: dt.date | None) -> str:
    digest = hashlib.sha256(f"{country}|{title}|{date}".encode()).hexdigest()[:10]
    return f"{country.lower()}-{digest}"


def parse_case(raw: dict[str, Any], label: str, *, today: dt.date | None = None) -> CaseInput:
    """Validate one record; raises :class:`CaseInputError` naming ``label``."""
    if not isinstance(raw, dict):
        raise CaseInputError(f"{label}: a case must be a mapping of fields")
    title = str(raw.get("title") or "").strip()
    if not title:
        raise CaseInputError(f"{label}: a case needs a title", hint="add title: ...")
    country_text = str(raw.get("country") or "").strip()
    if not country_text:
        raise CaseInputError(f"{label}: a case needs a country", hint="e.g. country: KEN")
    try:
        country = resolve(country_text).code
    except UnknownJurisdictionError as exc:
        raise CaseInputError(f"{label}: {exc.message}", hint=exc.hint) from None
    date = _date(raw.get("date"), label)
    today = today or dt.date.today()
    if date is not None and date > today:
        raise CaseInputError(f"{label}: date {date} is in the future", hint="check the date")
    sensitivity = str(raw.get("sensitivity") or "public").strip().lower()
    if sensitivity not in SENSITIVITY:
        raise CaseInputError(
            f"{label}: unknown sensitivity {sensitivity!r}",
            hint=f"choose one of: {', '.join(SENSITIVITY)}",
        )
    tags = [t.lower() for t in _list(raw.get("tags"))]
    if raw.get("fictional") and FICTIONAL_TAG not in tags:
        tags.append(FICTIONAL_TAG)
    warnings = [
        f"{label}: tag {t!r} is not in the usual vocabulary ({', '.join(sorted(KNOWN_TAGS))})"
        for t in tags
        if t not in KNOWN_TAGS
    ]
    restricted_raw = raw.get("restricted") or {}
    if not isinstance(restricted_raw, dict):
        raise CaseInputError(f"{label}: restricted must be a mapping such as names: ...")
    restricted = {str(k): str(v) for k, v in restricted_raw.items() if v not in (None, "")}
    key = str(raw.get("key") or "").strip().lower() or derive_key(country, title, date)
    if not _KEY.match(key):
        raise CaseInputError(
            f"{label}: key {key!r} must be lower-case letters, digits, '.', '_' or '-'"
        )
    return CaseInput(
        key=key,
        country=country,
        title=title,
        date=date,
        law=str(raw.get("law") or "").strip() or None,
        provision=str(raw.get("provision") or "").strip() or None,
        outcome=str(raw.get("outcome") or "").strip() or None,
        summary=str(raw.get("summary") or "").strip(),
        tags=sorted(set(tags)),
        sources=_list(raw.get("sources")),
        sensitivity=sensitivity,
        restricted=restricted,
        warnings=warnings,
    )


def restricted_updates(
    stored: dict[str, Any], incoming: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Merge restricted fields, refusing to overwrite a value with the redaction marker."""
    merged = dict(stored)
    kept = []
    for key, value in incoming.items():
        if value == REDACTED:
            kept.append(key)
            continue
        merged[key] = value
    return merged, kept


def read_case_file(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(label, raw record) pairs from a YAML or CSV file; file-level problems raise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaseInputError(f"{path}: no such file", hint="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseInputError(f"{path}: cannot read: {exc}") from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CaseInputError(f"{path}: invalid YAML: {exc}") from None
        items = document.get("cases") if isinstance(document, dict) else document
        if not isinstance(items, list):
            raise CaseInputError(
                f"{path}: expected a list of cases (or a mapping with a 'cases' list)"
            )
        return [(f"{path.name}: case {i}", item) for i, item in enumerate(items, start=1)]
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise CaseInputError(
                f"{path}: case CSV is missing the column(s) {', '.join(missing)}",
                hint="columns: key, country, date, title, law, provision, outcome, summary, "
                "tags, sources, sensitivity, restricted_<field>...",
            )
        reader.fieldnames = header
        rows = []
        for number, row in enumerate(reader, start=2):
            clean = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(clean.values()):
                continue
            record: dict[str, Any] = dict(clean)
            record["restricted"] = {
                k[len(RESTRICTED_PREFIX) :]: v
                for k, v in clean.items()
                if k.startswith(RESTRICTED_PREFIX) and v
            }
            rows.append((f"{path.name}: line {number}", record))
        return rows
    raise CaseInputError(f"{path}: unsupported case file type {suffix!r}", hint="use .yaml or .csv")
