"""Criterion 3 (public interest): defences for research, journalism and whistleblowing.

Access and interception offences catch the work of security researchers,
journalists and whistleblowers unless the law says otherwise; the question
is whether it does, for each of the three.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    cited,
    evidence,
    examined_all,
    offences,
    plural,
    searched,
)
from treatywatch.assess.model import Evidence, Finding, LawView

KINDS = (
    ("security-research", "security research"),
    ("journalism", "journalism"),
    ("whistleblowing", "whistleblowing"),
)


class PublicInterestDefences(BaseDetector):
    criterion_id = "public-interest"
    name = "public-interest.defences"
    summary = "exceptions for security research, journalism and whistleblowing"

    def detect(self, law: LawView) -> list[Finding]:
        found: dict[str, list[Evidence]] = {}
        for provision in law.provisions:
            for group, label in KINDS:
                for hit in self.hits(provision, group):
                    found.setdefault(label, []).append(evidence(provision, hit, label))
        present = [label for _g, label in KINDS if label in found]
        missing = [label for _g, label in KINDS if label not in found]
        items = [item for label in present for item in found[label]]
        if len(present) == len(KINDS):
            return [
                self.finding(
                    "meets",
                    "low",
                    "The law mentions protection for security research, journalism and "
                    f"whistleblowing: {cited(items)} (criterion 3).",
                    items,
                )
            ]
        if present:
            return [
                self.finding(
                    "partly",
                    "low" if len(present) == 2 else "medium",
                    f"The law mentions {', '.join(present)} ({cited(items, 3)}) but nothing on "
                    f"{', '.join(missing)} (searched all {plural(len(law.provisions), 'provision')}"
                    f" for {searched(self.cues, _groups(missing), law.language)})"
                    " (criterion 3).",
                    items,
                )
            ]
        groups = [g for g, _label in KINDS]
        return [
            self.finding(
                "not-addressed",
                "medium",
                "No exception for security research, journalism or whistleblowing was found "
                f"in {plural(len(law.provisions), 'provision')} (searched for "
                f"{searched(self.cues, groups, law.language, limit=9)}); access and "
                "interception offences apply to public-interest work as to any other "
                "(criterion 3).",
                examined_all(offences(law), "offence with no public-interest exception"),
            )
        ]


def _groups(labels: list[str]) -> list[str]:
    return [group for group, label in KINDS if label in labels]
