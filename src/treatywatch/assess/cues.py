"""Multilingual cue lists for the rights detectors, and matching them on law text.

Cues are data (``assess/cues/<language>.yaml``) so an analyst can read and
extend every phrase a detector reacts to without reading regexes, and add a
language without touching code. Each file maps a cue *group* (a signal, such
as ``content-falsehood`` or ``no-warrant``) to phrases in that language.

Phrase syntax, kept small so non-programmers can write it:

- words are matched whole, on lower-cased, accent-folded text, with any run
  of spaces or punctuation between them ("real-time" matches "real time");
- ``word*`` matches any word starting with ``word`` (stems: ``intercept*``);
- ``*word`` matches any word ending with ``word`` (Arabic clitics: ``*قاضي``);
- ``...`` lets up to six other words sit in between ("retain ... all");
- ``~`` is exactly one word of any kind ("not exceeding ~ days").

Matching keeps offsets into the original text (folding never moves a
character), so every hit can be quoted as evidence exactly where it is.
A law is matched with the cues of its own language; a language with no cue
file is matched with every language's cues, which is noisier but never
silent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from treatywatch.errors import TreatywatchError

CUE_GROUPS: dict[str, str] = {
    # criterion 1, scope (and 13, penalty reach)
    "content-falsehood": "publishing false news, false information or rumours",
    "content-insult": "insult, defamation, offending or ridiculing a person or institution",
    "content-public-order": "content harming public order, national unity or the State's image",
    "content-morality": "content against public morals, obscenity or indecency",
    "content-extremism": "extremism, subversion, sedition, hatred, blasphemy or glorification",
    "content-harassment": "harassment or annoyance defined by the messages sent",
    "catch-all": "a clause turning any offence under other laws into a cybercrime",
    "computer-means": "committed through, by means of or with the use of a computer",
    "limiting-element": "elements that narrow a speech offence (incitement to violence)",
    # criterion 2, offence quality
    "intent": "a mental element: intentionally, knowingly, with intent, fraudulently",
    "without-right": "the act is done without right, authority or lawful excuse",
    "ancillary-offence": "liability rules and duty breaches that are not core offences",
    "duty-breach": "breach of a regulatory duty (fails to comply, contravenes)",
    "misuse-devices": "tools, programs, passwords or access codes (misuse of devices)",
    "testing-exception": "an exception for authorised testing or protection of systems",
    # criterion 3, public interest
    "security-research": "a defence for security research or vulnerability disclosure",
    "journalism": "a defence for journalism or reporting in the public interest",
    "whistleblowing": "a defence for whistleblowers or protected disclosures",
    # criterion 4, principles
    "principle-legality": "the principle of legality (prescribed by law)",
    "principle-necessity": "the principle of necessity",
    "principle-proportionality": "the principle of proportionality",
    "principle-non-discrimination": "non-discrimination",
    "principle-human-rights": "human rights or fundamental freedoms named",
    # criterion 5, gender
    "ncii": "intimate images shared without consent",
    "consent": "the consent of the person depicted or concerned",
    # criterion 6, judicial authorization
    "judicial": "a judge, court or magistrate",
    "warrant": "a warrant or judicial order",
    "executive-actor": "police, prosecutors, ministers or agencies acting alone",
    "order-verb": "the verb that grants a power: may order, require, authorise",
    "application": "an application or request made to someone else",
    "no-warrant": "a power exercised without a warrant or court order",
    "power-search": "search of a system or seizure of data",
    "power-production": "an order to produce or disclose data",
    "power-preservation": "expedited preservation of data",
    "power-realtime": "real-time collection of traffic data",
    "power-interception": "interception of the content of communications",
    # criterion 7, transparency
    "confidentiality": "a duty to keep a measure confidential or secret",
    "provider": "a service provider or operator",
    "notice": "notice to the person affected by a measure",
    "reporting": "statistics or reports on the use of powers",
    # criterion 8, data protection
    "data-protection": "data protection law or personal data",
    "purpose-limitation": "data usable only for the purpose they were collected for",
    "deletion": "deletion or destruction of data no longer needed",
    # criterion 9, sharing limits
    "dual-criminality": "assistance conditioned on the conduct being an offence at home",
    "dual-criminality-waiver": "assistance whether or not the conduct is an offence at home",
    "refusal": "grounds on which a foreign request may or must be refused",
    "ground-political": "refusal for political offences",
    "ground-discrimination": "refusal for persecution on grounds of race, religion, opinion",
    "death-penalty": "the death penalty",
    "ground-human-rights": "refusal on human-rights or torture grounds",
    "use-limitation": "limits on how shared data may be used",
    "reciprocity": "cooperation on reciprocity",
    "foreign-request": "a request from, or assistance to, a foreign State",
    # criterion 10, oversight and remedies
    "time-limit": "a maximum duration for a measure",
    "open-ended": "a measure lasting as long as an official considers necessary",
    "renewal": "renewal or extension of a measure",
    "oversight": "an oversight body or independent supervision",
    "remedy": "appeal, compensation or another remedy",
    "misuse-penalty": "penalties for officials who misuse the powers",
    "records": "records kept of each measure",
    "immunity": "immunity or protection from suit for officials",
    # criterion 11, children
    "child": "a child or minor",
    "sexual-material": "sexual or pornographic material",
    "peer-exception": "an exception for children's own or peers' consensual material",
    "age-18": "the age of eighteen",
    # criterion 12, retention and decryption
    "retention": "a duty to retain or store data",
    "generality": "all users, every subscriber: a general, untargeted duty",
    "specificity": "specified data in a specific investigation",
    "traffic-data": "traffic data, subscriber data or metadata",
    "content-data": "the content of communications",
    "decryption": "decryption, keys or passwords",
    "capability": "built-in interception capability or backdoors",
    "assistance": "a duty to assist the authorities",
    "self-incrimination": "the privilege against self-incrimination",
}
"""Every group a cue file may define, with what it signals. Detectors ask for
these names; a group unknown here is a typo in a cue file and is refused."""

REQUIRED_LANGUAGE = "en"
"""The one language that must define every group: it is the fallback reference."""

CUE_DIR = Path(str(resources.files("treatywatch.assess") / "cues"))
MAX_GAP_WORDS = 6
_TOKEN = re.compile(r"\.\.\.|~|\*?\w+\*?")
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'"})


class CueFileError(TreatywatchError):
    """A cue file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class CueHit:
    """One phrase of one group found in a text, with offsets into the original text."""

    group: str
    cue: str  # the phrase as written in the cue file
    start: int
    end: int
    text: str = ""  # the words of the law that matched, as printed


