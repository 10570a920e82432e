"""Text clean-up shared by the readers, so every format reaches the segmenter alike.

Lines come out NFC-normalised with whitespace collapsed and control
characters removed: the segmenter and the store compare text, and two
spellings of "é" or a stray NUL must not make two provisions differ.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab, newline, form feed (a page break in text files);
# \x02 is how some PDF producers mark a hyphen at a line end.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_JUNK = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")
# Invisible marks: zero-width space, BOM, soft hyphen (a break opportunity, not a letter).
_ZERO_WIDTH = re.compile(r"[\u200b\ufeff\u00ad]")
# Presentation forms (Arabic ligatures and positional glyphs, Latin "ﬁ")
# are how PDFs store shaped text; folded back they match the words people type.
_COMPAT_FORMS = re.compile(r"[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefe]+")


def normalise_newlines(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text)


def fold_presentation_forms(text: str) -> str:
    if not _COMPAT_FORMS.search(text):
        return text
    return _COMPAT_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean_text(text: str) -> str:
    """Whole-text pass: no controls (line and page breaks kept), no invisible marks, NFC."""
    if text.isascii() and text.isprintable():
        return text  # nothing to remove or compose (the common case, decided in C)
    text = _CONTROL.sub("", text)
    text = _ZERO_WIDTH.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def collapse(line: str) -> str:
    """Single spaces, no edge blanks (str.split knows every Unicode space)."""
    return " ".join(line.split())


def clean_line(text: str) -> str:
    """One line as stored: NFC, no controls, single spaces, no edge blanks."""
    return collapse(clean_text(text))


def clean_lines(text: str) -> list[str]:
    """Every line of a text, cleaned (blank ones included, as "")."""
    return [collapse(line) for line in clean_text(normalise_newlines(text)).split("\n")]


def clean_block(text: str) -> str:
    """Multi-line text (a provision's content): each line cleaned, blank lines dropped."""
    return "\n".join(line for line in clean_lines(text) if line)


def control_ratio(text: str) -> float:
    """Share of characters that no text file contains (binary junk decoded as text)."""
    if not text:
        return 0.0
    return len(_JUNK.findall(text)) / len(text)
