"""Repair Arabic/Hebrew lines that a PDF text layer gives in reversed order.

PDFium reorders right-to-left runs on the assumption that glyphs were laid
out in visual order, which is right for PDFs made by bidi-aware tools. PDFs
from tools without bidi support store the text in logical order, so PDFium's
reordering reverses it ("ةداملا" for "المادة"). The two cannot be told
apart geometrically, so we look at the words: in Arabic, the article "ال"
starts words and "ة" ends them; reversed text shows the mirror image.
When the reversed evidence wins, each line is reordered again with the same
(self-inverse) run reordering PDFium applied.
"""

from __future__ import annotations

import re
import unicodedata

_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]{3,}")
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def has_rtl(text: str) -> bool:
    return _RTL_CHAR.search(text) is not None


def looks_reversed(lines: list[str]) -> bool:
    """True when the Arabic words read backwards more often than forwards."""
    forward = backward = 0
    for line in lines:
        for word in _ARABIC_WORD.findall(line):
            forward += word.startswith("ال") + word.endswith("ة")
            backward += word.endswith("لا") + word.startswith("ة")
    return backward >= 3 and backward > 2 * forward


def _strength(ch: str) -> str:
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "N#"  # digits: a left-to-right run inside right-to-left text
    if kind in ("CS", "ES", "ET"):
        return "S"
    return "N"


def reorder_line(line: str) -> str:
    """Reorder one right-to-left line between visual and logical order.

    A simplified Unicode bidi pass for a right-to-left paragraph: runs of
    Latin words and of numbers ("2018/5", "ABC 500") keep their inner order,
    everything else is reversed character by character with brackets
    mirrored, and the order of the runs is reversed.
    """
    if not has_rtl(line):
        return line
    kinds = [_strength(ch) for ch in line]
    n = len(line)
    # Separators between two digits belong to the number ("2018/5", "1.5").
    for i in range(1, n - 1):
        if kinds[i] == "S" and kinds[i - 1] == "N#" and kinds[i + 1] == "N#":
            kinds[i] = "N#"
    # Neutrals between two left-to-right characters join their run ("Act No 5").
    ltr = [k in ("L", "N#") for k in kinds]
    i = 0
    while i < n:
        if ltr[i]:
            i += 1
            continue
        j = i
        while j < n and kinds[j] in ("N", "S"):
            j += 1
        if i > 0 and j < n and kinds[i - 1] == "L" and kinds[j] == "L" and j > i:
            for k in range(i, j):
                ltr[k] = True
        i = max(j, i + 1)
    # Adjacent letters and digits of a Latin run stay one run ("ABC 500" splits at the space).
    runs: list[tuple[bool, str]] = []
    for ch, is_ltr in zip(line, ltr, strict=True):
        if runs and runs[-1][0] == is_ltr:
            runs[-1] = (is_ltr, runs[-1][1] + ch)
        else:
            runs.append((is_ltr, ch))
    out = []
    for is_ltr, text in reversed(runs):
        out.append(text if is_ltr else text[::-1].translate(_MIRROR))
    return "".join(out)
