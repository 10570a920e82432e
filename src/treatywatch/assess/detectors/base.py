"""What every detector shares: finding cues in provisions, quoting them, naming them.

Detectors differ in the question they ask; they agree on how a provision is
named in an explanation ("Section 22 (Publication of false information)"),
how a cue hit becomes :class:`Evidence`, which provisions count as
offences, powers or cooperation rules, and how a whole-law verdict cites
what was searched. Keeping these here keeps each detector module about its
criterion only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from treatywatch.align.model import ProvisionText
from treatywatch.assess.cues import CueBook, CueHit, cue_book
from treatywatch.assess.model import Evidence, Finding, LawView

MAX_EXAMINED = 25
"""Whole-law findings cite at most this many examined provisions as evidence."""

_UNITS = {
    "sec": "Section",
    "s": "Section",
    "art": "Article",
    "reg": "Regulation",
    "rule": "Rule",
    "para": "Paragraph",
    "cl": "Clause",
    "item": "Item",
}
_OFFENCE_ARTICLES = {f"uncc/art-{n}" for n in range(7, 18)} | {
    f"budapest/art-{n}" for n in range(2, 11)
}
_POWER_ARTICLES = {f"uncc/art-{n}" for n in range(25, 31)} | {
    f"budapest/art-{n}" for n in range(16, 22)
}
_COOPERATION_ARTICLES = {f"uncc/art-{n}" for n in range(35, 53)} | {
    f"budapest/art-{n}" for n in range(23, 36)
}
_SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n")


class BaseDetector:
    """Holds the cue book; subclasses set ``criterion_id`` and ``name`` and ``detect``."""

    criterion_id: str = ""
    name: str = ""
    summary: str = ""  # one line: what the detector looks for (docs and CLI)

    def __init__(self, cues: CueBook | None = None) -> None:
        self.cues = cues or cue_book()

    def hits(self, provision: ProvisionText, *groups: str) -> list[CueHit]:
        """Hits of ``groups`` in the provision's heading and text, in text order."""
        found: list[CueHit] = []
        for group in groups:
            found.extend(self.cues.find(group, provision.full, provision.language))
        return sorted(found, key=lambda h: (h.start, h.end, h.group, h.cue))

    def phrases(self, group: str, language: str) -> tuple[str, ...]:
        return self.cues.phrases(group, language)

    def finding(
        self,
        status: str,
        severity: str,
        explanation: str,
        evidence: Sequence[Evidence],
        provision: ProvisionText | None = None,
    ) -> Finding:
        return Finding(
            criterion_id=self.criterion_id,
            status=status,
            severity=severity,
            explanation=explanation,
            detector=self.name,
            evidence=list(evidence),
            provision_key=provision.key if provision else None,
        )

    def detect(self, law: LawView) -> list[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


def name_of(provision: ProvisionText) -> str:
    """How an explanation names a provision: "Section 22 (False publications)"."""
    prefix = provision.key.split("-", 1)[0].split("/")[0].lower()
    unit = _UNITS.get(prefix, "Provision")
    label = provision.label or provision.key
    heading = (provision.heading or "").strip()
    if heading and heading.lower() != f"{unit} {label}".lower() and len(heading) <= 80:
        return f"{unit} {label} ({heading})"
    return f"{unit} {label}"


def quote(provision: ProvisionText, start: int, end: int) -> str:
    return " ".join(provision.full[start:end].split())


def evidence(provision: ProvisionText, hit: CueHit, what: str) -> Evidence:
    """A cue hit as evidence; ``what`` names the signal ("content offence")."""
    return Evidence(
        provision_key=provision.key,
        provision_label=provision.label,
        heading=provision.heading,
        start=hit.start,
        end=hit.end,
        quote=quote(provision, hit.start, hit.end),
        cue=f"{what}: '{hit.cue}'",
    )


def examined(provision: ProvisionText, what: str) -> Evidence:
    """Evidence that a provision was searched: its heading (or opening words)."""
    end = len(provision.heading) if provision.heading else min(len(provision.full), 80)
    return Evidence(
        provision_key=provision.key,
        provision_label=provision.label,
        heading=provision.heading,
        start=0,
        end=end,
        quote=quote(provision, 0, end),
        cue=f"examined: {what}",
    )


def examined_all(provisions: Sequence[ProvisionText], what: str) -> list[Evidence]:
    return [examined(p, what) for p in provisions[:MAX_EXAMINED]]


def sentence_of(provision: ProvisionText, hit: CueHit) -> tuple[int, int]:
    """Offsets of the sentence (or sub-paragraph) around a hit."""
    text = provision.full
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, hit.start):
        start = match.end()
    after = _SENTENCE_END.search(text, hit.end)
    end = after.start() + 1 if after else len(text)
    return start, min(end, len(text))


