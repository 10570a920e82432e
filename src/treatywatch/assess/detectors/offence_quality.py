"""Criterion 2 (offence quality): a mental element, "without right", tool exceptions.

The treaty model of a cyber offence is intentional conduct without right;
an offence missing either element catches ordinary use of technology. The
misuse-of-devices offence also needs an exception for authorised testing,
or it criminalises the tools security work depends on.
"""

from __future__ import annotations

from treatywatch.align.model import ProvisionText
from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined,
    name_of,
    offences,
    penalty_of,
    plural,
    quoted_cues,
    searched,
    years_text,
)
from treatywatch.assess.detectors.scope import is_content_offence
from treatywatch.assess.model import SERIOUS_CRIME_YEARS, Finding, LawView

EXEMPTIONS = ("testing-exception", "security-research")


class MentalElement(BaseDetector):
    criterion_id = "offence-quality"
    name = "offence-quality.mental-element"
    summary = "offences with no intent or no 'without right' element"

    def detect(self, law: LawView) -> list[Finding]:
        checked = offences(law)
        findings: list[Finding] = []
        for provision in checked:
            if self._ancillary(provision):
                continue
            intent = self.hits(provision, "intent")
            right = self.hits(provision, "without-right")
            if intent and right:
                continue
            findings.append(self._flag(provision, bool(intent), bool(right), intent + right))
        if findings:
            return findings
        if not checked:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "No offence provision was recognised, so no offence definition could be "
                    "checked for intent and 'without right' (criterion 2).",
                    [],
                )
            ]
        evidence_items = []
        for provision in checked[:25]:
            hits = self.hits(provision, "intent", "without-right")
            evidence_items.append(evidence(provision, hits[0], "element present"))
        return [
            self.finding(
                "meets",
                "low",
                f"Every one of the {plural(len(checked), 'offence provision')} examined states "
                "both a mental element and that the act is done without right (criterion 2).",
                evidence_items,
            )
        ]

    def _ancillary(self, provision: ProvisionText) -> bool:
        """Attempt, complicity, corporate liability and duty breaches build on other
        offences or on regulatory duties; the intent test is for core offences."""
        opening = len(provision.heading or "") + 160
        if self.hits(provision, "duty-breach"):
            return True
        return any(h.start < opening for h in self.hits(provision, "ancillary-offence"))

    def _flag(
        self,
        provision: ProvisionText,
        intent: bool,
        right: bool,
        hits: list,  # type: ignore[type-arg]
    ) -> Finding:
        penalty = penalty_of(provision)
        years = penalty.max_years if penalty else None
        missing = [
            label
            for label, present in (
                ("a mental element (intent)", intent),
                ("'without right'", right),
            )
            if not present
        ]
        heavy = years is not None and years >= SERIOUS_CRIME_YEARS
        if not intent and not right:
            status, severity = "fails", "high" if heavy else "medium"
        else:
            status, severity = "partly", "medium" if heavy else "low"
        if is_content_offence(self.cues, provision) and status == "fails":
            severity = "high"
        found = f" It does say {quoted_cues(hits)}." if hits else ""
        sanction = f", although it carries up to {years_text(years)}" if heavy else ""
        explanation = (
            f"{name_of(provision)} defines an offence without {' or '.join(missing)}"
            f"{sanction}.{found} Without these elements the offence can reach ordinary or "
            "accidental conduct (criterion 2)."
        )
        items = [evidence(provision, h, "element present") for h in hits] or [
            examined(provision, "offence provision with neither element")
        ]
        return self.finding(status, severity, explanation, items, provision)


class TestingException(BaseDetector):
    criterion_id = "offence-quality"
    name = "offence-quality.testing-exception"
    summary = "misuse-of-devices offences without an exception for authorised testing"

    def detect(self, law: LawView) -> list[Finding]:
        device_offences = [p for p in offences(law) if self._is_device_offence(p)]
        if not device_offences:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "No misuse-of-devices offence was found among "
                    f"{plural(len(offences(law)), 'offence provision')} (searched for "
                    f"{searched(self.cues, ('misuse-devices',), law.language)}), so there is "
                    "no tools offence to check for a testing exception (criterion 2).",
                    [],
                )
            ]
        law_wide = [(p, h) for p in law.provisions for h in self.hits(p, "security-research")]
        findings = []
        for provision in device_offences:
            own = self.hits(provision, "testing-exception")
            if own:
                findings.append(
                    self.finding(
                        "meets",
                        "low",
                        f"{name_of(provision)} punishes tools or access codes but excludes "
                        f"legitimate use ({quoted_cues(own)}) (criterion 2).",
                        [evidence(provision, h, "testing exception") for h in own],
                        provision,
                    )
                )
            elif law_wide:
                where, _hit = law_wide[0]
                findings.append(
                    self.finding(
                        "partly",
                        "low",
                        f"{name_of(provision)} punishes tools or access codes with no exception "
                        f"of its own; {name_of(where)} has a security-research defence "
                        f"({quoted_cues(h for _p, h in law_wide)}) that may cover it "
                        "(criterion 2).",
                        [examined(provision, "tools offence without own exception")]
                        + [evidence(p, h, "security-research defence") for p, h in law_wide],
                        provision,
                    )
                )
            else:
                findings.append(
                    self.finding(
                        "fails",
                        "medium",
                        f"{name_of(provision)} punishes making or sharing tools or access codes "
                        "and no provision of the law exempts authorised testing or security "
                        f"research (searched for {searched(self.cues, EXEMPTIONS, law.language)}) "
                        "(criterion 2).",
                        [
                            evidence(provision, h, "tools offence")
                            for h in self.hits(provision, "misuse-devices")[:3]
                        ],
                        provision,
                    )
                )
        return findings

    def _is_device_offence(self, provision: ProvisionText) -> bool:
        heading = provision.heading or ""
        text_hits = self.hits(provision, "misuse-devices")
        in_heading = [h for h in text_hits if h.end <= len(heading)]
        return bool(in_heading) or len(text_hits) >= 2
