"""The data a report shows, as one JSON-able dict.

HTML, PDF and Markdown are rendered from exactly this dict and
``--format json`` prints it, so every number in a published report can be
traced to a field a program can read (the Datasette rule: every page has
a JSON twin).

A law never assessed is not reported as if it had passed or failed:
:class:`NotAssessedError` asks for ``treatywatch assess`` first, or the
caller passes ``assess=True`` and the assessment runs (and is recorded by
the assessment stage) before the report is built. Laws of a country that
are partly assessed are reported on what was assessed, and the others are
named in the caveats.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from treatywatch import __version__
from treatywatch.align.coverage import IMPLEMENTED_SCORE
from treatywatch.assess.model import SERIOUS_CRIME_YEARS, STATUS_SCORE
from treatywatch.catalogue import Catalogue
from treatywatch.errors import TreatywatchError
from treatywatch.ledger.status import ledger_status
from treatywatch.report.compare import CountryRow, articles_matrix, country_rows, criteria_matrix
from treatywatch.report.findings import StoredFinding, findings_for_versions, version_ref
from treatywatch.report.gap import gap_analysis
from treatywatch.report.history import assessed_version_ids, changes_for_documents
from treatywatch.report.links import provision_anchor, provision_url
from treatywatch.report.scorecard import build_scorecard, overall_score, verdicts_for
from treatywatch.report.serious import serious_offences
from treatywatch.report.targets import (
    COUNTRY,
    GLOBAL,
    NoLawsError,
    Target,
    countries_with_laws,
    resolve,
)
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import DocumentVersionRow

Assessor = Callable[[str, str | None], object]


class NotAssessedError(TreatywatchError):
    """The law(s) a report is about have no stored findings yet."""


def _now(generated_at: dt.datetime | None) -> dt.datetime:
    return (generated_at or dt.datetime.now(dt.UTC)).replace(microsecond=0)


def _default_assessor() -> Assessor:
    try:
        service = importlib.import_module("treatywatch.assess.service")
    except ImportError:  # pragma: no cover - the assessment stage ships with treatywatch
        raise TreatywatchError(
            "automatic assessment is not available in this installation",
            hint="run `treatywatch assess DOC` and build the report again",
        ) from None

    def run(ref: str, url: str | None) -> object:
        return service.assess_document(ref, url=url)

    return run


def build_report(
    target: str | None,
    *,
    url: str | None = None,
    generated_at: dt.datetime | None = None,
    assess: bool = False,
    assessor: Assessor | None = None,
) -> dict[str, Any]:
    """Report data for a country (``KEN``), a law (``DOC[@DATE]``) or, with None, the world."""
    when = _now(generated_at)
    ensure_current(url)
    if assess:
        _assess_missing(target, url, assessor or _default_assessor())
    with session_scope(url) as session:
        if target is None:
            return global_data(session, when)
        return target_data(session, resolve(session, target), when)


def _assess_missing(target: str | None, url: str | None, assessor: Assessor) -> None:
    with session_scope(url) as session:
        if target is None:
            ids = [
                v.id
                for code in countries_with_laws(session)
                for v in _versions(session, resolve(session, code))
            ]
        else:
            ids = list(resolve(session, target).version_ids)
        done = assessed_version_ids(session, ids)
        missing = [
            version_ref(session.get_one(DocumentVersionRow, vid)).ref
            for vid in ids
            if vid not in done
        ]
    for ref in missing:
        assessor(ref, url)


def _versions(session: Session, target: Target) -> list[DocumentVersionRow]:
    return [session.get_one(DocumentVersionRow, vid) for vid in target.version_ids]


def _ledger_states(session: Session, when: dt.datetime) -> dict[str, dict[str, Any]]:
    """UNCC status per State on the report date ({} when the ledger is empty)."""
    report = ledger_status(session, "uncc", as_of=when.date())
    return {s["code"]: s for s in report["states"]}


def _treaty_status(state: dict[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    signature = state.get("signature") or {}
    consent = state.get("consent") or {}
    return {
        "status": state["status"],
        "signed": signature.get("date"),
        "consent": consent.get("date"),
        "consent_type": consent.get("type"),
        "party_from": state.get("party_from"),
    }


def target_data(session: Session, target: Target, when: dt.datetime) -> dict[str, Any]:
    """Report data for one country or one law version."""
    versions = _versions(session, target)
    found = findings_for_versions(session, target.version_ids)
    refs = {v.id: version_ref(v) for v in versions}
    assessed = [v for v in versions if found.get(v.id)]
    unassessed = [refs[v.id].ref for v in versions if not found.get(v.id)]
    if not assessed:
        first = unassessed[0] if len(unassessed) == 1 else target.key
        raise NotAssessedError(
            f"{target.key} has not been assessed: no findings stored for " + ", ".join(unassessed),
            hint=f"run `treatywatch assess {first}` first, or add --assess to this command",
        )
    findings = [f for v in assessed for f in found[v.id]]
    changes = changes_for_documents(session, [v.document_id for v in versions])
    scorecard = build_scorecard(
        target.key, target.name, [refs[v.id] for v in versions], findings, changes
    )
    gap = gap_analysis(session, versions, scorecard)
    serious = [
        offence.record()
        for v in versions
        for offence in serious_offences(session, v, refs[v.id], found.get(v.id, []))
    ]
    country = target.key if target.scope == COUNTRY else versions[0].document.jurisdiction_code
    state = _ledger_states(session, when).get(country)
    finding_records = [f.record() for f in findings]
    per_version = [
        {
            **refs[v.id].record(),
            "criteria": {x.criterion_id: x.status for x in verdicts_for(found[v.id])},
            "score": overall_score(verdicts_for(found[v.id])),
        }
        for v in assessed
    ]
    caveats = _caveats(unassessed, gap.warnings, findings)
    return {
        "kind": target.scope,
        "generated_at": when.isoformat(),
        "tool": f"treatywatch {__version__}",
        "subject": {"key": target.key, "name": target.name, "country": country},
        "versions": [{**refs[v.id].record(), "assessed": bool(found.get(v.id))} for v in versions],
        "treaty_status": _treaty_status(state),
        "summary": {
            "score": scorecard.score,
            "status_counts": scorecard.status_counts(),
            "findings": scorecard.findings,
            "reviewed_share": scorecard.reviewed_share,
            "treaty_gaps": gap.counts()["not_found"],
            "rights_gaps": gap.counts()["rights_gaps"],
            "mandatory_articles": gap.counts()["articles"],
            "implemented": gap.counts()["implemented"],
            "serious_offences": len(serious),
            "serious_content_offences": sum(1 for s in serious if s["content_offence"]),
        },
        "scorecard": scorecard.record(),
        "version_verdicts": per_version,
        "gap": gap.record(),
        "serious_crimes": serious,
        "findings": finding_records,
        "provisions_cited": _cited(finding_records, serious, gap.record()["articles"]),
        "methodology": methodology(),
        "caveats": caveats,
    }


def _caveats(
    unassessed: Sequence[str], warnings: Sequence[str], findings: Sequence[StoredFinding]
) -> list[str]:
    out = [
        "Every verdict here comes from automated analysis of the stored text; a finding "
        "marked 'automatic' has not been checked by a person."
    ]
    automatic = sum(1 for f in findings if not f.reviewed and not f.rejected)
    if automatic:
        out.append(f"{automatic} of {len(findings)} findings are automatic (not yet reviewed).")
    rejected = sum(1 for f in findings if f.rejected)
    if rejected:
        out.append(f"{rejected} findings were rejected by a reviewer and are not counted.")
    out += [f"{ref} has not been assessed and is not counted." for ref in unassessed]
    out += list(warnings)
    return out


def _cited(
    findings: Sequence[dict[str, Any]],
    serious: Sequence[dict[str, Any]],
    gap_rows: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every provision the report links to, once, with the quotes that cite it.

    Each link in the report points at one of these entries (by ``anchor``),
    so a reader can always see the words a verdict rests on.
    """
    cited: dict[str, dict[str, Any]] = {}

    def entry(document: str, date: str, path: str, label: Any, heading: Any) -> dict[str, Any]:
        anchor = provision_anchor(document, date, path)
        item = cited.setdefault(
            anchor,
            {
                "anchor": anchor,
                "url": provision_url(document, date, path),
                "document": document,
                "version_date": date,
                "provision": path,
                "label": label,
                "heading": heading,
                "quotes": [],
            },
        )
        item["label"] = item["label"] or label
        item["heading"] = item["heading"] or heading
        return item

    for finding in findings:
        if finding["provision"]:
            entry(
                finding["document"],
                finding["version_date"],
                finding["provision"],
                finding["provision_label"],
                finding["provision_heading"],
            )
        for evidence in finding["evidence"]:
            if not evidence.get("provision"):
                continue
            item = entry(
                finding["document"],
                finding["version_date"],
                str(evidence["provision"]),
                evidence.get("label"),
                evidence.get("heading"),
            )
            quote = {
                "text": evidence.get("quote") or "",
                "cue": evidence.get("cue"),
                "criterion": finding["criterion"],
                "status": finding["status"],
                "finding": finding["id"],
            }
            if quote not in item["quotes"]:
                item["quotes"].append(quote)
    for offence in serious:
        item = entry(
            offence["document"],
            offence["version_date"],
            offence["provision"],
            offence["label"],
            offence["heading"],
        )
        if offence["penalty_text"]:
            quote = {
                "text": offence["penalty_text"],
                "cue": f"penalty: up to {offence['max_years']:g} years",
                "criterion": "penalty-reach",
                "status": None,
                "finding": None,
            }
            if quote not in item["quotes"]:
                item["quotes"].append(quote)
    for row in gap_rows:
        for p in row["provisions"]:
            entry(p["document"], p["version_date"], p["provision"], p["label"], p["heading"])
    return sorted(cited.values(), key=lambda c: (c["document"], c["version_date"], c["anchor"]))


