"""Criterion 7 (transparency): gag orders on providers, notice, statistics.

Three separate questions, because a law can pass one and fail another:
are providers bound to secrecy without an end date (and punished for
speaking), are affected people ever told, and is the use of powers counted
and published.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined_all,
    name_of,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.detectors.judicial import power_provisions
from treatywatch.assess.model import Evidence, Finding, LawView


class ProviderGag(BaseDetector):
    criterion_id = "transparency"
    name = "transparency.provider-gag"
    summary = "duties on service providers to keep measures secret, with or without an end"

    def detect(self, law: LawView) -> list[Finding]:
        scope = [p for p in law.provisions if p.kind != "definition"]
        findings = []
        for provision in scope:
            secrecy = self.hits(provision, "confidentiality")
            providers = self.hits(provision, "provider")
            if not secrecy or not providers:
                continue
            limit = self.hits(provision, "time-limit")
            punished = bool(provision.details.get("penalty")) or "offence" in provision.full.lower()
            items = [evidence(provision, h, "confidentiality duty") for h in secrecy]
            items += [evidence(provision, h, "time limit") for h in limit]
            if limit:
                status, severity = "partly", "low"
                end = f"limited in time ({quoted_cues(limit)})"
            else:
                status, severity = "fails", "high" if punished else "medium"
                end = "with no end date"
            sanction = ", backed by a criminal penalty" if punished else ""
            findings.append(
                self.finding(
                    status,
                    severity,
                    f"{name_of(provision)} binds providers to secrecy ({quoted_cues(secrecy)}) "
                    f"{end}{sanction} (criterion 7).",
                    items,
                    provision,
                )
            )
        if findings:
            return findings
        return [
            self.finding(
                "meets",
                "low",
                "No secrecy duty on service providers was found in "
                f"{plural(len(scope), 'provision')} (searched for "
                f"{searched(self.cues, ('confidentiality',), law.language)}) (criterion 7).",
                examined_all(scope, "no provider secrecy duty"),
            )
        ]


class _LawWideSafeguard(BaseDetector):
    """A safeguard the law has somewhere or not at all (notice, statistics)."""

    group = ""
    label = ""
    missing_severity = "medium"
    needs_power = False

    def detect(self, law: LawView) -> list[Finding]:
        powers = power_provisions(self.cues, law)
        if not powers:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    f"The law confers no investigative power that could be found, so {self.label} "
                    "for such powers is not expected here (criterion 7).",
                    [],
                )
            ]
        items: list[Evidence] = []
        for provision in law.provisions:
            hits = self.hits(provision, self.group)
            if self.needs_power and hits and not _mentions_power(self, provision):
                continue
            items += [evidence(provision, h, self.label) for h in hits]
        if items:
            return [
                self.finding(
                    "meets",
                    "low",
                    f"The law provides for {self.label} ({quoted_cues_of(items)}) (criterion 7).",
                    items,
                )
            ]
        names = [name_of(p) for p, _k in powers]
        return [
            self.finding(
                "not-addressed",
                self.missing_severity,
                f"No provision provides for {self.label} (searched "
                f"{plural(len(law.provisions), 'provision')} for "
                f"{searched(self.cues, (self.group,), law.language)}), although the law grants "
                f"powers in {'; '.join(names[:4])}{' and more' if len(names) > 4 else ''} "
                "(criterion 7).",
                examined_all([p for p, _k in powers], f"power with no {self.label}"),
            )
        ]


def _mentions_power(detector: BaseDetector, provision: object) -> bool:
    from treatywatch.align.model import ProvisionText

    assert isinstance(provision, ProvisionText)
    return bool(
        detector.hits(provision, "warrant", "power-interception", "power-search", "order-verb")
    )


def quoted_cues_of(items: list[Evidence]) -> str:
    seen: list[str] = []
    for item in items:
        if item.quote not in seen:
            seen.append(item.quote)
    return ", ".join(f"'{q}'" for q in seen[:4])


class Notice(_LawWideSafeguard):
    criterion_id = "transparency"
    name = "transparency.notice"
    summary = "notice to people whose data were collected or intercepted"
    group = "notice"
    label = "notice to the person affected"


class Reporting(_LawWideSafeguard):
    criterion_id = "transparency"
    name = "transparency.reporting"
    summary = "records, statistics or reports on the use of powers"
    group = "reporting"
    label = "reporting on the use of powers"
    missing_severity = "low"
    needs_power = True
