"""Normalise State names so the many spellings of one State meet.

Status lists, vote records and news reports write the same State as
"Côte d'Ivoire", "Cote d’Ivoire", "CÔTE D'IVOIRE³" or "Côte d'Ivoire 3";
the UN writes "Netherlands (the)" and "Holy See (the) *". Matching on a
normalised key (no accents, case, punctuation, "the" or footnote markers)
lets a short alias list cover them all, while anything that still does not
match is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata

_MARKUP = re.compile(r"<\s*superscript\s*>.*?<\s*/\s*superscript\s*>|<[^>]{1,40}>", re.I | re.S)
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f\u2020\u2021\u00a7*]+")
_TRAILING_MARKERS = re.compile(r"(?:[\s,]*\d{1,3})+\s*$")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NON_WORD = re.compile(r"[^\w]+")
_DROP_WORDS = frozenset({"the"})
_WORD_FORMS = {"st": "saint", "ste": "sainte", "and": "and"}


def strip_markup(text: str) -> str:
    """Remove footnote markup such as ``<superscript>2</superscript>`` from a cell."""
    return _MARKUP.sub("", text)


def footnote_markers(text: str) -> list[str]:
    """The footnote numbers attached to a name (``"Germany<superscript>6,7</superscript>"``)."""
    found = re.findall(r"<\s*superscript\s*>(.*?)<\s*/\s*superscript\s*>", text, re.I | re.S)
    return [part.strip() for chunk in found for part in chunk.split(",") if part.strip()]


def clean_name(text: str) -> str:
    """A participant name as people should see it: markup and markers gone, spaces tidy."""
    text = strip_markup(text)
    text = _SUPERSCRIPTS.sub("", text)
    text = _TRAILING_MARKERS.sub("", text)
    return " ".join(text.replace("\u00a0", " ").split())


def normalise(text: str) -> str:
    """The matching key of a name: ``"Côte d’Ivoire (the)³"`` → ``"cote divoire"``."""
    text = clean_name(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    words = [w for w in _NON_WORD.sub(" ", text).split() if w not in _DROP_WORDS]
    return " ".join(_WORD_FORMS.get(w, w) for w in words)
