"""Explainable rules: legal elements in a provision → the article they implement.

A convention offence or power is a combination of *legal elements*: illegal
access is access + without right + a computer system; a production order
is an order + to produce + data or subscriber information. The elements
are language-specific cue lists (``cues/elements.yaml``); the rules
(``cues/rules.yaml``) are language-free combinations of elements mapped to
UNCC articles and their Budapest counterparts. Keeping the two apart lets
a curator add a language without touching a rule, and keeps every rule
readable as a sentence ("access + without right + computer system →
illegal access") that is also the explanation a reviewer sees.

Cue syntax (matched on lowercased, accent-folded text):

- ``word`` matches the whole word; ``word*`` any word starting with it
  (``intercept*`` → intercepts, interception), which keeps cue lists short
  for inflected languages;
- words in a cue are separated by any run of spaces or punctuation
  (``non public`` matches "non-public"); ``..`` between words allows up
  to three other words in between (``order* .. produce``);
- ``re:PATTERN`` is a raw regular expression on the folded text.

Elements found in the provision's heading make a rule stronger: the
heading is the provision's name, so "Unauthorised access" above a section
is better evidence than the same words in its fifth subsection.

A rule with ``against`` instead of ``article`` is *counter-evidence*: its
elements argue that the provision does not implement the listed articles
even though their words are there (a blanket data-retention mandate talks
of traffic data and providers, yet it is not targeted preservation or
real-time collection). It halves this method's own votes for those
articles (saying so in the vote's note), or, where this method had no
vote for the article, emits a zero-strength vote whose note says why; both
notes carry :data:`treatywatch.align.fusion.COUNTER_EVIDENCE`, which fusion
reads as a feature so the calibration learns how far to discount the other
methods too. A counter-rule never removes evidence silently: the reviewer sees it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from treatywatch.align.fusion import COUNTER_EVIDENCE
from treatywatch.align.model import ProvisionText, Signal, Span
from treatywatch.align.text import SUPPORTED_LANGUAGES, fold, fold_plain
from treatywatch.errors import TreatywatchError

WORD_RE = re.compile(r"\w+")
HEADING_BONUS = 0.1
MAX_STRENGTH = 0.98
MAX_SPANS = 6
COUNTER_DAMPING = 0.5
"""How much of a rule vote survives counter-evidence against its article."""
GAP = r"[^\w]+(?:\w+[^\w]+){0,3}"
JOINER = r"[^\w]+"
ARABIC_PROCLITICS = r"(?:[\u0648\u0641\u0628\u0644\u0643]?(?:\u0627\u0644)?)"
"""Arabic attaches "and", "by", "for", "the" to the next word; a cue
written without them still has to match "والدخول" ("and the access")."""

_RULE_KEYS = {
    "id",
    "article",
    "against",
    "also",
    "all",
    "any",
    "none",
    "heading_any",
    "kinds",
    "unless_kinds",
    "window",
    "strength",
    "explain",
}


class CueFileError(TreatywatchError):
    """A rules or elements file is malformed; the message names the file and the problem."""

    def __init__(self, path: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:8]) + (
            f" (+{len(problems) - 8} more)" if len(problems) > 8 else ""
        )
        super().__init__(
            f"{path}: {shown}",
            hint="fix the file (see the syntax notes at the top of treatywatch/align/rules.py)",
        )
        self.path = path
        self.problems = problems


# ---------------------------------------------------------------- elements


@dataclass(frozen=True)
class Cue:
    """One compiled cue plus its first word, so cues whose first word is absent
    from a provision are skipped without running the regex (most are)."""

    text: str
    pattern: re.Pattern[str]
    first: str | None  # folded first word; None when it cannot be prefiltered
    prefix: bool  # the first word is a prefix (``word*``)

    def may_match(self, words: list[str], word_set: set[str]) -> bool:
        if self.first is None:
            return True
        if not self.prefix:
            return self.first in word_set
        i = bisect.bisect_left(words, self.first)
        return i < len(words) and words[i].startswith(self.first)


@dataclass(frozen=True)
class Element:
    """A named legal concept with its compiled cues per language."""

    name: str
    description: str
    cues: dict[str, tuple[Cue, ...]]


def _first_word(cue: str, language: str) -> tuple[str | None, bool]:
    if cue.startswith("re:") or language == "ar":
        return None, False
    words = fold_plain(cue).split()
    if not words or words[0] == "..":
        return None, False
    first = words[0]
    prefix = first.endswith("*")
    pieces = [piece for piece in re.split(r"[^\w]+", first.rstrip("*")) if piece]
    if not pieces:
        return None, False
    # A first word with inner punctuation ("s'introduit") is its first piece.
    return pieces[0], prefix or len(pieces) > 1


@dataclass(frozen=True)
class Match:
    element: str
    start: int  # offsets in ProvisionText.full
    end: int
    text: str
    in_heading: bool


def cue_regex(cue: str, language: str) -> str:
    """The regular expression for one cue (see module docstring for the syntax)."""
    cue = cue.strip()
    if cue.startswith("re:"):
        return f"(?:{cue[3:]})"
    parts: list[str] = []
    for word in fold_plain(cue).split():
        if word == "..":
            parts.append("GAP")
            continue
        prefix = word.endswith("*")
        stem = word.rstrip("*")
        inner = [re.escape(piece) for piece in re.split(r"[^\w]+", stem) if piece]
        piece = JOINER.join(inner) + (r"\w*" if prefix else "")
        parts.append(piece)
    out = ""
    for part in parts:
        if part == "GAP":
            out += GAP
        elif out and not out.endswith(GAP):
            out += JOINER + part
        else:
            out += part
    if language == "ar":
        return rf"(?<!\w){ARABIC_PROCLITICS}(?:{out})(?!\w)"
    # No leading look-behind: a pattern that starts with a literal lets the
    # regex engine jump straight to candidate positions (several times
    # faster); the word boundary before the match is checked by the caller.
    return rf"(?:{out})(?!\w)"


def load_elements(path: Path | None = None) -> dict[str, Element]:
    """Elements from ``path`` (default: the packaged ``cues/elements.yaml``)."""
    label, raw = _read(path, "elements.yaml")
    problems: list[str] = []
    entries = raw.get("elements") if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise CueFileError(label, ["expected a mapping 'elements: {name: {cues: {lang: [...]}}}'"])
    out: dict[str, Element] = {}
    for name, spec in entries.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("cues"), dict):
            problems.append(f"element {name!r}: expected 'cues: {{language: [cue, ...]}}'")
            continue
        compiled: dict[str, tuple[Cue, ...]] = {}
        for language, cues in spec["cues"].items():
            if language not in SUPPORTED_LANGUAGES:
                problems.append(f"element {name!r}: unsupported language {language!r}")
                continue
            if not isinstance(cues, list) or not all(
                isinstance(c, str) and c.strip() for c in cues
            ):
                problems.append(f"element {name!r} ({language}): cues must be a list of strings")
                continue
            items = []
            for cue in cues:
                try:
                    pattern = re.compile(cue_regex(cue, language))
                except re.error as exc:
                    problems.append(
                        f"element {name!r} ({language}): bad regex in cue {cue!r}: {exc}"
                    )
                    continue
                first, prefix = _first_word(cue.strip(), language)
                items.append(Cue(cue, pattern, first, prefix))
            compiled[language] = tuple(items)
        out[str(name)] = Element(str(name), str(spec.get("description", "")), compiled)
    if problems:
        raise CueFileError(label, problems)
    return out


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    also: tuple[str, ...]
    all: tuple[str, ...]
    any: tuple[str, ...]
    none: tuple[str, ...]
    heading_any: tuple[str, ...]
    kinds: frozenset[str]
    unless_kinds: frozenset[str]
    window: int | None
    strength: float
    explain: str
    against: tuple[str, ...] = ()

    @property
    def is_counter(self) -> bool:
        """Whether the rule argues against articles instead of for one."""
        return bool(self.against)

    @property
    def positive(self) -> tuple[str, ...]:
        return (*self.all, *self.any, *self.heading_any)


def _names(spec: dict[str, Any], key: str, rid: str, problems: list[str]) -> tuple[str, ...]:
    value = spec.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"rule {rid!r}: {key!r} must be a list of names")
        return ()
    return tuple(value)


def load_rules(
    path: Path | None = None,
    *,
    elements: dict[str, Element] | None = None,
    known_articles: Iterable[str] | None = None,
) -> list[Rule]:
    """Rules from ``path`` (default: packaged ``cues/rules.yaml``), checked against
    the elements and the catalogue so a typo fails loudly at load time."""
    label, raw = _read(path, "rules.yaml")
    elements = elements if elements is not None else default_elements()
    if known_articles is None:
        from treatywatch.catalogue import Catalogue

        known = {str(a.id) for a in Catalogue.load()}
    else:
        known = set(known_articles)
    entries = raw.get("rules") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CueFileError(
            label, ["expected 'rules: [ {id, article, all/any, strength, explain} ]'"]
        )
    problems: list[str] = []
    out: list[Rule] = []
    seen: set[str] = set()
    for position, spec in enumerate(entries, start=1):
        if not isinstance(spec, dict):
            problems.append(f"rule #{position}: expected a mapping")
            continue
        rid = str(spec.get("id") or f"#{position}")
        if rid in seen:
            problems.append(f"rule {rid!r}: duplicate id")
        seen.add(rid)
        unknown_keys = set(spec) - _RULE_KEYS
        if unknown_keys:
            problems.append(f"rule {rid!r}: unknown key(s) {', '.join(sorted(unknown_keys))}")
        article = spec.get("article")
        also = _names(spec, "also", rid, problems)
        against = _names(spec, "against", rid, problems)
        if against and (article is not None or also):
            problems.append(f"rule {rid!r}: a rule is either for an article or against some")
        refs = against if against else (article, *also)
        for ref in refs:
            if not isinstance(ref, str) or ref not in known:
                problems.append(f"rule {rid!r}: unknown article {ref!r}")
        names = {
            key: _names(spec, key, rid, problems) for key in ("all", "any", "none", "heading_any")
        }
        if not (names["all"] or names["any"] or names["heading_any"]):
            problems.append(f"rule {rid!r}: needs at least one of all/any/heading_any")
        for key, listed in names.items():
            for name in listed:
                if name not in elements:
                    problems.append(f"rule {rid!r}: unknown element {name!r} in {key}")
        strength = spec.get("strength")
        if not isinstance(strength, (int, float)) or not 0 < float(strength) <= 1:
            problems.append(f"rule {rid!r}: strength must be a number in (0, 1]")
            strength = 0.5
        window = spec.get("window")
        if window is not None and (not isinstance(window, int) or window <= 0):
            problems.append(f"rule {rid!r}: window must be a positive number of characters")
            window = None
        explain = spec.get("explain")
        if not isinstance(explain, str) or not explain.strip():
            problems.append(f"rule {rid!r}: explain must say in words why the rule fires")
            explain = rid
        else:
            try:
                explain.format(elements="x", terms="y")
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(f"rule {rid!r}: bad explain template ({exc})")
        out.append(
            Rule(
                id=rid,
                article=str(article) if article is not None else "",
                also=also,
                all=names["all"],
                any=names["any"],
                none=names["none"],
                heading_any=names["heading_any"],
                kinds=frozenset(_names(spec, "kinds", rid, problems)),
                unless_kinds=frozenset(_names(spec, "unless_kinds", rid, problems)),
                window=window,
                strength=float(strength),
                explain=explain,
                against=against,
            )
        )
    if problems:
        raise CueFileError(label, problems)
    return out


def _read(path: Path | None, default_name: str) -> tuple[str, Any]:
    if path is None:
        resource = resources.files("treatywatch.align").joinpath(f"cues/{default_name}")
        label, text = f"treatywatch/align/cues/{default_name}", resource.read_text("utf-8")
    else:
        label = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CueFileError(label, [f"cannot read the file ({exc})"]) from None
    try:
        return label, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CueFileError(label, [f"not valid YAML ({exc})"]) from None


@cache
def default_elements() -> dict[str, Element]:
    return load_elements()


@cache
def default_rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


# ---------------------------------------------------------------- method


@dataclass
class _Fired:
    rule: Rule
    strength: float
    matches: list[Match] = field(default_factory=list)


class RuleMethod:
    """Fires every rule whose elements a provision contains; one vote per article."""

    name = "rules"

    def __init__(
        self,
        rules: Iterable[Rule] | None = None,
        elements: dict[str, Element] | None = None,
    ) -> None:
        self.elements = elements if elements is not None else default_elements()
        self.rules = tuple(rules) if rules is not None else default_rules()
        self.unsupported_languages_seen: set[str] = set()

    def warnings(self) -> list[str]:
        return [
            f"language {lang} has no legal-element cues; English cues used"
            for lang in sorted(self.unsupported_languages_seen)
        ]

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        return [self.provision_signals(p) for p in provisions]

    def find_elements(self, provision: ProvisionText) -> dict[str, list[Match]]:
        """Every element's matches in the provision's heading and text."""
        language = (provision.language or "en").split("-")[0].lower()
        if language not in SUPPORTED_LANGUAGES:
            self.unsupported_languages_seen.add(language)
            language = "en"
        full = provision.full
        folded = fold(full)
        heading_end = provision.body_offset - 1 if provision.heading else 0
        text = folded.text
        word_set = set(WORD_RE.findall(text))
        words = sorted(word_set)
        found: dict[str, list[Match]] = {}
        for name, element in self.elements.items():
            seen: set[tuple[int, int]] = set()
            for cue in element.cues.get(language, ()):
                if not cue.may_match(words, word_set):
                    continue
                for m in cue.pattern.finditer(text):
                    if m.end() == m.start() or (m.start(), m.end()) in seen:
                        continue
                    if (m.start() and text[m.start() - 1].isalnum()) or (
                        m.start() and text[m.start() - 1] == "_"
                    ):
                        continue  # the cue began inside a longer word
                    seen.add((m.start(), m.end()))
                    start, end = folded.source_span(m.start(), m.end())
                    found.setdefault(name, []).append(
                        Match(name, start, end, full[start:end], start < heading_end)
                    )
        for matches in found.values():
            matches.sort(key=lambda m: m.start)
        return found

    def provision_signals(self, provision: ProvisionText) -> list[Signal]:
        found = self.find_elements(provision)
        if not found:
            return []
        fired: list[_Fired] = []
        for rule in self.rules:
            result = self._fire(rule, provision, found)
            if result is not None:
                fired.append(result)
        return self._votes(fired)

    def _fire(
        self, rule: Rule, provision: ProvisionText, found: dict[str, list[Match]]
    ) -> _Fired | None:
        if rule.kinds and provision.kind not in rule.kinds:
            return None
        if provision.kind in rule.unless_kinds:
            return None
        if any(name in found for name in rule.none):
            return None
        if not all(name in found for name in rule.all):
            return None
        if rule.any and not any(name in found for name in rule.any):
            return None
        if rule.heading_any and not any(
            m.in_heading for name in rule.heading_any for m in found.get(name, ())
        ):
            return None
        used = [n for n in (*rule.all, *rule.any, *rule.heading_any) if n in found]
        matches = [m for name in dict.fromkeys(used) for m in found[name]]
        if rule.window is not None and not _within_window(rule, found, rule.window):
            return None
        # The heading bonus scales with how much of the rule's combination
        # the heading itself names: "Expedited preservation" above a
        # cooperation section lifts the preservation-request rule more than
        # the general mutual-assistance rule that shares its other element.
        named = {m.element for m in matches if m.in_heading}
        share = len(named & set(used)) / len(set(used)) if used else 0.0
        strength = rule.strength + HEADING_BONUS * share
        return _Fired(rule, min(MAX_STRENGTH, strength), matches)

    def _votes(self, fired: list[_Fired]) -> list[Signal]:
        by_article: dict[str, list[_Fired]] = {}
        countered: dict[str, list[_Fired]] = {}
        for item in fired:
            if item.rule.is_counter:
                for article in item.rule.against:
                    countered.setdefault(article, []).append(item)
                continue
            for article in (item.rule.article, *item.rule.also):
                by_article.setdefault(article, []).append(item)
        out: list[Signal] = []
        for article, items in by_article.items():
            items.sort(key=lambda f: -f.strength)
            best = items[0]
            note = _note(best) + f" [rule {best.rule.id}]"
            others = [f.rule.id for f in items[1:]]
            if others:
                note += f"; also {', '.join(others)}"
            strength = best.strength
            against = countered.pop(article, None)
            if against:
                strength *= COUNTER_DAMPING
                note += f"; weakened by {_counter_note(against[0])}"
            out.append(_signal(article, self.name, strength, best, note))
        for article, items in countered.items():
            out.append(_signal(article, self.name, 0.0, items[0], _counter_note(items[0])))
        return out


def _counter_note(fired: _Fired) -> str:
    return f"{COUNTER_EVIDENCE} {_note(fired)} [rule {fired.rule.id}]"


def _note(fired: _Fired) -> str:
    """The rule's explanation with the elements and words that made it fire."""
    element_names = list(dict.fromkeys(m.element for m in fired.matches))
    terms = dict.fromkeys(m.text for m in _best_matches(fired.matches))
    return fired.rule.explain.format(
        elements=" + ".join(n.replace("-", " ") for n in element_names),
        terms=", ".join(terms),
    )


