"""Where a provision's heading ends and its text begins.

Laws print headings in many ways: on the number line ("3. Objects of the
Authority"), after a separator ("Short title.—(1) This Act…", "Artículo 2°.-
Acceso ilícito. El que…"), on the next line (Markdown, PDFs), or not at
all ("Article 431-8" followed by the text). These rules decide from the
shape of the text alone, so they work for laws the project has never seen.
"""

from __future__ import annotations

import re
from itertools import islice

from treatywatch.ingest.segment.numbering import fold
from treatywatch.ingest.segment.outline import read_marker
from treatywatch.ingest.segment.patterns import patterns, sentence_starters, sentence_verbs

_LEADING_SEPARATORS = re.compile(r"^[\s.:\-–—)_]*")
_EXPLICIT_SPLIT = re.compile(
    r"^(?P<title>[^\n]{1,250}?)(?:\.\s?[—–-]{1,2}|\.\s?_{2,}|:\s?[—–-]{1,2}|\s[—–]\s)\s*(?P<body>.*)$",
    re.DOTALL,
)
_FIRST_SENTENCE = re.compile(
    r"^(?P<title>[^.;:!?。\n]{2,140}?)\.\s+(?P<body>[\"“«(\[]?[^\W\d_a-z].*)$", re.DOTALL
)
_TRAILING = re.compile(r"[\s.:;,\-–—_]+$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ABBREVIATIONS = frozenset(
    [
        "no",
        "nr",
        "art",
        "arts",
        "s",
        "ss",
        "sec",
        "cap",
        "ch",
        "para",
        "paras",
        "vol",
        "pp",
        "p",
        "st",
    ]
)
_OPEN_ENDINGS = frozenset(
    [
        "the",
        "of",
        "to",
        "a",
        "an",
        "and",
        "or",
        "in",
        "for",
        "by",
        "with",
        "de",
        "la",
        "le",
        "les",
        "du",
        "des",
        "et",
        "ou",
        "y",
        "el",
        "los",
        "las",
        "del",
        "en",
        "der",
        "die",
        "das",
        "und",
        "oder",
        "zu",
        "von",
        "im",
    ]
)
_TERMINAL_END = re.compile(r"[.;:,!?。；：！？]['\"”’»)\]]*$")
MAX_TITLE_WORDS = 20


def clean_title(text: str) -> str | None:
    title = _TRAILING.sub("", " ".join(text.split()))
    return title or None


def split_heading(rest: str) -> tuple[str | None, str]:
    """(title, body) from the text that follows a provision number on its line."""
    text = _LEADING_SEPARATORS.sub("", rest).strip()
    if not text:
        return None, ""
    if read_marker(text) is not None or patterns().repealed.match(text):
        return None, text
    explicit = _EXPLICIT_SPLIT.match(text)
    if explicit and _word_count(explicit.group("title")) <= 30:
        return clean_title(explicit.group("title")), explicit.group("body").strip()
    if not _TERMINAL_END.search(text[-8:]):
        if len(text) > 400:
            return None, text  # a paragraph, not a title (and no need to split it into words)
        words = _WORD.findall(text)
        if not (len(words) > 3 and fold(words[-1]) in _OPEN_ENDINGS):
            return clean_title(text), ""
        return None, text
    first = _FIRST_SENTENCE.match(text)
    if first and _is_heading_phrase(first.group("title"), limit=12):
        return clean_title(first.group("title")), first.group("body").strip()
    if text.endswith(".") and _is_heading_phrase(text[:-1], limit=8):
        return clean_title(text), ""
    return None, text


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _first_words(text: str, limit: int) -> list[str]:
    """The words of ``text``, or only the first ``limit + 1`` when it has more: the
    callers reject a text of more than ``limit`` words, so counting on past that
    (in a long paragraph) would be wasted."""
    return [match.group() for match in islice(_WORD.finditer(text), limit + 1)]


def _is_heading_phrase(text: str, *, limit: int) -> bool:
    words = _first_words(text, limit)
    if not words or len(words) > limit or "," in text:
        return False
    if fold(words[-1]) in _ABBREVIATIONS or len(words[-1]) == 1:
        return False
    if not text.strip()[:1].isupper() or fold(words[0]) in sentence_starters():
        return False
    verbs = sentence_verbs()
    return not any(fold(w) in verbs for w in words)


def is_title_line(text: str, hint: str | None) -> bool:
    """Whether a line after a bare number ("Article 5") is that provision's heading."""
    if read_marker(text) is not None or patterns().repealed.match(text):
        return False
    first = text[:1]
    if not first or first.islower() or (first.isdigit() and not hint):
        return False
    if text.rstrip()[-1:] in ":;," or len(text) > 200:
        return False
    words = _WORD.findall(text)
    if not words or len(words) > (MAX_TITLE_WORDS if hint else 15):
        return False
    if hint and (hint.startswith("heading") or hint == "bold"):
        return True
    if text.rstrip()[-1:] in ".!?":
        return False  # an unmarked line that ends a sentence is text ("La présente loi régit…")
    return not any(fold(w) in sentence_verbs() for w in words) or len(words) <= 6


def is_marginal_note(text: str) -> bool:
    """A margin heading as PDFs place it: "Short title." or "Offences by bodies corporate"."""
    stripped = text.rstrip()
    if not stripped[:1].isupper() or stripped[-1:] in ",;:" or read_marker(stripped):
        return False
    if stripped.isupper():
        return False  # capitals are a part or chapter name, not a margin note
    words = _first_words(stripped, 8)
    if not words or len(words) > 8:
        return False
    return not any(fold(w) in sentence_verbs() for w in words)


def is_container_title(text: str, hint: str | None) -> bool:
    """Whether a line after "CHAPTER II" names that chapter ("MEASURES TO BE TAKEN…")."""
    if not is_title_line(text, hint) and not (text.isupper() and len(text) <= 200):
        return False
    letters = [c for c in text if c.isalpha()]
    upper_share = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    return bool(hint) or upper_share >= 0.6 or not text.rstrip().endswith(".")
