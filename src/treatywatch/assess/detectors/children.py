"""Criterion 11: child-protection offences that do not criminalise children themselves.

For each offence about children and sexual material: is there an exception
for children's own or peers' consensual material, and is a child anyone
under eighteen? The absence of a peer exception is a gap (``partly``), not
a verdict that the offence is wrong: protecting children is the point of
the offence, and the treaty makes the exception optional.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    name_of,
    offences,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.model import Finding, LawView


class ChildOffences(BaseDetector):
    criterion_id = "child-rights"
    name = "child-rights.peer-exception"
    summary = "child sexual abuse offences with an exception for children's consensual conduct"

    def detect(self, law: LawView) -> list[Finding]:
        checked = offences(law)
        findings = []
        for provision in checked:
            children = self.hits(provision, "child")
            sexual = self.hits(provision, "sexual-material")
            if not children or not sexual:
                continue
            exception = self.hits(provision, "peer-exception")
            adult_age = self.hits(provision, "age-18")
            items = [evidence(provision, h, "child") for h in children[:2]]
            items += [evidence(provision, h, "sexual material") for h in sexual[:2]]
            items += [evidence(provision, h, "peer exception") for h in exception]
            items += [evidence(provision, h, "age 18") for h in adult_age]
            age = (
                f"; a child is defined by the age of eighteen ({quoted_cues(adult_age)})"
                if adult_age
                else ""
            )
            if exception:
                findings.append(
                    self.finding(
                        "meets",
                        "low",
                        f"{name_of(provision)} protects children from sexual abuse material and "
                        f"excepts their own or peers' consensual material "
                        f"({quoted_cues(exception)}){age} (criterion 11).",
                        items,
                        provision,
                    )
                )
            else:
                findings.append(
                    self.finding(
                        "partly",
                        "medium",
                        f"{name_of(provision)} protects children from sexual abuse material "
                        f"({quoted_cues(sexual)}) but has no exception for children's own or "
                        "peers' consensual material, so adolescents who share images of "
                        f"themselves could be prosecuted{age} (criterion 11).",
                        items,
                        provision,
                    )
                )
        if findings:
            return findings
        return [
            self.finding(
                "needs-review",
                "low",
                f"None of the {plural(len(checked), 'offence provision')} concerns child "
                f"sexual abuse material (searched for "
                f"{searched(self.cues, ('child', 'sexual-material'), law.language)}); such "
                "offences may sit in the penal code (criterion 11; UNCC Art. 14).",
                [],
            )
        ]
