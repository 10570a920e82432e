"""Matching phrase lists word by word, for cues and defined terms.

A dictionary index over words is several times faster than one regex of
hundreds of alternatives (which the engine tries at every character), it
treats every spelling of an apostrophe or dash alike, and it lets a phrase
skip a stray footnote number ("sera 9 puni"), as scraped texts often need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from treatywatch.ingest.segment.numbering import fold


def normalise(text: str) -> str:
    """Folded text with one apostrophe and one dash, so cues match every spelling."""
    if text.isascii():
        # str.translate looks every character up in a dict; of _PUNCT only "`" is ASCII
        return text.lower().replace("`", "'")
    folded = fold(text)
    # a few C-level scans beat translate's per-character dict look-ups
    for old, new in _PUNCT_PAIRS:
        if old in folded:
            folded = folded.replace(old, new)
    return folded


_PUNCT_PAIRS = (("’", "'"), ("‘", "'"), ("`", "'"), ("–", "-"), ("—", "-"), ("‐", "-"))
_PUNCT = str.maketrans(dict(_PUNCT_PAIRS))


@dataclass(frozen=True)
class Cue:
    text: str  # as written in the cue file, for the reason shown to reviewers
    words: tuple[str, ...]
    prefix: bool  # the last word is a prefix ("penalt*")
    whole: bool  # the cue must be the whole text ("=application")
    label: str = ""  # the kind a cue of a combined list stands for


_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_PREFIX_KEY = 3


def tokenize(text: str) -> list[str]:
    """Folded words of a text, the unit cues are matched on."""
    return _TOKEN.findall(normalise(text))


def printed_words(text: str) -> list[str]:
    """The words of ``text`` as printed (same split as ``tokenize``, case kept)."""
    return _TOKEN.findall(text.translate(_PUNCT))


class CueList:
    """Cue phrases matched word by word with dictionary look-ups.

    A word-level index is several times faster than one regex of hundreds of
    alternatives (which the engine tries at every character), and it lets a
    phrase skip a stray footnote number ("sera 9 puni").
    """

    def __init__(self, cues: list[str], labels: list[str] | None = None) -> None:
        self.by_word: dict[str, list[Cue]] = {}
        self.by_pair: dict[tuple[str, str], list[Cue]] = {}
        self.by_prefix: dict[str, list[Cue]] = {}
        self.wholes: list[Cue] = []
        self._first_words: set[str] | None = None
        self._prefixes: tuple[str, ...] | None = None
        for position, raw in enumerate(cues):
            text = normalise(raw).strip()
            whole = text.startswith("=")
            prefix = text.endswith("*")
            tokens = tuple(tokenize(text.strip("=*")))
            if not tokens:
                continue
            label = labels[position] if labels else ""
            cue = Cue(raw.strip("=*"), tokens, prefix, whole, label)
            if whole:
                self.wholes.append(cue)
            elif prefix and len(tokens) == 1:
                self.by_prefix.setdefault(tokens[0][:_PREFIX_KEY], []).append(cue)
            elif len(tokens) == 1:
                self.by_word.setdefault(tokens[0], []).append(cue)
            else:
                self.by_pair.setdefault((tokens[0], tokens[1]), []).append(cue)

    def _at(self, tokens: list[str], index: int, token: str) -> Cue | None:
        best: Cue | None = None
        following = index + 1
        while following < len(tokens) - 1 and _is_footnote(tokens[following]):
            following += 1
        if following < len(tokens):
            for cue in self.by_pair.get((token, tokens[following]), ()):
                if (best is None or len(cue.words) > len(best.words)) and _fits(cue, tokens, index):
                    best = cue
        if best is None:
            best = next(iter(self.by_word.get(token, ())), None)
        if best is None:
            for cue in self.by_prefix.get(token[:_PREFIX_KEY], ()):
                if token.startswith(cue.words[0]):
                    return cue
        return best

    def matches(self, tokens: list[str]) -> Iterator[Cue]:
        for _index, cue in self.positions(tokens):
            yield cue

    def positions(self, tokens: list[str]) -> Iterator[tuple[int, Cue]]:
        """Every match as (index of its first word, cue), in text order."""
        if self.wholes:
            whole = tuple(tokens)
            for cue in self.wholes:
                if whole == cue.words:
                    yield 0, cue
        starts = self.first_words
        prefixes = self.prefixes
        if not prefixes:
            if starts.isdisjoint(tokens):
                return  # most texts hold no cue at all: one C-level set test decides
            for index, token in enumerate(tokens):
                if token in starts:
                    found = self._at(tokens, index, token)
                    if found is not None:
                        yield index, found
            return
        for index, token in enumerate(tokens):
            # most words start no cue: a set probe and one C-level prefix test
            if token in starts or token.startswith(prefixes):
                found = self._at(tokens, index, token)
                if found is not None:
                    yield index, found

    @property
    def prefixes(self) -> tuple[str, ...]:
        if self._prefixes is None:
            self._prefixes = tuple({c.words[0] for cues in self.by_prefix.values() for c in cues})
        return self._prefixes

    @property
    def first_words(self) -> set[str]:
        if self._first_words is None:
            self._first_words = set(self.by_word) | {pair[0] for pair in self.by_pair}
        return self._first_words

    def first(self, tokens: list[str]) -> str | None:
        return next((cue.text for cue in self.matches(tokens)), None)


def _fits(cue: Cue, tokens: list[str], index: int) -> bool:
    position = index
    last = len(cue.words) - 1
    for number, word in enumerate(cue.words):
        if number:
            while (
                position < len(tokens)
                and tokens[position] != word
                and _is_footnote(tokens[position])
            ):
                position += 1
        if position >= len(tokens):
            return False
        token = tokens[position]
        if not (token.startswith(word) if number == last and cue.prefix else token == word):
            return False
        position += 1
    return True


def _is_footnote(token: str) -> bool:
    return token.isdigit() and len(token) <= 2