@dataclass(frozen=True)
class FoldedText:
    """Lower-cased, accent-folded text and where each of its characters came from."""

    text: str
    origin: tuple[int, ...]  # origin[i] = index in the original of folded character i
    length: int  # length of the original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded span ``start:end``."""
        if start >= len(self.origin):
            return self.length, self.length
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, last


def _fold_char(char: str) -> str:
    low = char.lower().translate(_QUOTES).translate(_ARABIC)
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def fold(text: str) -> FoldedText:
    """Fold ``text`` for matching while remembering every character's origin.

    Folding is done one character at a time, so a character that decomposes
    ("ﬁ" → "fi") or disappears (an Arabic short vowel) still maps back to
    exactly one place in the original.
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower() if char.isascii() else _fold_char(char)
        for piece in folded:
            out.append(piece)
            origin.append(index)
    return FoldedText("".join(out), tuple(origin), len(text))


def fold_phrase(text: str) -> str:
    return fold(text).text


def compile_phrase(phrase: str) -> str:
    """The regex (no capturing groups) for one cue phrase; see the module docstring."""
    tokens = _TOKEN.findall(fold_phrase(phrase))
    if not tokens or all(t in ("...", "~") for t in tokens):
        raise ValueError(f"cue {phrase!r} has no words")
    parts: list[str] = []
    for token in tokens:
        if token == "...":  # noqa: S105 - a gap token, not a password
            parts.append(rf"(?:\W+\w+){{0,{MAX_GAP_WORDS}}}")
            continue
        if token == "~":  # noqa: S105 - a one-word wildcard
            parts.append(r"\w+")
            continue
        core = re.escape(token.strip("*"))
        if token.startswith("*"):
            core = r"\w*" + core
        if token.endswith("*"):
            core += r"\w*"
        parts.append(core)
    body = ""
    for index, part in enumerate(parts):
        if index and tokens[index] != "...":
            body += r"\W+"
        body += part
    return rf"(?<!\w){body}(?!\w)"


@dataclass(frozen=True)
class _Group:
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


class CueBook:
    """Every cue file, parsed and compiled; ask it where a group matches a text."""

    def __init__(self, languages: dict[str, dict[str, list[str]]]) -> None:
        self.languages = languages
        self._compiled: dict[tuple[str, str], _Group] = {}
        for language, groups in languages.items():
            for group, phrases in groups.items():
                self._compiled[(language, group)] = _compile_group(phrases)
        merged: dict[str, list[str]] = {}
        for groups in languages.values():
            for group, phrases in groups.items():
                merged.setdefault(group, []).extend(p for p in phrases if p not in merged[group])
        for group, phrases in merged.items():
            self._compiled[("*", group)] = _compile_group(phrases)

    def language_for(self, language: str | None) -> str:
        """The cue language used for a law: its own when there is a file, else all."""
        return language if language in self.languages else "*"

    def phrases(self, group: str, language: str | None) -> tuple[str, ...]:
        compiled = self._compiled.get((self.language_for(language), group))
        return compiled.phrases if compiled else ()

    def find(self, group: str, text: str, language: str | None) -> list[CueHit]:
        """Every non-overlapping hit of ``group`` in ``text``, in text order."""
        if group not in CUE_GROUPS:
            raise KeyError(f"unknown cue group {group!r}")
        compiled = self._compiled.get((self.language_for(language), group))
        if compiled is None:
            return []
        folded = fold(text)
        hits: list[CueHit] = []
        for match in compiled.pattern.finditer(folded.text):
            index = match.lastindex or 1
            start, end = folded.span(match.start(), match.end())
            matched = " ".join(text[start:end].split())
            hits.append(CueHit(group, compiled.phrases[index - 1], start, end, matched))
        return hits

    def missing(self, language: str) -> list[str]:
        """Groups a language's file does not define (what a translator should add)."""
        defined = self.languages.get(language, {})
        return [g for g in CUE_GROUPS if g not in defined]