def methodology() -> dict[str, Any]:
    """The rules behind every number, as data (the templates phrase them)."""
    return {
        "status_score": STATUS_SCORE,
        "serious_crime_years": SERIOUS_CRIME_YEARS,
        "implemented_score": IMPLEMENTED_SCORE,
        "criteria": [
            {"id": c.id, "number": c.number, "name": c.name, "question": c.question}
            for c in sorted(Catalogue.load().criteria, key=lambda c: c.number)
        ],
    }


def global_data(session: Session, when: dt.datetime) -> dict[str, Any]:
    """Report data for every country with stored laws."""
    codes = countries_with_laws(session)
    if not codes:
        raise NoLawsError(
            "the store holds no laws yet",
            hint="ingest one with `treatywatch ingest FILE --country CODE`",
        )
    rows = country_rows(session, codes)
    assessed = [r for r in rows if r.assessed]
    if not assessed:
        raise NotAssessedError(
            "no stored law has been assessed yet",
            hint="run `treatywatch assess COUNTRY` for each country, or add --assess",
        )
    states = _ledger_states(session, when)
    catalogue = Catalogue.load()
    articles = sorted(
        {a for r in assessed for a in r.coverage}, key=lambda a: int(a.rsplit("-", 1)[1])
    )
    return {
        "kind": GLOBAL,
        "generated_at": when.isoformat(),
        "tool": f"treatywatch {__version__}",
        "subject": {"key": GLOBAL, "name": "All countries", "country": None},
        "countries": [_country_summary(r, states.get(r.code)) for r in assessed],
        "not_assessed": [
            {"country": r.code, "name": r.name, "versions": r.unassessed}
            for r in rows
            if not r.assessed
        ],
        "criteria_matrix": criteria_matrix(assessed),
        "articles_matrix": articles_matrix(assessed),
        "articles": [
            {"id": a, "number": catalogue.article(a).number, "title": catalogue.article(a).title}
            for a in articles
        ],
        "methodology": methodology(),
        "caveats": _global_caveats(rows),
    }


def _country_summary(row: CountryRow, state: dict[str, Any] | None) -> dict[str, Any]:
    card = row.scorecard
    return {
        "country": row.code,
        "name": row.name,
        "numeric": row.numeric,
        "score": card.score,
        "findings": card.findings,
        "reviewed_share": card.reviewed_share,
        "status_counts": card.status_counts(),
        "criteria": {v.criterion_id: v.status for v in card.verdicts},
        "coverage": row.coverage,
        "implemented": row.implemented,
        "versions": row.assessed,
        "unassessed": row.unassessed,
        "treaty_status": _treaty_status(state),
        "changes": [c.record() for c in card.changes],
    }


def _global_caveats(rows: Sequence[CountryRow]) -> list[str]:
    out = [
        "Every verdict comes from automated analysis of the stored laws; each country "
        "report shows which findings a person has reviewed.",
        "A country is judged only on the laws in the store: a provision in a code that was "
        "not ingested is invisible here.",
    ]
    out += [
        f"{ref} has not been assessed and is not counted." for r in rows for ref in r.unassessed
    ]
    out += [w for r in rows for w in r.warnings]
    return out
