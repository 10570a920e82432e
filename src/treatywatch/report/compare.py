"""Countries side by side: countries × rights criteria and countries × UNCC articles.

Each country is read the same way as in its own report — latest version of
each stored law, findings folded into verdicts by :mod:`.scorecard`,
coverage from :mod:`treatywatch.align.coverage` — so a matrix cell and the
country report can never disagree. Rows are plain records, so the same
matrix prints as a table, CSV or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from treatywatch.align.coverage import IMPLEMENTED_SCORE, coverage_for_versions
from treatywatch.catalogue import Catalogue
from treatywatch.errors import TreatywatchError
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.report.findings import findings_for_versions, version_ref
from treatywatch.report.history import changes_for_documents
from treatywatch.report.scorecard import Scorecard, build_scorecard, criterion_ids
from treatywatch.report.targets import country_name, latest_versions, resolve_countries
from treatywatch.store import ensure_current, session_scope


class By(StrEnum):
    CRITERIA = "criteria"
    ARTICLES = "articles"


@dataclass
class CountryRow:
    """Everything a matrix (or the global report) needs about one country."""

    code: str
    name: str
    numeric: str | None
    scorecard: Scorecard
    coverage: dict[str, str]  # UNCC article id -> implemented / partial / not-found
    assessed: list[str]  # DOC@DATE refs with findings
    unassessed: list[str]  # DOC@DATE refs without
    warnings: list[str] = field(default_factory=list)

    @property
    def implemented(self) -> int:
        return sum(1 for s in self.coverage.values() if s == "implemented")


def country_row(
    session: Session, code: str, *, implemented_score: float = IMPLEMENTED_SCORE
) -> CountryRow:
    versions = latest_versions(session, code)
    found = findings_for_versions(session, [v.id for v in versions])
    refs = [version_ref(v) for v in versions]
    assessed = [r for r in refs if found.get(r.version_id)]
    findings = [f for r in assessed for f in found[r.version_id]]
    changes = changes_for_documents(session, [v.document_id for v in versions])
    scorecard = build_scorecard(code, country_name(session, code), refs, findings, changes)
    articles, warnings = coverage_for_versions(
        session, versions, implemented_score=implemented_score
    )
    return CountryRow(
        code=code,
        name=scorecard.name,
        numeric=lookup(code).numeric if _known(code) else None,
        scorecard=scorecard,
        coverage={a.article_id: a.status for a in articles if a.mandatory},
        assessed=[r.ref for r in assessed],
        unassessed=[r.ref for r in refs if r not in assessed],
        warnings=warnings,
    )


def _known(code: str) -> bool:
    try:
        lookup(code)
    except TreatywatchError:
        return False
    return True


def country_rows(session: Session, codes: Sequence[str]) -> list[CountryRow]:
    return [country_row(session, code) for code in codes]


def criteria_matrix(rows: Sequence[CountryRow]) -> list[dict[str, Any]]:
    """One record per country: score, then one column per criterion id (its status)."""
    out = []
    for row in rows:
        record: dict[str, Any] = {
            "country": row.code,
            "name": row.name,
            "score": row.scorecard.score,
            "findings": row.scorecard.findings,
            "reviewed_share": row.scorecard.reviewed_share,
        }
        for verdict in row.scorecard.verdicts:
            record[verdict.criterion_id] = verdict.status
        out.append(record)
    return out


def articles_matrix(rows: Sequence[CountryRow]) -> list[dict[str, Any]]:
    """One record per country: implemented count, then one column per mandatory article."""
    out = []
    for row in rows:
        record: dict[str, Any] = {
            "country": row.code,
            "name": row.name,
            "implemented": row.implemented,
            "articles": len(row.coverage),
        }
        record.update(row.coverage)
        out.append(record)
    return out


def matrix_columns(by: By, records: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(key, header) pairs for the table and CSV, in catalogue order."""
    if by is By.CRITERIA:
        catalogue = Catalogue.load()
        numbers = {c.id: c.number for c in catalogue.criteria}
        head = [("country", "country"), ("name", "name"), ("score", "score")]
        return head + [(cid, f"{numbers[cid]}.{cid}") for cid in criterion_ids()]
    keys = list(dict.fromkeys(k for r in records for k in r if k.startswith("uncc/")))
    keys.sort(key=lambda k: int(k.rsplit("-", 1)[1]))
    head = [("country", "country"), ("name", "name"), ("implemented", "implemented")]
    return head + [(k, "art. " + k.rsplit("-", 1)[1]) for k in keys]


_RANK = {
    "meets": 0, "partly": 1, "needs-review": 2, "not-addressed": 3, "fails": 4,
    "not-assessed": 5, "implemented": 0, "partial": 1, "not-found": 2,
}  # fmt: skip


def sort_records(
    records: list[dict[str, Any]], key: str, columns: Sequence[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Sort by a column: numbers high first, statuses best first, names A–Z; ties by country."""
    valid = [k for k, _h in columns]
    if key not in valid:
        raise TreatywatchError(f"cannot sort by {key!r}", hint=f"choose one of: {', '.join(valid)}")

    def sort_key(record: dict[str, Any]) -> tuple[Any, ...]:
        value = record.get(key)
        if isinstance(value, int | float):
            return (0, -value, record["country"])
        if value is None:
            return (2, 0, record["country"])
        if value in _RANK:
            return (0, _RANK[value], record["country"])
        return (1, str(value).casefold(), record["country"])

    return sorted(records, key=sort_key)


@dataclass
class Comparison:
    by: By
    columns: list[tuple[str, str]]
    records: list[dict[str, Any]]
    warnings: list[str]

    def record(self) -> dict[str, Any]:
        return {
            "by": self.by.value,
            "columns": [k for k, _h in self.columns],
            "rows": self.records,
            "warnings": self.warnings,
        }


def compare(
    countries: Sequence[str] | None = None,
    *,
    by: By = By.CRITERIA,
    sort: str | None = None,
    url: str | None = None,
) -> Comparison:
    """The matrix behind ``treatywatch compare``."""
    ensure_current(url)
    with session_scope(url) as session:
        codes = resolve_countries(session, list(countries or []))
        rows = country_rows(session, codes)
    records = criteria_matrix(rows) if by is By.CRITERIA else articles_matrix(rows)
    columns = matrix_columns(by, records)
    default = "score" if by is By.CRITERIA else "implemented"
    records = sort_records(records, sort or default, columns)
    warnings = [w for row in rows for w in row.warnings]
    warnings += [
        f"{ref} has no findings: run `treatywatch assess {ref}`"
        for row in rows
        for ref in row.unassessed
    ]
    return Comparison(by, columns, records, warnings)