def _compile_group(phrases: list[str]) -> _Group:
    # Longest phrase first: at one position the most specific cue wins.
    ordered = tuple(sorted(dict.fromkeys(phrases), key=lambda p: (-len(p), p)))
    alternation = "|".join(f"({compile_phrase(p)})" for p in ordered)
    return _Group(ordered, re.compile(alternation))


def _problem(path: Path, message: str) -> CueFileError:
    return CueFileError(
        f"cue file {path}: {message}",
        hint="fix the file: it maps cue groups to lists of phrases "
        "(see the docstring of treatywatch.assess.cues for the phrase syntax)",
    )


def parse_cue_file(path: Path) -> tuple[str, dict[str, list[str]]]:
    """Read and validate one cue file; every problem is a :class:`CueFileError`."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, f"cannot be read ({exc})") from None
    try:
        data: Any = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise _problem(path, f"is not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise _problem(path, "must be a mapping with 'language' and 'groups'")
    language = data.get("language")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}", language):
        raise _problem(path, "'language' must be a two-letter ISO 639-1 code such as 'en'")
    groups = data.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise _problem(path, "'groups' must map cue group names to lists of phrases")
    parsed: dict[str, list[str]] = {}
    for name, phrases in groups.items():
        if name not in CUE_GROUPS:
            from treatywatch.suggest import close_matches

            near = close_matches(str(name), [(g, g) for g in CUE_GROUPS])
            also = f" (did you mean {', '.join(near)}?)" if near else ""
            raise _problem(path, f"unknown cue group {name!r}{also}")
        if not isinstance(phrases, list) or not phrases:
            raise _problem(path, f"group {name!r} must be a non-empty list of phrases")
        cleaned: list[str] = []
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                raise _problem(path, f"group {name!r} has an empty or non-text phrase: {phrase!r}")
            try:
                compile_phrase(phrase)
            except (ValueError, re.error) as exc:
                raise _problem(path, f"group {name!r}: {exc}") from None
            cleaned.append(phrase.strip())
        parsed[str(name)] = cleaned
    return language, parsed


def load_cue_book(directory: Path | None = None) -> CueBook:
    """Every ``*.yaml`` in ``directory`` (default: the shipped cues), validated as a set."""
    folder = directory or CUE_DIR
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        raise CueFileError(
            f"no cue files (*.yaml) in {folder}",
            hint="reinstall treatywatch; the cue files ship with the package",
        )
    languages: dict[str, dict[str, list[str]]] = {}
    origin: dict[str, Path] = {}
    for path in files:
        language, groups = parse_cue_file(path)
        if language in languages:
            raise _problem(path, f"language {language!r} is already defined by {origin[language]}")
        languages[language] = groups
        origin[language] = path
    reference = languages.get(REQUIRED_LANGUAGE)
    if reference is None:
        raise CueFileError(
            f"no cue file for {REQUIRED_LANGUAGE!r} in {folder}",
            hint="the English cue file defines every group and must be present",
        )
    missing = [g for g in CUE_GROUPS if g not in reference]
    if missing:
        raise _problem(
            origin[REQUIRED_LANGUAGE], f"must define every cue group; missing: {', '.join(missing)}"
        )
    return CueBook(languages)


@cache
def cue_book() -> CueBook:
    """The shipped cue book, loaded once per process."""
    return load_cue_book()
