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
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")  # _TOKEN on ASCII text
# Every ASCII character that cannot be part of a word (all but letters, digits and "-")
_ASCII_GAPS = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "-")}
)
_PREFIX_KEY = 3


def tokenize(text: str) -> list[str]:
    """Folded words of a text, the unit cues are matched on."""
    if text.isascii():
        return _ascii_words(text.lower())
    return _TOKEN.findall(normalise(text))


def printed_words(text: str) -> list[str]:
    """The words of ``text`` as printed (same split as ``tokenize``, case kept)."""
    if text.isascii():
        return _ascii_words(text)
    return _TOKEN.findall(text.translate(_PUNCT))


def _ascii_words(text: str) -> list[str]:
    """``_TOKEN.findall(text)`` for ASCII text, about twice as fast.

    Turning every character that cannot be in a word into a space is one
    C-level pass for ASCII text, and ``split`` then makes the words; only the
    pieces with a hyphen (which joins two words but starts or ends none)
    still need the regex.
    """
    pieces = text.translate(_ASCII_GAPS).split()
    if "-" not in text:
        return pieces
    words: list[str] = []
    for piece in pieces:
        if "-" in piece:
            words.extend(_ASCII_TOKEN.findall(piece))
        else:
            words.append(piece)
    return words


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
        self.pair_starts = {pair[0] for pair in self.by_pair}
        self.first_words = set(self.by_word) | self.pair_starts
        self.prefixes = tuple({c.words[0] for cues in self.by_prefix.values() for c in cues})

    def _at(self, tokens: list[str], index: int, token: str) -> Cue | None:
        best: Cue | None = None
        if token in self.pair_starts:
            following = index + 1
            last = len(tokens) - 1
            while following < last and _is_footnote(tokens[following]):
                following += 1
            if following <= last:
                for cue in self.by_pair.get((token, tokens[following]), ()):
                    if (best is None or len(cue.words) > len(best.words)) and _fits(
                        cue, tokens, index
                    ):
                        best = cue
            if best is not None:
                return best
        words = self.by_word.get(token)
        if words:
            return words[0]
        if self.prefixes:
            for cue in self.by_prefix.get(token[:_PREFIX_KEY], ()):
                if token.startswith(cue.words[0]):
                    return cue
        return None

    def matches(self, tokens: list[str]) -> Iterator[Cue]:
        for _index, cue in self.positions(tokens):
            yield cue

    def positions(self, tokens: list[str]) -> Iterator[tuple[int, Cue]]:
        """Every match as (index of its first word, cue), in text order."""
        whole = self._whole(tokens)
        if whole is not None:
            yield 0, whole
        for index in self._candidates(tokens):
            found = self._at(tokens, index, tokens[index])
            if found is not None:
                yield index, found

    def first(self, tokens: list[str]) -> str | None:
        """The text of the first cue in ``tokens`` (``positions`` without its generators:
        the classifier asks this of a dozen lists per provision)."""
        whole = self._whole(tokens)
        if whole is not None:
            return whole.text
        for index in self._candidates(tokens):
            found = self._at(tokens, index, tokens[index])
            if found is not None:
                return found.text
        return None

    def _whole(self, tokens: list[str]) -> Cue | None:
        if self.wholes:
            whole = tuple(tokens)
            for cue in self.wholes:
                if whole == cue.words:
                    return cue
        return None

    def _candidates(self, tokens: list[str]) -> list[int]:
        """Indexes of the words where ``_at`` can find a cue, in order.

        Most texts hold no cue at all, which one C-level set test decides.
        With prefix cues, the prefix test runs once per distinct word rather
        than once per word. Cues often start with common words ("the board
        shall", "in this act"), so a word that only starts pairs is a
        candidate only when the pair is there too (or a footnote number
        follows it, which ``_at`` skips); that keeps ``_at``, the costly
        part, to the real matches.
        """
        singles: set[str] | dict[str, list[Cue]]
        if self.prefixes:
            distinct = set(tokens)
            prefixes = self.prefixes
            singles = distinct.intersection(self.by_word)
            singles.update(word for word in distinct if word.startswith(prefixes))
            if not singles and distinct.isdisjoint(self.pair_starts):
                return []
        elif self.first_words.isdisjoint(tokens):
            return []
        else:
            singles = self.by_word
        pair_starts = self.pair_starts
        by_pair = self.by_pair
        last = len(tokens) - 1
        found = []
        for index, token in enumerate(tokens):
            if token in singles:
                found.append(index)
            elif token in pair_starts and index < last:
                following = tokens[index + 1]
                if (token, following) in by_pair or _is_footnote(following):
                    found.append(index)
        return found


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
