"""Criterion 13: which offences reach four years and so become UNCC "serious crimes".

Reaching four years is not wrong in itself (fraud and sabotage may deserve
it); what the criterion flags is a *content* offence that reaches it, and
any death penalty. The whole-law finding lists every serious offence so an
analyst sees what the treaty's cooperation regime would cover.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined,
    name_of,
    plural,
    quoted_cues,
    years_text,
)
from treatywatch.assess.detectors.scope import content_hits
from treatywatch.assess.model import Finding, LawView
from treatywatch.assess.serious import serious_crimes


class SeriousCrimeReach(BaseDetector):
    criterion_id = "penalty-reach"
    name = "penalty-reach.serious-offences"
    summary = "offences punishable by four years or more, flagging content offences"

    def detect(self, law: LawView) -> list[Finding]:
        crimes = serious_crimes(law, self.cues)
        by_key = {p.key: p for p in law.provisions}
        findings = []
        for crime in crimes:
            if not crime.content_offence:
                continue
            provision = by_key[crime.provision_key]
            severity = "critical" if crime.max_years >= 10 else "high"
            findings.append(
                self.finding(
                    "fails",
                    severity,
                    f"{name_of(provision)} is a content offence "
                    f"({quoted_cues(content_hits(self.cues, provision))}) punishable by up to "
                    f"{years_text(crime.max_years)}, which makes it a 'serious crime' that "
                    "other States can ask to be investigated and shared under the UNCC "
                    "(criterion 13).",
                    [
                        evidence(provision, h, "content offence")
                        for h in content_hits(self.cues, provision)
                    ]
                    + ([crime.evidence] if crime.evidence else []),
                    provision,
                )
            )
        flagged = {f.provision_key: f for f in findings}
        for provision in law.provisions:
            death = self.hits(provision, "death-penalty")
            if not death or provision.kind not in ("offence", "penalty"):
                continue
            if provision.key in flagged:  # one finding per provision: add to it
                earlier = flagged[provision.key]
                earlier.severity = "critical"
                earlier.explanation += (
                    f" It also provides for the death penalty ({quoted_cues(death)})."
                )
                earlier.evidence.extend(evidence(provision, h, "death penalty") for h in death)
                continue
            if death:
                findings.append(
                    self.finding(
                        "fails",
                        "critical",
                        f"{name_of(provision)} provides for the death penalty "
                        f"({quoted_cues(death)}) (criterion 13).",
                        [evidence(provision, h, "death penalty") for h in death],
                        provision,
                    )
                )
        other = [c for c in crimes if not c.content_offence]
        if other:
            names = [
                f"{name_of(by_key[c.provision_key])}: {years_text(c.max_years)}" for c in other
            ]
            summary = (
                f"{plural(len(other), 'other offence')} "
                f"{'reaches' if len(other) == 1 else 'reach'} the four-year threshold and "
                f"{'falls' if len(other) == 1 else 'fall'}"
                " "
                f"within UNCC cooperation: {'; '.join(names[:8])}"
                + (f"; and {len(names) - 8} more" if len(names) > 8 else "")
                + "."
            )
        else:
            summary = "No other offence reaches the four-year threshold."
        content_count = sum(1 for c in crimes if c.content_offence)
        status = "fails" if content_count else "meets"
        severity = "high" if content_count else ("medium" if other else "low")
        lead = (
            f"{plural(content_count, 'content offence')} "
            f"{'reaches' if content_count == 1 else 'reach'} four years or more (see the "
            "provision findings). "
            if content_count
            else "No content offence reaches four years. "
        )
        findings.append(
            self.finding(
                status,
                severity if status == "fails" else "low",
                lead + summary + " (criterion 13)",
                [
                    c.evidence or examined(by_key[c.provision_key], "serious crime")
                    for c in crimes[:25]
                ],
            )
        )
        return findings
