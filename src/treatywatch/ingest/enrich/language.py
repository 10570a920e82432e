"""Which language a law is written in (ISO 639-1), with lingua.

The detector only considers the languages treatywatch handles, which makes
it both faster and more accurate than an open-set guess; it is built once,
on first use, because loading its models takes a noticeable moment. Long
texts are judged on a few samples spread through the document, so a
French law's English annex does not decide alone and a 500-page code costs
no more than a short act.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

SUPPORTED = ("en", "fr", "es", "de", "ru", "ar", "zh", "pt")
UNDETERMINED = "und"
_SAMPLE_CHARS = 750
_SAMPLES = 4


_LONG_SAMPLE = 200


@cache
def _detector(precise: bool) -> LanguageDetector:
    """Trigram models (load in ~40 ms) suffice for long samples; short texts
    get lingua's full n-gram models (~0.7 s to load, once)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in SUPPORTED]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return builder.build() if precise else builder.with_low_accuracy_mode().build()


def _samples(text: str) -> list[str]:
    if len(text) <= _SAMPLE_CHARS * _SAMPLES:
        return [text]
    step = (len(text) - _SAMPLE_CHARS) // (_SAMPLES - 1)
    out = []
    for index in range(_SAMPLES):
        start = index * step
        # start and end on whitespace so no sample begins mid-word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 50 else start
        out.append(text[start : start + _SAMPLE_CHARS])
    return out


def _one_line(text: str) -> str:
    """``" ".join(text.split())``, cheaply for text made of clean lines.

    Readers hand over lines already stripped and single-spaced, so a text of
    them joined by newlines only needs its newlines turned into spaces;
    C-level tests (``isprintable`` is false for every whitespace but the
    ASCII space) tell when that is so, and anything else takes the split.
    """
    if (
        text[:1].isspace()
        or text[-1:].isspace()
        or "  " in text
        or "\n\n" in text
        or " \n" in text
        or "\n " in text
        or not text.replace("\n", "").isprintable()
    ):
        return " ".join(text.split())
    return text.replace("\n", " ")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's main language, or "und" when it cannot tell."""
    text = _one_line(text)
    if len(text) < 8:
        return UNDETERMINED
    votes: dict[str, float] = {}
    for sample in _samples(text):
        language = _detector(len(sample) < _LONG_SAMPLE).detect_language_of(sample)
        if language is not None:
            code = language.iso_code_639_1.name.lower()
            votes[code] = votes.get(code, 0.0) + len(sample)
    if not votes:
        return UNDETERMINED
    return max(votes, key=lambda code: votes[code])
