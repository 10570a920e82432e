"""Criterion 5 (gender): intimate-image abuse as a rights harm, no morality offences.

Two signals: whether the law protects people against intimate images shared
without consent (framed around consent, not obscenity), and whether it
creates morality offences ("public morals", "indecency") that are used
against women and LGBTQ+ people. Child sexual abuse material is left to
criterion 11.
"""

from __future__ import annotations

from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined_all,
    name_of,
    offences,
    penalty_of,
    plural,
    quoted_cues,
    searched,
    years_text,
)
from treatywatch.assess.model import SERIOUS_CRIME_YEARS, Finding, LawView


class IntimateImages(BaseDetector):
    criterion_id = "gender"
    name = "gender.ncii"
    summary = "an offence of sharing intimate images without consent, framed around consent"

    def detect(self, law: LawView) -> list[Finding]:
        checked = offences(law)
        findings = []
        for provision in checked:
            ncii = self.hits(provision, "ncii")
            if not ncii:
                continue
            consent = self.hits(provision, "consent")
            morality = self.hits(provision, "content-morality")
            items = [evidence(provision, h, "intimate images") for h in ncii + consent]
            if consent and not morality:
                findings.append(
                    self.finding(
                        "meets",
                        "low",
                        f"{name_of(provision)} protects against intimate images shared "
                        f"({quoted_cues(ncii)}) and turns on consent ({quoted_cues(consent)}), "
                        "treating the harm as one to the person depicted (criterion 5).",
                        items,
                        provision,
                    )
                )
            else:
                why = (
                    f"frames it as obscenity ({quoted_cues(morality)})"
                    if morality
                    else "does not make the lack of consent the core of the offence"
                )
                findings.append(
                    self.finding(
                        "partly",
                        "medium",
                        f"{name_of(provision)} covers intimate images ({quoted_cues(ncii)}) but "
                        f"{why}, so the victim's rights are not the protected interest "
                        "(criterion 5).",
                        items + [evidence(provision, h, "morality framing") for h in morality],
                        provision,
                    )
                )
        if findings:
            return findings
        return [
            self.finding(
                "not-addressed",
                "medium",
                f"None of the {plural(len(checked), 'offence provision')} protects against "
                "intimate images shared without consent (searched for "
                f"{searched(self.cues, ('ncii',), law.language)}) (criterion 5; UNCC Art. 16).",
                examined_all(checked, "offence, no intimate-image cue"),
            )
        ]


class MoralityOffences(BaseDetector):
    criterion_id = "gender"
    name = "gender.morality-offences"
    summary = "offences against 'public morals', indecency or obscenity between adults"

    def detect(self, law: LawView) -> list[Finding]:
        checked = offences(law)
        findings = []
        for provision in checked:
            morality = self.hits(provision, "content-morality")
            if not morality:
                continue
            if self.hits(provision, "child") and self.hits(provision, "sexual-material"):
                continue  # child sexual abuse material: criterion 11
            if self.hits(provision, "ncii"):
                continue  # judged by gender.ncii
            penalty = penalty_of(provision)
            years = penalty.max_years if penalty else None
            heavy = years is not None and years >= SERIOUS_CRIME_YEARS
            sanction = f", punishable by up to {years_text(years)}" if years else ""
            findings.append(
                self.finding(
                    "fails",
                    "high" if heavy else "medium",
                    f"{name_of(provision)} punishes content as immoral or indecent "
                    f"({quoted_cues(morality)}){sanction}; morality offences are routinely "
                    "used against women and LGBTQ+ people (criterion 5).",
                    [evidence(provision, h, "morality offence") for h in morality],
                    provision,
                )
            )
        if findings:
            return findings
        return [
            self.finding(
                "meets",
                "low",
                "No morality-based offence was found in "
                f"{plural(len(checked), 'offence provision')} (searched for "
                f"{searched(self.cues, ('content-morality',), law.language)}) "
                "(criterion 5).",
                examined_all(checked, "offence, no morality cue"),
            )
        ]
