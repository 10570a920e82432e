"""Criterion 12: general data retention, compelled decryption, interception capability.

Targeted preservation of specified data is what both treaties ask for; a
duty on providers to keep *everyone's* data is not. Decryption orders,
key disclosure and built-in interception capability weaken security for
all users. Offences are not searched: "password" in a misuse-of-devices
offence is not a decryption order.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined_all,
    is_offence,
    name_of,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.model import Finding, LawView


def _duty_scope(detector: BaseDetector, law: LawView) -> list:  # type: ignore[type-arg]
    return [p for p in law.provisions if p.kind != "definition"]


class GeneralRetention(BaseDetector):
    criterion_id = "retention-decryption"
    name = "retention-decryption.retention"
    summary = "duties on providers to retain all users' traffic or content data"

    def detect(self, law: LawView) -> list[Finding]:
        scope = _duty_scope(self, law)
        findings = []
        for provision in scope:
            retention = self.hits(provision, "retention")
            general = self.hits(provision, "generality")
            if not retention or not general or not self.hits(provision, "provider"):
                continue
            if self.hits(provision, "specificity") and not general:
                continue
            content = self.hits(provision, "content-data")
            data = self.hits(provision, "traffic-data") + content
            items = [evidence(provision, h, "retention duty") for h in retention[:2]]
            items += [evidence(provision, h, "all users") for h in general[:2]]
            items += [evidence(provision, h, "data retained") for h in data[:2]]
            severity = (
                "critical"
                if content
                else "high"
                if not self.hits(provision, "judicial")
                else "medium"
            )
            findings.append(
                self.finding(
                    "fails",
                    severity,
                    f"{name_of(provision)} obliges providers to retain data "
                    f"({quoted_cues(retention, 2)}) of all users ({quoted_cues(general, 2)}) "
                    "whether or not they are under investigation"
                    + (", including content" if content else "")
                    + " (criterion 12).",
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
                f"No general retention duty was found in {plural(len(scope), 'provision')}"
                f" (searched for {searched(self.cues, ('retention', 'generality'), law.language)});"
                " any preservation is left to targeted orders (criterion 12).",
                examined_all(
                    [p for p in scope if p.kind in ("procedural", "preventive")],
                    "no general retention duty",
                ),
            )
        ]


class DecryptionAndCapability(BaseDetector):
    criterion_id = "retention-decryption"
    name = "retention-decryption.decryption"
    summary = "compelled decryption, key disclosure or built-in interception capability"

    def detect(self, law: LawView) -> list[Finding]:
        scope = _duty_scope(self, law)
        findings = []
        for provision in scope:
            capability = self.hits(provision, "capability")
            decryption = self.hits(provision, "decryption")
            if decryption and (
                is_offence(law, provision)
                or not (
                    self.hits(provision, "order-verb", "assistance", "power-search")
                    or provision.kind == "procedural"
                )
            ):
                decryption = []
            if not capability and not decryption:
                continue
            protected = self.hits(provision, "self-incrimination")
            items = [evidence(provision, h, "interception capability") for h in capability]
            items += [evidence(provision, h, "decryption or keys") for h in decryption[:3]]
            items += [evidence(provision, h, "self-incrimination protected") for h in protected]
            if capability:
                severity = "critical"
                what = f"built-in interception capability ({quoted_cues(capability)})"
            else:
                severity = "medium" if protected else "high"
                what = f"decryption or disclosure of keys or passwords ({quoted_cues(decryption)})"
            guard = (
                f"; the privilege against self-incrimination is kept ({quoted_cues(protected)})"
                if protected
                else ""
            )
            findings.append(
                self.finding(
                    "partly" if protected and not capability else "fails",
                    severity,
                    f"{name_of(provision)} can compel {what}{guard} (criterion 12).",
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
                "No duty to decrypt, disclose keys or build in interception capability was found "
                f"in {plural(len(scope), 'provision')} (searched for "
                f"{searched(self.cues, ('decryption', 'capability'), law.language)}) "
                "(criterion 12).",
                examined_all(
                    [p for p in scope if p.kind in ("procedural", "preventive")],
                    "no decryption duty",
                ),
            )
        ]
