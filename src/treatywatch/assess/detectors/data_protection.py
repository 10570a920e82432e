"""Criterion 8: rules protecting the personal data that investigations collect and share.

Looks, in the procedural and cooperation provisions, for purpose
limitation, deletion of data no longer needed and a reference to data
protection law. Deletion words in offence definitions ("deletes computer
data") are not safeguards, so offences are not searched.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    cited,
    evidence,
    examined_all,
    is_cooperation,
    is_offence,
    is_power_context,
    plural,
    searched,
)
from treatywatch.assess.model import Evidence, Finding, LawView

SIGNALS = (
    ("purpose-limitation", "purpose limitation"),
    ("deletion", "deletion of data"),
    ("data-protection", "data protection"),
)


class DataSafeguards(BaseDetector):
    criterion_id = "data-protection"
    name = "data-protection.safeguards"
    summary = "purpose limitation, deletion and data-protection rules for collected data"

    def detect(self, law: LawView) -> list[Finding]:
        scope = [
            p
            for p in law.provisions
            if not is_offence(law, p)
            and (
                is_power_context(law, p)
                or is_cooperation(law, p)
                or p.kind in ("general", "institutional", "definition", "other")
            )
        ]
        found: dict[str, list[Evidence]] = {}
        for provision in scope:
            for group, label in SIGNALS:
                if group == "deletion" and not (
                    is_power_context(law, provision) or is_cooperation(law, provision)
                ):
                    continue
                for hit in self.hits(provision, group):
                    found.setdefault(label, []).append(evidence(provision, hit, label))
        present = [label for _g, label in SIGNALS if label in found]
        missing = [label for _g, label in SIGNALS if label not in found]
        items = [item for label in present for item in found[label][:4]]
        if not present:
            return [
                self.finding(
                    "not-addressed",
                    "high",
                    "No rule on the use, deletion or protection of personal data collected "
                    f"under the law was found in {plural(len(scope), 'non-offence provision')} "
                    f"(searched for {searched(self.cues, [g for g, _l in SIGNALS], law.language)})"
                    " (criterion 8).",
                    examined_all(scope, "no data-protection rule"),
                )
            ]
        if len(present) == len(SIGNALS):
            return [
                self.finding(
                    "meets",
                    "low",
                    "The law limits the purpose of collected data, provides for deleting it "
                    f"and refers to data protection: {cited(items)} (criterion 8).",
                    items,
                )
            ]
        return [
            self.finding(
                "partly",
                "low" if len(present) == 2 else "medium",
                f"The law provides for {', '.join(present)} ({cited(items, 3)}) but not "
                f"{', '.join(missing)} "
                "(criterion 8).",
                items,
            )
        ]
