"""Criterion 9: conditions and refusal grounds for helping foreign States.

Reads the cooperation provisions for dual criminality, refusal grounds
(political offence, discrimination, death penalty, human rights) and
limits on how shared data may be used; an explicit waiver of dual
criminality ("whether or not the conduct would be an offence") is a
finding of its own, since it lets any foreign offence command domestic
powers.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    cited,
    evidence,
    examined_all,
    is_cooperation,
    name_of,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.model import Evidence, Finding, LawView

GROUNDS = (
    ("ground-political", "political offence"),
    ("ground-discrimination", "discrimination"),
    ("death-penalty", "death penalty"),
    ("ground-human-rights", "human rights"),
)


CONDITIONS = ("dual-criminality", "refusal")


class CooperationLimits(BaseDetector):
    criterion_id = "sharing-limits"
    name = "sharing-limits.conditions"
    summary = "dual criminality, refusal grounds and use limits for foreign requests"

    def detect(self, law: LawView) -> list[Finding]:
        scope = [
            p
            for p in law.provisions
            if is_cooperation(law, p) or (p.kind != "offence" and self.hits(p, "foreign-request"))
        ]
        if not scope:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "The law has no provision on cooperation with foreign States (searched "
                    f"{plural(len(law.provisions), 'provision')} for "
                    f"{searched(self.cues, ('foreign-request',), law.language)}); cooperation "
                    "may be governed by a separate mutual legal assistance law (criterion 9).",
                    [],
                )
            ]
        findings: list[Finding] = []
        signals: dict[str, list[Evidence]] = {}
        for provision in scope:
            waiver = self.hits(provision, "dual-criminality-waiver")
            if waiver:
                findings.append(
                    self.finding(
                        "fails",
                        "critical",
                        f"{name_of(provision)} allows assistance even where the conduct is no "
                        f"offence at home ({quoted_cues(waiver)}), so domestic powers can serve "
                        "any foreign prosecution (criterion 9).",
                        [evidence(provision, h, "dual criminality waived") for h in waiver],
                        provision,
                    )
                )
            for group, label in (
                ("dual-criminality", "dual criminality"),
                ("refusal", "refusal grounds"),
                ("use-limitation", "use limitation"),
                ("reciprocity", "reciprocity"),
                *GROUNDS,
            ):
                if group == "ground-discrimination" and not self.hits(provision, "refusal"):
                    continue  # "race" or "sex" elsewhere is not a refusal ground
                hits = self.hits(provision, group)
                if group == "dual-criminality" and waiver:
                    continue
                signals.setdefault(label, []).extend(evidence(provision, h, label) for h in hits)
        present = {label for label, items in signals.items() if items}
        grounds = [label for _g, label in GROUNDS if label in present]
        items = [i for label in sorted(present) for i in signals[label][:3]]
        has_dc = "dual criminality" in present
        has_refusal = "refusal grounds" in present
        missing = [label for _g, label in GROUNDS if label not in present]
        if has_dc and has_refusal and len(grounds) >= 2:
            status, severity = "meets", "low"
            text = (
                f"Foreign requests are conditioned on dual criminality and may be refused, "
                f"including on {', '.join(grounds)} grounds"
            )
            if missing:
                text += f"; no {', '.join(missing)} ground was found"
        elif has_dc or has_refusal:
            status = "partly"
            severity = "medium" if grounds else "high"
            parts = [p for p, ok in (("dual criminality", has_dc), ("refusal", has_refusal)) if ok]
            text = f"The cooperation provisions mention {' and '.join(parts)}, but " + (
                f"only {', '.join(grounds)} among the rights-based refusal grounds"
                if grounds
                else "no refusal ground for political offences, discrimination, the death "
                "penalty or human rights"
            )
        else:
            status = "fails"
            severity = "high"
            basis = " (cooperation rests on reciprocity)" if "reciprocity" in present else ""
            text = (
                f"None of the {plural(len(scope), 'cooperation provision')} conditions "
                f"assistance on dual criminality or names a ground for refusing it{basis} "
                f"(searched for {searched(self.cues, CONDITIONS, law.language)})"
            )
            items = items or examined_all(scope, "cooperation provision, no condition")
        if status != "fails" and items:
            text += f" ({cited(items)})"
        findings.append(self.finding(status, severity, text + " (criterion 9).", items))
        return findings
