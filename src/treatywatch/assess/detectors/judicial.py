"""Criterion 6: who authorises search, production, preservation, collection and interception.

Each power provision is classified the way the gold labels are:

- ``prior-judicial``: only a judge, court or magistrate can authorise it
  (a warrant or order);
- ``mixed``: a court route exists beside a police, prosecutor or executive
  route (urgent searches without warrant, police preservation extended by a
  court);
- ``none``: police, prosecutor, agency or minister alone;
- ``unclear``: nobody who authorises the measure could be identified.

An actor *authorises* when the text says it "may order / require /
direct ..." (or "peut ordonner", "podrá ordenar", ...), not when it "may
apply" to someone who does: an officer applying to a judge is the judicial
route. A warrant mentioned only in "without a warrant" is not one.
"""

from __future__ import annotations

from dataclasses import dataclass

from treatywatch.align.model import ProvisionText
from treatywatch.assess.cues import CueBook, CueHit
from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    is_power_context,
    name_of,
    plural,
    quoted_cues,
    searched,
)
from treatywatch.assess.model import Evidence, Finding, LawView

POWER_GROUPS = (
    ("power-interception", "interception of content"),
    ("power-realtime", "real-time collection of traffic data"),
    ("power-search", "search and seizure"),
    ("power-production", "production of data"),
    ("power-preservation", "preservation of data"),
)
INTRUSIVE = frozenset({"interception of content", "real-time collection of traffic data"})
ORDER_WINDOW = 160
"""How far after an actor its power verb may come ("the officer may, by notice in
writing addressed to the provider, require ..."): one long clause."""
CLASSES = ("prior-judicial", "mixed", "none", "unclear")


@dataclass(frozen=True)
class Authorization:
    """Who may authorise one power, and the words that say so."""

    kind: str  # one of CLASSES
    judicial: tuple[CueHit, ...]
    executive: tuple[CueHit, ...]

    @property
    def hits(self) -> list[CueHit]:
        return sorted(self.judicial + self.executive, key=lambda h: (h.start, h.end))


NEGATION_REACH = 40
"""A judge named this soon after "without" ("without a warrant from a judge",
"دون حاجة إلى إذن من القاضي") is the route *not* taken."""


def _inside(hit: CueHit, spans: list[CueHit]) -> bool:
    return any(s.start <= hit.start and hit.end <= s.end for s in spans)


def _negated(hit: CueHit, negations: list[CueHit]) -> bool:
    return any(n.start <= hit.start <= n.end + NEGATION_REACH for n in negations)


def _authorising(
    book: CueBook,
    provision: ProvisionText,
    actors: list[CueHit],
    verbs: list[CueHit],
    judicial: list[CueHit],
) -> list[CueHit]:
    """Actors followed, within one clause, by a power verb and no 'apply' in between.

    An actor acting "upon securing a court warrant" or "where a warrant is
    issued" executes a judicial decision, so a judge or warrant in the same
    clause before its verb takes the power away from it.
    """
    text = provision.full
    applications = book.find("application", text, provision.language)
    found = []
    for actor in actors:
        for verb in verbs:
            if verb.start < actor.end or verb.start - actor.end > ORDER_WINDOW:
                continue
            between = text[actor.end : verb.start]
            if "." in between.rstrip(".") or ";" in between:
                continue
            if any(actor.end <= a.start < verb.start for a in applications):
                continue
            if any(_same_clause(text, j, actor, verb) for j in judicial):
                continue
            found.append(actor)
            break
    return found


def _same_clause(text: str, judge: CueHit, actor: CueHit, verb: CueHit) -> bool:
    if actor.end <= judge.start < verb.start:
        return True
    if judge.end <= actor.start and actor.start - judge.end <= ORDER_WINDOW:
        between = text[judge.end : actor.start]
        return "." not in between and ";" not in between
    return False


