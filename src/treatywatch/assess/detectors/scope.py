"""Criterion 1 (scope): content and speech offences, and catch-all clauses.

A cybercrime law should punish attacks on systems and data and a few
recognised cyber-enabled harms; an offence that turns on what was *said*
(false news, insult, public order, morality, extremism) is the route by
which such laws reach journalists and critics. Child sexual abuse material
and non-consensual intimate images are recognised harms, so their
"sexual" or "obscene" wording does not make them content offences here.
"""

from __future__ import annotations

from treatywatch.align.model import ProvisionText
from treatywatch.assess.cues import CueBook, CueHit
from treatywatch.assess.detectors.base import (
    BaseDetector,
    evidence,
    examined_all,
    is_offence,
    name_of,
    offences,
    penalty_evidence,
    penalty_of,
    plural,
    quoted_cues,
    searched,
    years_text,
)
from treatywatch.assess.model import SERIOUS_CRIME_YEARS, Finding, LawView

CONTENT_GROUPS = (
    "content-falsehood",
    "content-insult",
    "content-public-order",
    "content-morality",
    "content-extremism",
    "content-harassment",
)
VAGUE_GROUPS = frozenset(
    {"content-falsehood", "content-insult", "content-public-order", "content-morality"}
)
"""Groups whose words have no settled legal edge; extremism and harassment
wording can be narrowly drafted, so they alone do not make an offence vague."""

HARM_WORDS = frozenset({"content-insult", "content-public-order", "content-harassment"})

_LABELS = {
    "content-falsehood": "false information",
    "content-insult": "insult or defamation",
    "content-public-order": "public order or the State's image",
    "content-morality": "morality or obscenity",
    "content-extremism": "extremism or hatred",
    "content-harassment": "harassment by messages",
}


CLAUSE_REACH = 200
"""How far apart "any offence under any law" and "committed through a computer" may
be to read as one catch-all clause."""

HARM_REACH = 250
"""How close (in characters) a recognised-harm cue must be to explain a content
word: omnibus sections list libel and child abuse material side by side, and
the child-abuse words must not excuse the libel offence two paragraphs on."""


def content_hits(book: CueBook, provision: ProvisionText) -> list[CueHit]:
    """Content-offence cues in a provision, minus the ones a recognised harm explains.

    Morality, humiliation or fear words next to child sexual abuse material or
    intimate images shared without consent describe that harm rather than
    policing speech, so they are set aside when such a cue is close by.
    """
    text, language = provision.full, provision.language
    found = [h for g in CONTENT_GROUPS for h in book.find(g, text, language)]
    children = book.find("child", text, language)
    sexual = book.find("sexual-material", text, language)
    harms = book.find("ncii", text, language)
    if children and sexual:
        harms = harms + children + sexual

    def explained(hit: CueHit) -> bool:
        if hit.group not in HARM_WORDS and hit.group != "content-morality":
            return False
        return any(
            abs(h.start - hit.start) <= HARM_REACH or abs(h.end - hit.end) <= HARM_REACH
            for h in harms
        )

    kept = [h for h in found if not explained(h)]
    return sorted(kept, key=lambda h: (h.start, h.end, h.group))


def is_content_offence(book: CueBook, provision: ProvisionText) -> bool:
    return bool(content_hits(book, provision))


