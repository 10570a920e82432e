"""Every rights detector on crafted provisions: one case where the law is fine, one where it is not.

All provisions below are FICTIONAL, written for these tests in the style of
cybercrime laws; none is taken from any State's law. ``CASES`` is the
table: (detector, language, provisions, expected status, provision key of
the finding or None for a whole-law finding, words the explanation must
quote). ``test_every_detector_has_positive_and_negative_cases`` fails when
a registered detector lacks a "meets" case or a problem case, so a new
detector cannot be added without both.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from treatywatch.align.model import ProvisionText
from treatywatch.assess.detectors import DETECTOR_CLASSES, all_detectors
from treatywatch.assess.engine import assess_law, scorecard
from treatywatch.assess.model import SEVERITIES, STATUSES, Finding, LawView

PROBLEM = ("fails", "partly", "not-addressed")


def prov(
    key: str,
    heading: str,
    text: str,
    kind: str = "offence",
    years: float | None = None,
    language: str = "en",
) -> ProvisionText:
    details = {}
    if years is not None:
        details["penalty"] = {"max_prison_years": years, "text": ""}
    label = key.split("-", 1)[1]
    return ProvisionText(key, label, heading, text, kind, language, details=details)


def law(*provisions: ProvisionText, language: str = "en") -> LawView:
    return LawView(
        "xnl/act/2099/test",
        1,
        "2099-01-01",
        "Fictional Test Act",
        "XNL",
        language,
        list(provisions),
    )


# Reusable fictional provisions --------------------------------------------------
ACCESS = prov(
    "sec-4",
    "Unauthorised access",
    "A person who intentionally and without authority accesses a computer system "
    "commits an offence and is liable to imprisonment for a term not exceeding two years.",
    years=2,
)
FALSE_NEWS = prov(
    "sec-9",
    "Publication of false information",
    "A person who publishes false information by means of a computer system commits "
    "an offence and is liable to imprisonment for a term not exceeding five years.",
    years=5,
)
JUDGE_SEARCH = prov(
    "sec-20",
    "Search warrant",
    "A Judge may, on an application by a police officer, issue a warrant "
    "authorising the officer to search a computer system and seize computer data.",
    kind="procedural",
)
POLICE_INTERCEPT = prov(
    "sec-21",
    "Interception",
    "A police officer may, by written notice, require a service provider to "
    "intercept the content of communications for such period as he considers "
    "necessary.",
    kind="procedural",
)
DURATION_INTERCEPT = prov(
    "sec-22",
    "Interception order",
    "A Judge may order a service provider to intercept the content of "
    "specified communications for a period not exceeding thirty days.",
    kind="procedural",
)
COOP_BAD = prov(
    "sec-30",
    "Assistance to foreign States",
    "The Minister may grant a request from a foreign State for assistance whether or "
    "not the conduct would constitute an offence in this country.",
    kind="cooperation",
)
COOP_GOOD = prov(
    "sec-31",
    "Grounds for refusal",
    "Assistance to a foreign State shall be refused where the conduct would not "
    "constitute an offence under the law of this country, where the request concerns "
    "a political offence, where there are grounds to believe the person would be "
    "prosecuted on account of race, religion or political opinion, or where the "
    "offence carries the death penalty.",
    kind="cooperation",
)


@dataclass(frozen=True)
class Case:
    detector: str
    status: str
    provisions: tuple[ProvisionText, ...]
    provision: str | None = None
    quotes: tuple[str, ...] = ()
    language: str = "en"

    @property
    def id(self) -> str:
        return f"{self.detector}:{self.status}:{self.language}:{self.provision}"


CASES = [
    # 1 scope
    Case("scope.content-offences", "fails", (ACCESS, FALSE_NEWS), "sec-9", ("false information",)),
    Case("scope.content-offences", "meets", (ACCESS,)),
    Case(
        "scope.content-offences",
        "fails",
        (
            prov(
                "art-8",
                "Diffusion de fausses nouvelles",
                "Quiconque aura diffusé des fausses nouvelles de nature à troubler "
                "l'ordre public sera "
                "puni d'un emprisonnement de cinq ans.",
                years=5,
                language="fr",
            ),
        ),
        "art-8",
        ("fausses nouvelles",),
        "fr",
    ),
    Case(
        "scope.content-offences",
        "fails",
        (
            prov(
                "art-7",
                "Injurias",
                "El que difunda expresiones que injurien a una autoridad será "
                "sancionado con prisión de un año.",
                years=1,
                language="es",
            ),
        ),
        "art-7",
        ("injurien",),
        "es",
    ),
    Case(
        "scope.content-offences",
        "fails",
        (
            prov(
                "sec-3",
                "Beleidigung",
                "Wer einen anderen mittels eines Computersystems beleidigt, wird "
                "mit Freiheitsstrafe bis zu einem Jahr bestraft.",
                years=1,
                language="de",
            ),
        ),
        "sec-3",
        ("beleidigt",),
        "de",
    ),
    Case(
        "scope.content-offences",
        "fails",
        (
            prov(
                "art-5",
                "Распространение",
                "Распространение заведомо ложной информации наказывается "
                "лишением свободы на срок до пяти лет.",
                years=5,
                language="ru",
            ),
        ),
        "art-5",
        ("заведомо ложной",),
        "ru",
    ),
    Case(
        "scope.content-offences",
        "fails",
        (
            prov(
                "art-6",
                "نشر الأخبار الكاذبة",
                "يعاقب بالحبس كل من نشر أخباراً كاذبة من شأنها الإخلال بالنظام العام.",
                years=3,
                language="ar",
            ),
        ),
        "art-6",
        ("الأخبار الكاذبة",),
        "ar",
    ),
    Case(
        "scope.catch-all",
        "fails",
        (
            prov(
                "sec-40",
                "Other offences",
                "A person who commits any offence under any other written law "
                "by means of a computer system is liable to the penalty for that offence.",
                kind="penalty",
            ),
        ),
        "sec-40",
        ("any offence under any",),
    ),
    Case("scope.catch-all", "meets", (ACCESS,)),
    # 2 offence quality
    Case(
        "offence-quality.mental-element",
        "fails",
        (
            prov(
                "sec-7",
                "System interference",
                "A person who hinders the functioning of a computer "
                "system commits an offence and is liable to imprisonment for ten years.",
                years=10,
            ),
        ),
        "sec-7",
        ("Section 7",),
    ),
    Case("offence-quality.mental-element", "meets", (ACCESS,)),
    Case(
        "offence-quality.mental-element",
        "partly",
        (
            prov(
                "art-3",
                "Accès frauduleux",
                "Quiconque aura accédé frauduleusement à un système "
                "informatique sera puni d'un an d'emprisonnement.",
                years=1,
                language="fr",
            ),
        ),
        "art-3",
        ("frauduleusement",),
        "fr",
    ),
    Case(
        "offence-quality.testing-exception",
        "fails",
        (
            prov(
                "sec-8",
                "Misuse of devices",
                "A person who intentionally and without authority "
                "distributes a device or a password for committing an offence commits an offence.",
            ),
        ),
        "sec-8",
    ),
    Case(
        "offence-quality.testing-exception",
        "meets",
        (
            prov(
                "sec-8",
                "Misuse of devices",
                "A person who intentionally and without authority "
                "distributes a device or a password for committing an offence commits "
                "an offence. This "
                "section does not apply to authorised testing or protection of a computer system.",
            ),
        ),
        "sec-8",
        ("authorised testing",),
    ),
    # 3 public interest
    Case("public-interest.defences", "not-addressed", (ACCESS,)),
    Case(
        "public-interest.defences",
        "meets",
        (
            ACCESS,
            prov(
                "sec-15",
                "Defences",
                "It is a defence that the act was security research done in good "
                "faith to report a vulnerability, was journalism in the public interest, or was a "
                "protected disclosure by a whistleblower.",
                kind="general",
            ),
        ),
        None,
        ("vulnerability",),
    ),
    # 4 principles
    Case("rights-principles.named", "not-addressed", (ACCESS,)),
    Case(
        "rights-principles.named",
        "meets",
        (
            prov(
                "sec-2",
                "Safeguards",
                "Every power shall be exercised in accordance with the law, only "
                "where necessary and proportionate, and with respect for human rights.",
                kind="general",
            ),
        ),
        None,
        ("proportionate",),
    ),
    # 5 gender
    Case(
        "gender.ncii",
        "meets",
        (
            prov(
                "sec-12",
                "Intimate images",
                "A person who intentionally shares an intimate image of "
                "another person without the consent of that person commits an offence.",
            ),
        ),
        "sec-12",
        ("intimate image",),
    ),
    Case("gender.ncii", "not-addressed", (ACCESS,)),
    Case(
        "gender.morality-offences",
        "fails",
        (
            prov(
                "sec-13",
                "Indecent content",
                "A person who publishes content contrary to public morals "
                "commits an offence and is liable to imprisonment for five years.",
                years=5,
            ),
        ),
        "sec-13",
        ("public morals",),
    ),
    Case("gender.morality-offences", "meets", (ACCESS,)),
    # 6 judicial authorization
    Case("judicial-authorization.powers", "meets", (JUDGE_SEARCH,), "sec-20", ("Judge",)),
    Case(
        "judicial-authorization.powers", "fails", (POLICE_INTERCEPT,), "sec-21", ("police officer",)
    ),
    Case(
        "judicial-authorization.powers",
        "partly",
        (
            prov(
                "sec-17",
                "Preservation",
                "A police officer may, by notice in writing, require a person "
                "to preserve specified computer data for ninety days; a Judge may "
                "extend the period.",
                kind="procedural",
            ),
        ),
        "sec-17",
        ("Judge", "police officer"),
    ),
    Case(
        "judicial-authorization.powers",
        "fails",
        (
            prov(
                "art-7",
                "التفتيش",
                "للنيابة العامة أن تأمر بتفتيش أي نظام معلوماتي دون حاجة إلى إذن من القاضي.",
                kind="procedural",
                language="ar",
            ),
        ),
        "art-7",
        (),
        "ar",
    ),
    Case(
        "judicial-authorization.powers",
        "meets",
        (
            prov(
                "art-11",
                "Perquisition",
                "Le juge d'instruction peut, par ordonnance motivée, autoriser "
                "l'officier de police judiciaire à procéder à une perquisition informatique.",
                kind="procedural",
                language="fr",
            ),
        ),
        "art-11",
        ("juge",),
        "fr",
    ),
    Case(
        "judicial-authorization.powers",
        "fails",
        (
            prov(
                "art-10",
                "Conservación",
                "El Ministerio Público podrá ordenar a cualquier proveedor la "
                "conservación de datos informáticos.",
                kind="procedural",
                language="es",
            ),
        ),
        "art-10",
        ("Ministerio Público",),
        "es",
    ),
    # 7 transparency
    Case(
        "transparency.provider-gag",
        "fails",
        (
            prov(
                "sec-23",
                "Confidentiality",
                "A service provider who receives an order under this Part "
                "shall keep confidential its existence and shall not disclose it to any person.",
                kind="procedural",
            ),
        ),
        "sec-23",
        ("keep confidential",),
    ),
    Case("transparency.provider-gag", "meets", (JUDGE_SEARCH,)),
    Case("transparency.notice", "not-addressed", (JUDGE_SEARCH,)),
    Case(
        "transparency.notice",
        "meets",
        (
            JUDGE_SEARCH,
            prov(
                "sec-24",
                "Notice",
                "Within ninety days after an interception ends, the police shall "
                "notify the person whose communications were intercepted.",
                kind="procedural",
            ),
        ),
        None,
        ("notify the person",),
    ),
    Case("transparency.reporting", "not-addressed", (JUDGE_SEARCH,)),
    Case(
        "transparency.reporting",
        "meets",
        (
            JUDGE_SEARCH,
            prov(
                "sec-25",
                "Reports",
                "The Minister shall lay before Parliament an annual report stating "
                "the number of warrants issued under this Part.",
                kind="institutional",
            ),
        ),
        None,
        ("annual report",),
    ),
    # 8 data protection
    Case("data-protection.safeguards", "not-addressed", (JUDGE_SEARCH,)),
    Case(
        "data-protection.safeguards",
        "meets",
        (
            JUDGE_SEARCH,
            prov(
                "sec-26",
                "Use of data",
                "Data obtained under this Part may be used only for the purpose "
                "of the investigation, shall be destroyed when no longer required, and "
                "are subject to the "
                "data protection law.",
                kind="procedural",
            ),
        ),
        None,
        ("used only",),
    ),
    # 9 sharing limits
    Case(
        "sharing-limits.conditions", "fails", (COOP_BAD,), "sec-30", ("whether or not the conduct",)
    ),
    Case("sharing-limits.conditions", "meets", (COOP_GOOD,), None, ("refused",)),
    # 10 oversight and remedies
    Case("oversight-remedy.duration", "fails", (POLICE_INTERCEPT,), "sec-21", ("such period",)),
    Case("oversight-remedy.duration", "meets", (DURATION_INTERCEPT,), "sec-22", ("not exceeding",)),
    Case("oversight-remedy.safeguards", "not-addressed", (JUDGE_SEARCH,)),
    Case(
        "oversight-remedy.safeguards",
        "meets",
        (
            JUDGE_SEARCH,
            prov(
                "sec-27",
                "Oversight",
                "The Commissioner shall audit the use of powers; a person may appeal "
                "to the High Court and obtain compensation; an officer who commits an "
                "abuse of power "
                "commits an offence; a record of every warrant shall be kept.",
                kind="institutional",
            ),
        ),
        None,
        ("Commissioner",),
    ),
    Case(
        "oversight-remedy.immunity",
        "fails",
        (
            prov(
                "sec-28",
                "Protection of officers",
                "No suit shall lie against any police officer for "
                "anything done in good faith under this Act.",
                kind="general",
            ),
        ),
        "sec-28",
        ("No suit",),
    ),
    Case("oversight-remedy.immunity", "meets", (JUDGE_SEARCH,)),
    # 11 children
    Case(
        "child-rights.peer-exception",
        "partly",
        (
            prov(
                "sec-11",
                "Child sexual abuse material",
                "A person who intentionally distributes child "
                "sexual abuse material commits an offence. In this section a child is "
                "a person under "
                "eighteen years.",
            ),
        ),
        "sec-11",
        ("eighteen",),
    ),
    Case(
        "child-rights.peer-exception",
        "meets",
        (
            prov(
                "sec-11",
                "Child sexual abuse material",
                "A person who intentionally distributes child "
                "sexual abuse material commits an offence. This section does not apply "
                "to a child who "
                "shares self-generated material with a peer, where the sharing is consensual.",
            ),
        ),
        "sec-11",
        ("consensual",),
    ),
    # 12 retention and decryption
    Case(
        "retention-decryption.retention",
        "fails",
        (
            prov(
                "sec-24",
                "Retention",
                "Every service provider shall retain all traffic data of every "
                "subscriber for two years.",
                kind="procedural",
            ),
        ),
        "sec-24",
        ("retain",),
    ),
    Case("retention-decryption.retention", "meets", (JUDGE_SEARCH,)),
    Case(
        "retention-decryption.retention",
        "fails",
        (
            prov(
                "art-12",
                "Conservation",
                "Les fournisseurs de services sont tenus de conserver "
                "l'ensemble des données relatives au trafic de tous leurs abonnés "
                "pendant cinq ans.",
                kind="procedural",
                language="fr",
            ),
        ),
        "art-12",
        ("conserver",),
        "fr",
    ),
    Case(
        "retention-decryption.decryption",
        "fails",
        (
            prov(
                "sec-29",
                "Decryption",
                "A police officer may require any person to decrypt data or "
                "disclose an encryption key.",
                kind="procedural",
            ),
        ),
        "sec-29",
        ("decrypt",),
    ),
    Case("retention-decryption.decryption", "meets", (JUDGE_SEARCH,)),
    # 13 penalty reach
    Case("penalty-reach.serious-offences", "fails", (ACCESS, FALSE_NEWS), "sec-9", ("5 years",)),
    Case("penalty-reach.serious-offences", "meets", (ACCESS,)),
]


def run(case: Case) -> list[Finding]:
    detector = next(d for d in all_detectors() if d.name == case.detector)
    return detector.detect(law(*case.provisions, language=case.language))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_detector_case(case: Case) -> None:
    findings = run(case)
    matching = [f for f in findings if f.provision_key == case.provision]
    assert matching, f"no finding on {case.provision}: {[f.record() for f in findings]}"
    finding = matching[0]
    assert finding.status == case.status, finding.explanation
    assert finding.detector == case.detector
    for words in case.quotes:
        assert words in finding.explanation, finding.explanation


def test_every_detector_has_positive_and_negative_cases() -> None:
    for cls in DETECTOR_CLASSES:
        statuses = {c.status for c in CASES if c.detector == cls.name}
        assert "meets" in statuses, f"{cls.name} has no case where the law meets the criterion"
        assert statuses & set(PROBLEM), f"{cls.name} has no case where the law falls short"


def test_every_criterion_has_a_detector() -> None:
    from treatywatch.catalogue import Catalogue

    covered = {cls.criterion_id for cls in DETECTOR_CLASSES}
    assert covered == {c.id for c in Catalogue.load().criteria}


def test_detector_names_are_unique_and_prefixed_by_criterion() -> None:
    names = [cls.name for cls in DETECTOR_CLASSES]
    assert len(names) == len(set(names))
    assert all(cls.name.startswith(cls.criterion_id + ".") for cls in DETECTOR_CLASSES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_findings_are_well_formed_and_quote_exactly(case: Case) -> None:
    by_key = {p.key: p for p in case.provisions}
    for finding in run(case):
        assert finding.status in STATUSES and finding.severity in SEVERITIES
        assert finding.explanation.strip()
        if finding.status not in ("meets", "needs-review") or finding.provision_key:
            assert finding.evidence or "searched" in finding.explanation
        for item in finding.evidence:
            text = by_key[item.provision_key].full
            assert 0 <= item.start < item.end <= len(text)
            assert " ".join(text[item.start : item.end].split()) == item.quote


def test_severity_follows_penalty_for_content_offences() -> None:
    light = prov("sec-9", "False news", "A person who publishes false news commits an offence.")
    heavy = FALSE_NEWS
    detector = next(d for d in all_detectors() if d.name == "scope.content-offences")
    assert detector.detect(law(light))[0].severity in ("medium", "low")
    assert detector.detect(law(heavy))[0].severity == "critical"


def test_child_abuse_material_is_not_a_content_offence() -> None:
    csam = prov(
        "sec-11",
        "Child sexual abuse material",
        "A person who intentionally distributes "
        "obscene child sexual abuse material to humiliate a child commits an offence.",
    )
    findings = next(d for d in all_detectors() if d.name == "scope.content-offences").detect(
        law(csam)
    )
    assert [f.status for f in findings] == ["meets"]


def test_assessment_is_deterministic() -> None:
    provisions = [c.provisions for c in CASES if c.language == "en"]
    flat = list({p.key: p for group in provisions for p in group}.values())
    first = assess_law(law(*flat))
    second = assess_law(law(*flat))
    assert [f.record() for f in first.findings] == [f.record() for f in second.findings]
    assert first.scorecard.record() == second.scorecard.record()


def test_scorecard_uses_worst_status_and_mean_score() -> None:
    def f(status: str) -> Finding:
        return Finding(
            "judicial-authorization", status, "low", "x", "judicial-authorization.powers"
        )

    card = scorecard([f("meets"), f("meets"), f("fails"), f("needs-review")])
    row = next(c for c in card.criteria if c.criterion_id == "judicial-authorization")
    assert row.status == "fails"
    assert row.score == pytest.approx(2 / 3)
    assert card.overall == pytest.approx(2 / 3)
    only_review = scorecard([f("needs-review")])
    row = next(c for c in only_review.criteria if c.criterion_id == "judicial-authorization")
    assert row.status == "needs-review" and row.score is None and only_review.overall is None