def quoted_cues(hits: Iterable[CueHit], limit: int = 4) -> str:
    """ "'false news', 'insult'" from hits, each phrase once, in text order."""
    seen: list[str] = []
    for hit in hits:
        words = hit.text or hit.cue.strip("*")
        if words.lower() not in [s.lower() for s in seen]:
            seen.append(words)
    shown = ", ".join(f"'{c}'" for c in seen[:limit])
    return shown + (f" and {len(seen) - limit} more" if len(seen) > limit else "")


def cited(items: Sequence[Evidence], limit: int = 4) -> str:
    """ "'proportionate' (Section 2), 'annual report' (Section 25)": evidence in prose."""
    seen: list[str] = []
    for item in items:
        where = f"{item.provision_label}" if item.provision_label else item.provision_key
        text = f"'{item.quote}' ({where})"
        if text not in seen:
            seen.append(text)
    shown = ", ".join(seen[:limit])
    return shown + (f" and {len(seen) - limit} more" if len(seen) > limit else "")


def searched(book: CueBook, groups: Sequence[str], language: str, limit: int = 6) -> str:
    """ "'warrant', 'judge', 'court' …": what a whole-law search looked for."""
    phrases: list[str] = []
    for group in groups:
        for phrase in book.phrases(group, language):
            if phrase not in phrases:
                phrases.append(phrase)
    shown = ", ".join(f"'{p}'" for p in phrases[:limit])
    return shown + (f" and {len(phrases) - limit} other cues" if len(phrases) > limit else "")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def listing(names: Sequence[str], limit: int = 5) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f"; and {len(names) - limit} more" if len(names) > limit else "")


# --- what kind of provision is it -----------------------------------------------


def is_offence(law: LawView, provision: ProvisionText) -> bool:
    """An offence: ingest says so, or alignment links it to a criminalization article."""
    if provision.kind == "offence":
        return True
    return any(a in _OFFENCE_ARTICLES for a in law.articles_of(provision.key))


def is_power_context(law: LawView, provision: ProvisionText) -> bool:
    """Procedural by ingest's classification or aligned to a procedural-power article."""
    if provision.kind == "procedural":
        return True
    return any(a in _POWER_ARTICLES for a in law.articles_of(provision.key))


def is_cooperation(law: LawView, provision: ProvisionText) -> bool:
    if provision.kind == "cooperation":
        return True
    return any(a in _COOPERATION_ARTICLES for a in law.articles_of(provision.key))


def offences(law: LawView) -> list[ProvisionText]:
    return [p for p in law.provisions if is_offence(law, p)]


def cooperation_provisions(law: LawView) -> list[ProvisionText]:
    return [p for p in law.provisions if is_cooperation(law, p)]


# --- penalties --------------------------------------------------------------------


@dataclass(frozen=True)
class Penalty:
    """A provision's longest prison term as ingest extracted it, located in the text."""

    max_years: float | None
    text: str
    start: int | None
    end: int | None


def penalty_of(provision: ProvisionText) -> Penalty | None:
    raw = provision.details.get("penalty")
    if not isinstance(raw, dict):
        return None
    value = raw.get("max_prison_years")
    years = float(value) if isinstance(value, int | float) else None
    text = str(raw.get("text") or "")
    start = end = None
    words = text.split()
    if words:
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.search(pattern, provision.full, re.IGNORECASE)
        if match:
            start, end = match.start(), match.end()
    return Penalty(years, text, start, end)


def penalty_evidence(provision: ProvisionText, penalty: Penalty) -> Evidence | None:
    if penalty.start is None or penalty.end is None:
        return None
    return Evidence(
        provision_key=provision.key,
        provision_label=provision.label,
        heading=provision.heading,
        start=penalty.start,
        end=penalty.end,
        quote=quote(provision, penalty.start, penalty.end),
        cue=f"penalty: up to {years_text(penalty.max_years)}",
    )


def years_text(years: float | None) -> str:
    """99 → "life imprisonment", 0.5 → "6 months' imprisonment", 5 → "5 years' imprisonment"."""
    if years is None:
        return "no stated prison term"
    if years >= 99:
        return "life imprisonment"
    if years < 1:
        months = round(years * 12)
        return f"{months} month{'s' if months != 1 else ''}' imprisonment"
    shown = f"{years:g}"
    return f"{shown} year{'s' if years != 1 else ''}' imprisonment"
