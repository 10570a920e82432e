"""Criterion 10: duration limits on measures, oversight and remedies, no immunity.

Duration is checked per power that lasts (interception, real-time
collection, preservation); oversight and remedies are law-wide; an
immunity or ouster clause for officials is flagged where it stands.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    cited,
    evidence,
    examined_all,
    name_of,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.detectors.judicial import power_provisions
from treatywatch.assess.model import Evidence, Finding, LawView

LASTING = frozenset(
    {
        "interception of content",
        "real-time collection of traffic data",
        "preservation of data",
    }
)
SAFEGUARDS = (
    ("oversight", "independent oversight"),
    ("remedy", "a remedy or appeal"),
    ("misuse-penalty", "penalties for misuse of powers"),
    ("records", "records of measures"),
)


class DurationLimits(BaseDetector):
    criterion_id = "oversight-remedy"
    name = "oversight-remedy.duration"
    summary = "a maximum duration for interception, real-time collection and preservation"

    def detect(self, law: LawView) -> list[Finding]:
        lasting = [
            (p, [k for k in kinds if k in LASTING])
            for p, kinds in power_provisions(self.cues, law)
            if any(k in LASTING for k in kinds)
        ]
        if not lasting:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "No interception, real-time collection or preservation power was found, so "
                    "there is no ongoing measure whose duration could be limited (criterion 10).",
                    [],
                )
            ]
        findings = []
        for provision, kinds in lasting:
            limits = self.hits(provision, "time-limit")
            open_ended = self.hits(provision, "open-ended")
            renewals = self.hits(provision, "renewal")
            what = " and ".join(kinds)
            items = [evidence(provision, h, "time limit") for h in limits]
            items += [evidence(provision, h, "open-ended") for h in open_ended]
            items += [evidence(provision, h, "renewal") for h in renewals]
            if limits and not open_ended:
                status, severity = "meets", "low"
                text = f"{name_of(provision)} ({what}) is limited in time ({quoted_cues(limits)})"
                if renewals:
                    text += f" and renewal is provided for ({quoted_cues(renewals)})"
            elif open_ended:
                status, severity = "fails", "high"
                text = (
                    f"{name_of(provision)} ({what}) lasts as long as an official decides "
                    f"({quoted_cues(open_ended)})"
                )
            else:
                status, severity = "fails", "medium"
                text = (
                    f"{name_of(provision)} ({what}) states no maximum duration (searched for "
                    f"{searched(self.cues, ('time-limit',), law.language, limit=4)})"
                )
            findings.append(
                self.finding(status, severity, text + " (criterion 10).", items, provision)
            )
        return findings


class OversightAndRemedy(BaseDetector):
    criterion_id = "oversight-remedy"
    name = "oversight-remedy.safeguards"
    summary = "oversight bodies, remedies, records and penalties for misuse of powers"

    def detect(self, law: LawView) -> list[Finding]:
        powers = power_provisions(self.cues, law)
        if not powers:
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "The law confers no investigative power that could be found, so oversight "
                    "of such powers is not expected here (criterion 10).",
                    [],
                )
            ]
        scope = [p for p in law.provisions if p.kind != "offence" or self.hits(p, "misuse-penalty")]
        found: dict[str, list[Evidence]] = {}
        for provision in scope:
            for group, label in SAFEGUARDS:
                for hit in self.hits(provision, group):
                    found.setdefault(label, []).append(evidence(provision, hit, label))
        present = [label for _g, label in SAFEGUARDS if label in found]
        missing = [label for _g, label in SAFEGUARDS if label not in found]
        items = [item for label in present for item in found[label][:3]]
        if not present:
            return [
                self.finding(
                    "not-addressed",
                    "high",
                    "No oversight body, remedy, record-keeping or penalty for misuse of powers "
                    f"was found in {plural(len(scope), 'provision')} (searched for "
                    f"{searched(self.cues, [g for g, _l in SAFEGUARDS], law.language)}) "
                    "(criterion 10).",
                    examined_all([p for p, _k in powers], "power with no oversight"),
                )
            ]
        status = "meets" if len(present) >= 3 else "partly"
        severity = "low" if status == "meets" else "medium"
        absent = f"; nothing found on {', '.join(missing)}" if missing else ""
        return [
            self.finding(
                status,
                severity,
                f"The law provides for {', '.join(present)} ({cited(items)}){absent} "
                "(criterion 10).",
                items,
            )
        ]


class ImmunityClauses(BaseDetector):
    criterion_id = "oversight-remedy"
    name = "oversight-remedy.immunity"
    summary = "immunity or ouster clauses protecting officials who use the powers"

    def detect(self, law: LawView) -> list[Finding]:
        findings = []
        for provision in law.provisions:
            immunity = self.hits(provision, "immunity")
            if not immunity:
                continue
            officials = self.hits(provision, "executive-actor")
            if not officials:
                continue  # a safe harbour for providers is not immunity for officials
            findings.append(
                self.finding(
                    "fails",
                    "high",
                    f"{name_of(provision)} shields officials ({quoted_cues(officials, 2)}) from "
                    f"liability or suit ({quoted_cues(immunity)}), which closes the route to a "
                    "remedy for misuse (criterion 10).",
                    [evidence(provision, h, "immunity") for h in immunity]
                    + [evidence(provision, h, "official") for h in officials[:2]],
                    provision,
                )
            )
        if findings:
            return findings
        return [
            self.finding(
                "meets",
                "low",
                f"No immunity or ouster clause for officials was found in "
                f"{plural(len(law.provisions), 'provision')} (searched for "
                f"{searched(self.cues, ('immunity',), law.language)}) (criterion 10).",
                examined_all(
                    [p for p in law.provisions if p.kind in ("procedural", "general")],
                    "no immunity clause",
                ),
            )
        ]
