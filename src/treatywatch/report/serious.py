"""Serious-crime reach: offences the UNCC's cooperation regime can be used for.

Under UNCC Art. 2(h) an offence punishable by at least four years'
deprivation of liberty is a "serious crime", and the convention's evidence
sharing reaches it whatever the conduct. So the list is computed from the
penalties ingest extracted (``details["penalty"]["max_prison_years"]``),
not from which article a provision implements, and each entry is flagged
when the assessment found it to be a speech or content offence (a
``scope`` finding that is not "meets" on the same provision): that is the
combination civil society warns about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from treatywatch.align.provisions import provisions_for_version
from treatywatch.assess.model import SERIOUS_CRIME_YEARS
from treatywatch.report.findings import StoredFinding, VersionRef
from treatywatch.report.links import provision_anchor, provision_url
from treatywatch.store.models import DocumentVersionRow

CONTENT_CRITERION = "scope"


@dataclass(frozen=True)
class SeriousOffence:
    version: VersionRef
    path: str
    label: str | None
    heading: str | None
    max_years: float
    penalty_text: str  # the clause the term was read from (law text: escape when shown)
    content_offence: bool
    content_cue: str | None

    def record(self) -> dict[str, Any]:
        date = self.version.version_date
        return {
            "document": self.version.document_id,
            "version_date": date,
            "provision": self.path,
            "label": self.label,
            "heading": self.heading,
            "max_years": self.max_years,
            "life": self.max_years >= 99,
            "penalty_text": self.penalty_text,
            "content_offence": self.content_offence,
            "content_cue": self.content_cue,
            "url": provision_url(self.version.document_id, date, self.path),
            "anchor": provision_anchor(self.version.document_id, date, self.path),
        }


def _content_cues(findings: Sequence[StoredFinding]) -> dict[str, str]:
    """Provision path → the cue of a non-"meets" scope finding on it."""
    out: dict[str, str] = {}
    for finding in findings:
        if finding.criterion_id != CONTENT_CRITERION or finding.rejected:
            continue
        if finding.status == "meets":
            continue
        paths = {finding.provision_path} | {e.get("provision") for e in finding.evidence}
        cue = next((str(e["cue"]) for e in finding.evidence if e.get("cue")), finding.detector)
        for path in paths:
            if isinstance(path, str) and path:
                out.setdefault(path, cue)
    return out


def serious_offences(
    session: Session,
    version: DocumentVersionRow,
    ref: VersionRef,
    findings: Sequence[StoredFinding],
) -> list[SeriousOffence]:
    """Provisions of ``version`` punishable by ≥ 4 years, in document order."""
    cues = _content_cues(findings)
    out = []
    for provision in provisions_for_version(session, version):
        penalty = provision.details.get("penalty")
        if not isinstance(penalty, dict):
            continue
        years = penalty.get("max_prison_years")
        if not isinstance(years, int | float) or years < SERIOUS_CRIME_YEARS:
            continue
        cue = cues.get(provision.key) or next(
            (c for path, c in sorted(cues.items()) if path.startswith(provision.key + "/")), None
        )
        out.append(
            SeriousOffence(
                version=ref,
                path=provision.key,
                label=provision.label,
                heading=provision.heading,
                max_years=float(years),
                penalty_text=str(penalty.get("text") or ""),
                content_offence=cue is not None,
                content_cue=cue,
            )
        )
    return out
