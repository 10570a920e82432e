"""Text analysis shared by the lexical and rule methods: fold, tokenise, stem.

Both methods must report *where* in a provision their evidence sits, so
every transformation here keeps a way back to the original characters:
folding is character-for-character wherever it can be, and when it cannot
(a combining mark is dropped, a ligature splits) :class:`Folded` carries an
offset map. Matching happens on the folded text ("accède" and "ACCEDE" are
the same word to a drafter), spans are reported on the original.

Stemming uses Snowball in the provision's language, applied to the
*folded* word. The stemmers know their language's accents and do a little
better on accented input, but laws are often printed without accents
(capitalised headings, scraped or OCR'd texts: "DONNEES", "donnees") and
a stem that depends on the accent would let "données" and "DONNEES" miss
each other. Stemming the folded form keeps every spelling in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import snowballstemmer  # ships no stubs

SUPPORTED_LANGUAGES = ("en", "fr", "es", "de", "ru", "ar")
"""Languages with a stemmer and a stopword list here. Others are analysed
as English and the caller says so."""

_SNOWBALL_NAMES = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "ru": "russian",
    "ar": "arabic",
}

# Characters folded to something Unicode decomposition does not give:
# typographic quotes and dashes (so "l’accès" tokenises like "l'accès"),
# Arabic letter variants that spelling treats as the same letter, and the
# Arabic elongation stroke (tatweel), which is pure typography.
_EXTRA_FOLDS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u0629": "\u0647",  # teh marbuta → heh
    "\u0649": "\u064a",  # alef maksura → yeh
    "\u0640": "",  # tatweel
    "\u00df": "ss",  # German sharp s: "Schlüssel"/"Schluessel" drafting varies; ß→ss is the norm
}


def _fold_char(char: str) -> str:
    if char in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[char]
    lowered = char.lower()
    decomposed = unicodedata.normalize("NFKD", lowered)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_EXTRA_FOLDS.get(c, c) for c in kept)


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that learns each character's fold on first sight."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint))
        self[codepoint] = folded
        return folded


_TABLE = _FoldTable()


@dataclass(frozen=True)
class Folded:
    """Folded text plus the way back: ``origin[i]`` is where folded char ``i`` came from.

    ``origin`` is ``None`` when folding kept every character in place (the
    usual case), so offsets are shared and no map is stored.
    """

    text: str
    source: str
    origin: tuple[int, ...] | None = None

    def source_offset(self, index: int) -> int:
        """The offset in :attr:`source` of folded offset ``index`` (an end offset may equal len)."""
        if self.origin is None:
            return index
        if index >= len(self.origin):
            return len(self.source)
        return self.origin[index]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the folded slice ``[start, end)``."""
        if self.origin is None:
            return start, end
        if end <= start:
            begin = self.source_offset(start)
            return begin, begin
        return self.source_offset(start), self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """Lowercase, strip accents and typographic variants, keeping offsets recoverable."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and (text.isascii() or _same_length_fold(text)):
        return Folded(folded, text)
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _TABLE[ord(char)]
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return Folded("".join(pieces), text, tuple(origin))


def _same_length_fold(text: str) -> bool:
    """Whether every character folded to exactly one character (so offsets line up)."""
    return all(len(_TABLE[ord(c)]) == 1 for c in set(text))


def fold_plain(text: str) -> str:
    """Folded text without the offset map, for catalogue phrases and cue lists."""
    return text.translate(_TABLE)


# ---------------------------------------------------------------- tokens

TOKEN_RE = re.compile(r"\w+", re.UNICODE)

# Small, hand-written lists: function words and the drafting filler every
# law repeats ("shall", "section", "article"), which say nothing about which
# convention article a provision implements. Folded forms.
_STOPWORDS_RAW: dict[str, str] = {
    "en": """a an and any are as at be been being by for from has have he her his if in into
        is it its of on or other shall she such than that the their them then there these
        they this those to under was were which who whom whose will with without not no
        may must section subsection act paragraph person persons any every being so
        upon within where whether under thereof therein hereby herein""",
    "fr": """a au aux avec ce ces cette d de des du elle en et il ils l la le les leur leurs
        lui mais ne ni nous on ou par pas pour qu que qui sa se ses son sur un une y est sont
        sera seront ete etre aura auront dans article present presente loi alinea tout
        toute tous toutes dont lorsque ainsi meme""",
    "es": """a al como con de del el en es esta este la las lo los o para por que se su sus
        un una uno unos unas y e ni sera seran ha han sido ser articulo ley presente
        cual cuales quien todo toda todos todas sin embargo cuando dicho dicha""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder mit von zu zum
        zur auf aus bei fur im in ist sind wird werden wer nach nicht sich als auch an
        durch uber unter vor so dass ob absatz satz gesetz gesetzes paragraph nummer""",
    "ru": """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
        ее мне было вот от меня о из ему теперь когда даже ну ли если уже или ни быть был
        него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
        есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
        будет статья статьи настоящего закона""",
    "ar": """في من على الى إلى عن مع او أو ان أن إن التي الذي الذين هذا هذه ذلك تلك كل بعض
        غير لا ما لم لن قد كان كانت يكون تكون هو هي هم ثم و ف ب ل المادة القانون هذا""",
}


@cache
def stopwords(language: str) -> frozenset[str]:
    raw = _STOPWORDS_RAW.get(language, _STOPWORDS_RAW["en"])
    return frozenset(fold_plain(word) for word in raw.split())


class Token(NamedTuple):
    """One word: folded surface form, stem, and offsets in the *source* text.

    A named tuple rather than a frozen dataclass: a law section has
    hundreds of words and building each token is on the hot path of every
    alignment (a tuple is built about three times faster).
    """

    surface: str
    stem: str
    start: int
    end: int
    position: int  # index among all words, stopwords included (phrase adjacency)


def analyser_language(language: str | None) -> str:
    """The language actually used to analyse ``language`` (English when unsupported)."""
    base = (language or "en").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else "en"


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    stemmer = snowballstemmer.stemmer(_SNOWBALL_NAMES[language])
    memo: dict[str, str] = {}

    def stem(word: str) -> str:
        found = memo.get(word)
        if found is None:
            found = fold_plain(stemmer.stemWord(word))
            if len(memo) < 200_000:  # a bound so a hostile input cannot grow it forever
                memo[word] = found
        return found

    return stem


def stem_word(word: str, language: str) -> str:
    """Snowball stem of the folded ``word`` in ``language``."""
    return _stemmer(analyser_language(language))(fold_plain(word))


def tokens(text: str, language: str, *, keep_stopwords: bool = False) -> list[Token]:
    """The words of ``text`` with stems and source offsets; stopwords dropped unless asked."""
    lang = analyser_language(language)
    folded = fold(text)
    stop: frozenset[str] = frozenset() if keep_stopwords else stopwords(lang)
    stem = _stemmer(lang)
    origin = folded.origin
    source_span = folded.source_span
    out: list[Token] = []
    append = out.append
    for position, match in enumerate(TOKEN_RE.finditer(folded.text)):
        surface = match.group()
        if surface in stop:
            continue
        if origin is None:  # the usual case: folding kept every offset
            start, end = match.span()
        else:
            start, end = source_span(*match.span())
        append(
            Token(surface, surface if surface.isdigit() else stem(surface), start, end, position)
        )
    return out


def phrase_stems(phrase: str, language: str) -> tuple[str, ...]:
    """A catalogue phrase as the sequence of stems a provision is scanned for."""
    return tuple(t.stem for t in tokens(phrase, language))