def classify_authorization(book: CueBook, provision: ProvisionText) -> Authorization:
    """Classify who authorises the power(s) in a provision (see the module docstring)."""
    text, language = provision.full, provision.language
    no_warrant = book.find("no-warrant", text, language)
    judges = [h for h in book.find("judicial", text, language) if not _negated(h, no_warrant)]
    warrants = [h for h in book.find("warrant", text, language) if not _negated(h, no_warrant)]
    verbs = book.find("order-verb", text, language)
    actors = [
        h
        for h in book.find("executive-actor", text, language)
        if not _inside(h, judges) and not any(_inside(j, [h]) for j in judges)
    ]
    court_words = judges + warrants
    executive = _authorising(book, provision, actors, verbs, court_words) + no_warrant
    if no_warrant and not judges:
        warrants = []  # "before a warrant can be obtained": the warrant route is not this one
    judicial = judges + warrants
    if judicial and executive:
        kind = "mixed"
    elif judicial:
        kind = "prior-judicial"
    elif executive or actors:
        kind = "none"
        executive = executive or actors
    else:
        kind = "unclear"
    return Authorization(kind, tuple(judicial), tuple(sorted(executive, key=lambda h: h.start)))


def powers_in(book: CueBook, provision: ProvisionText) -> list[str]:
    """The kinds of power a provision confers, most intrusive first."""
    return [
        label
        for group, label in POWER_GROUPS
        if book.find(group, provision.full, provision.language)
    ]


def power_provisions(book: CueBook, law: LawView) -> list[tuple[ProvisionText, list[str]]]:
    """Procedural provisions that confer at least one investigative power."""
    out = []
    for provision in law.provisions:
        if not is_power_context(law, provision):
            continue
        kinds = powers_in(book, provision)
        if kinds:
            out.append((provision, kinds))
    return out


class PriorAuthorization(BaseDetector):
    criterion_id = "judicial-authorization"
    name = "judicial-authorization.powers"
    summary = "search, production, collection and interception need a judge's prior order"

    def detect(self, law: LawView) -> list[Finding]:
        powers = power_provisions(self.cues, law)
        if not powers:
            groups = [g for g, _l in POWER_GROUPS]
            return [
                self.finding(
                    "needs-review",
                    "low",
                    "The law confers no search, production, preservation, collection or "
                    "interception power that could be found (searched "
                    f"{plural(len(law.provisions), 'provision')} for "
                    f"{searched(self.cues, groups, law.language)}); such powers may sit in "
                    "the criminal procedure code (criterion 6).",
                    [],
                )
            ]
        findings = [self._judge(p, kinds) for p, kinds in powers]
        none_count = sum(1 for f in findings if f.status == "fails")
        if none_count == len(findings) and len(findings) > 1:
            for finding in findings:
                finding.severity = "critical"
                finding.explanation += " No power in this law needs a judge at any stage."
        return findings

    def _judge(self, provision: ProvisionText, kinds: list[str]) -> Finding:
        auth = classify_authorization(self.cues, provision)
        intrusive = any(k in INTRUSIVE for k in kinds)
        what = " and ".join(kinds[:2])
        judicial_words = quoted_cues(auth.judicial)
        executive_words = quoted_cues(auth.executive)
        items: list[Evidence] = [evidence(provision, h, "judicial route") for h in auth.judicial]
        items += [evidence(provision, h, "non-judicial route") for h in auth.executive]
        if auth.kind == "prior-judicial":
            status, severity = "meets", "low"
            text = (
                f"{name_of(provision)} ({what}) is authorised by a judge or court "
                f"({judicial_words}) (criterion 6)."
            )
        elif auth.kind == "mixed":
            status, severity = "partly", "high" if intrusive else "medium"
            text = (
                f"{name_of(provision)} ({what}) has a judicial route ({judicial_words}) but "
                f"also one without a judge ({executive_words}) (criterion 6)."
            )
        elif auth.kind == "none":
            status, severity = "fails", "high" if intrusive else "medium"
            text = (
                f"{name_of(provision)} ({what}) can be exercised without any judge or court: "
                f"the text gives the decision to {executive_words} (criterion 6)."
            )
        else:
            status, severity = "needs-review", "low"
            text = (
                f"{name_of(provision)} ({what}): no authorising judge, court, officer or "
                "minister could be identified in its text; check who orders the measure "
                "(criterion 6)."
            )
        return self.finding(status, severity, text, items, provision)