def _signal(article: str, method: str, strength: float, fired: _Fired, note: str) -> Signal:
    matches = _best_matches(fired.matches)
    return Signal(
        article_id=article,
        method=method,
        strength=strength,
        terms=tuple(dict.fromkeys(m.text for m in matches)),
        catalogue_terms=tuple(dict.fromkeys(m.element for m in fired.matches)),
        spans=tuple(Span(m.start, m.end, m.text) for m in matches),
        note=note,
    )


def _best_matches(matches: list[Match]) -> list[Match]:
    """A few spans that show the evidence: heading first, one per element, then more."""
    ordered = sorted(matches, key=lambda m: (not m.in_heading, m.start))
    chosen: list[Match] = []
    for m in ordered:
        if m.element not in {c.element for c in chosen}:
            chosen.append(m)
    for m in ordered:
        if len(chosen) >= MAX_SPANS:
            break
        if m not in chosen:
            chosen.append(m)
    return sorted(chosen[:MAX_SPANS], key=lambda m: m.start)


def _within_window(rule: Rule, found: dict[str, list[Match]], window: int) -> bool:
    """Whether every ``all`` element (and one ``any``) occurs near one another.

    Heading matches name the whole provision, so they are near everything.
    """
    groups = [list(found[n]) for n in rule.all]
    if rule.any:
        groups.append([m for n in rule.any for m in found.get(n, ())])
    if len(groups) < 2:
        return True
    anchors = [m for m in groups[0]]
    for anchor in anchors:
        ok = True
        for group in groups[1:]:
            if not any(
                m.in_heading or anchor.in_heading or abs(m.start - anchor.start) <= window
                for m in group
            ):
                ok = False
                break
        if ok:
            return True
    return False
