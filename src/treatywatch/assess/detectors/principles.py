"""Criterion 4: legality, necessity, proportionality, non-discrimination named in the law.

Naming a principle does not guarantee it is applied, but a law that never
mentions necessity or proportionality leaves courts no hook to test its
powers against; the detector reports which principles appear and where.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import BaseDetector, cited, evidence, plural, searched
from treatywatch.assess.model import Evidence, Finding, LawView

PRINCIPLES = (
    ("principle-legality", "legality"),
    ("principle-necessity", "necessity"),
    ("principle-proportionality", "proportionality"),
    ("principle-non-discrimination", "non-discrimination"),
    ("principle-human-rights", "human rights"),
)
MEETS_AT = 3


class PrinciplesNamed(BaseDetector):
    criterion_id = "rights-principles"
    name = "rights-principles.named"
    summary = "legality, necessity, proportionality, non-discrimination, human rights named"

    def detect(self, law: LawView) -> list[Finding]:
        found: dict[str, list[Evidence]] = {}
        for provision in law.provisions:
            for group, label in PRINCIPLES:
                for hit in self.hits(provision, group):
                    found.setdefault(label, []).append(evidence(provision, hit, label))
        present = [label for _g, label in PRINCIPLES if label in found]
        missing = [label for _g, label in PRINCIPLES if label not in found]
        items = [item for label in present for item in found[label][:3]]
        if not present:
            return [
                self.finding(
                    "not-addressed",
                    "medium",
                    "The law names none of legality, necessity, proportionality, "
                    "non-discrimination or human rights in "
                    f"{plural(len(law.provisions), 'provision')} (searched for "
                    f"{searched(self.cues, [g for g, _l in PRINCIPLES], law.language, limit=8)})"
                    " (criterion 4).",
                    [],
                )
            ]
        status = "meets" if len(present) >= MEETS_AT else "partly"
        severity = "low" if status == "meets" else "medium"
        absent = f"; it does not name {', '.join(missing)}" if missing else ""
        return [
            self.finding(
                status,
                severity,
                f"The law names {', '.join(present)} ({cited(items)}){absent} (criterion 4).",
                items,
            )
        ]