class ContentOffences(BaseDetector):
    criterion_id = "scope"
    name = "scope.content-offences"
    summary = "offences built on speech or content: false news, insult, public order, morality"

    def detect(self, law: LawView) -> list[Finding]:
        examined = offences(law)
        findings: list[Finding] = []
        for provision in examined:
            hits = content_hits(self.cues, provision)
            if hits:
                findings.append(self._flag(provision, hits))
        if findings or not examined:
            if not examined:
                return [
                    self.finding(
                        "needs-review",
                        "low",
                        f"No provision of this law was recognised as an offence among "
                        f"{plural(len(law.provisions), 'provision')}, so no offence could be "
                        "checked for content or speech elements (criterion 1).",
                        [],
                    )
                ]
            return findings
        return [
            self.finding(
                "meets",
                "low",
                f"None of the {plural(len(examined), 'offence provision')} examined uses "
                "content or speech wording (searched for "
                f"{searched(self.cues, CONTENT_GROUPS, law.language)}); the offences found "
                "do not turn on what is said (criterion 1).",
                examined_all(examined, "offence provision, no content cue"),
            )
        ]

    def _flag(self, provision: ProvisionText, hits: list[CueHit]) -> Finding:
        penalty = penalty_of(provision)
        years = penalty.max_years if penalty else None
        groups = sorted({h.group for h in hits}, key=CONTENT_GROUPS.index)
        vague = any(g in VAGUE_GROUPS for g in groups)
        limited = bool(self.hits(provision, "limiting-element")) and bool(
            self.hits(provision, "intent")
        )
        if years is not None and years >= SERIOUS_CRIME_YEARS and vague:
            severity = "critical"
        elif years is not None and (vague or years >= SERIOUS_CRIME_YEARS) and not limited:
            severity = "high"
        elif years is not None or not limited:
            severity = "medium"
        else:
            severity = "low"
        topics = ", ".join(_LABELS[g] for g in groups)
        sanction = (
            f"punishable by up to {years_text(years)}" if years else "with no prison term found"
        )
        reach = ""
        if years is not None and years >= SERIOUS_CRIME_YEARS:
            reach = "; at four years or more it is a 'serious crime' open to UNCC evidence-sharing"
        narrowing = (
            " It does require intent and mentions violence, which narrows it somewhat."
            if limited
            else ""
        )
        explanation = (
            f"{name_of(provision)} makes content an offence ({topics}: "
            f"{quoted_cues(hits)}), {sanction}{reach}. Offences defined by what is said can "
            f"reach lawful expression (criterion 1).{narrowing}"
        )
        items = [evidence(provision, h, f"content offence ({_LABELS[h.group]})") for h in hits]
        if penalty:
            penalty_item = penalty_evidence(provision, penalty)
            if penalty_item:
                items.append(penalty_item)
        return self.finding("fails", severity, explanation, items, provision)


class CatchAllClause(BaseDetector):
    criterion_id = "scope"
    name = "scope.catch-all"
    summary = "clauses making any offence under other laws a cybercrime when a computer is used"

    def _clauses(self, provision: ProvisionText) -> list[CueHit]:
        """ "Any offence under any law" next to "committed through a computer", unless it
        is the further offence of an access-with-intent offence ("with intent to commit
        an offence under any law"), which is a core cyber offence (UNCC Art. 7)."""
        means = self.hits(provision, "computer-means")
        intent = self.hits(provision, "intent")
        kept = []
        for hit in self.hits(provision, "catch-all"):
            if not any(abs(m.start - hit.start) <= CLAUSE_REACH for m in means):
                continue
            if any(0 <= hit.start - i.end <= CLAUSE_REACH for i in intent):
                continue
            kept.append(hit)
        return kept

    def detect(self, law: LawView) -> list[Finding]:
        candidates = [
            p
            for p in law.provisions
            if is_offence(law, p) or p.kind in ("penalty", "general", "other")
        ]
        findings = []
        for provision in candidates:
            hits = self._clauses(provision)
            if not hits:
                continue
            findings.append(
                self.finding(
                    "fails",
                    "critical",
                    f"{name_of(provision)} reaches offences defined elsewhere "
                    f"({quoted_cues(hits)}) when committed with a computer, so the law's "
                    "procedures and cooperation follow any offence, not only cybercrime "
                    "(criterion 1).",
                    [evidence(provision, h, "catch-all clause") for h in hits],
                    provision,
                )
            )
        if findings:
            return findings
        return [
            self.finding(
                "meets",
                "low",
                f"No clause extending the law to offences under other laws was found in "
                f"{plural(len(candidates), 'offence, penalty or general provision')} "
                f"(searched for {searched(self.cues, ('catch-all',), law.language)}) "
                "(criterion 1).",
                examined_all(candidates, "no catch-all clause"),
            )
        ]
