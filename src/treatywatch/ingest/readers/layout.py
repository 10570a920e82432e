"""Page furniture removal and hyphenation repair for paged text (PDF, text with form feeds).

A running header is recognised by what makes it a header: the same text
(digits ignored, so "Page 3" matches "Page 4") at the same height near the
top or bottom edge of many pages. Requiring the same position keeps body
lines that merely repeat ("Provided that—") safe. Page-number lines are
removed when they sit in the top or bottom band of a page.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from treatywatch.ingest.model import Line

EDGE_BAND = 0.2  # top/bottom fraction of the page where furniture lives
SAME_POSITION = 0.012  # ~10 pt on A4: "the same height" on two pages
RUNNING_SHARE = 0.4  # on at least this share of pages (odd/even headers alternate)
MAX_FURNITURE_CHARS = 160

_PAGE_WORDS = (
    r"page|p\.|pg\.?|pp\.|pag\.?|página|pagina|seite|s\.|blz\.|стр\.?|страница|صفحة|الصفحة"
)
_OF_WORDS = r"of|sur|de|von|di|из|من|/"
PAGE_NUMBER = re.compile(
    rf"""^(?:
        [-–—~]?\s*\d{{1,5}}\s*[-–—~]?                                  # 12, - 4 -
      | (?:{_PAGE_WORDS})\s*\d{{1,5}}(?:\s*(?:{_OF_WORDS})\s*\d{{1,5}})?   # Page 3 of 9
      | \d{{1,5}}\s*(?:{_OF_WORDS})\s*\d{{1,5}}                          # 3 / 9, 3 of 9
      | [ivxlcdm]{{1,7}}                                                 # xii (front matter)
      | \[\s*\d{{1,5}}\s*\]                                            # [12]
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_DIGITS = re.compile(r"\d+")
# Page numbers in running lines sit at their start or end ("12 Official Gazette").
_EDGE_NUMBERS = re.compile(r"^\W*(\d+)\b|\b(\d+)\W*$")
_SPACE = re.compile(r"\s+")


@dataclass
class PageLine:
    """A line on a page; ``pos`` is its height as a fraction from the top (0) to the
    bottom (1), or None when unknown (then it is never treated as furniture)."""

    text: str
    pos: float | None = None


# Every match of PAGE_NUMBER ends with one of these (or a decimal digit); the
# dotted and dotless i match "i" under IGNORECASE. Testing the last character
# first spares the regex on nearly every line of text.
_PAGE_NUMBER_ENDS = frozenset("-–—~]ivxlcdmIVXLCDMİı")


def is_page_number(text: str) -> bool:
    """``PAGE_NUMBER.match(text.strip())``, ruling most lines out by their last character."""
    text = text.strip()
    last = text[-1:]
    if not last or not (last.isdecimal() or last in _PAGE_NUMBER_ENDS):
        return False
    return bool(PAGE_NUMBER.match(text))


def in_edge_band(pos: float | None) -> bool:
    return pos is not None and (pos <= EDGE_BAND or pos >= 1 - EDGE_BAND)


def furniture_key(text: str) -> str:
    return _SPACE.sub(" ", _DIGITS.sub("#", text)).strip().casefold()


def find_furniture(pages: Sequence[Sequence[PageLine]]) -> set[tuple[int, int]]:
    """(page index, line index) of every running header/footer and page-number line."""
    drop: set[tuple[int, int]] = set()
    by_key: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    low, high = EDGE_BAND, 1 - EDGE_BAND
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            pos = line.pos  # in_edge_band, inline: this runs for every line of the text
            if pos is None or low < pos < high or len(line.text) > MAX_FURNITURE_CHARS:
                continue
            if is_page_number(line.text):
                drop.add((p, i))
                continue
            key = furniture_key(line.text)
            if key:
                assert line.pos is not None
                by_key[key].append((line.pos, p, i))
    if len(pages) < 2:
        return drop
    needed = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    for hits in by_key.values():
        if len({p for _pos, p, _i in hits}) < needed:
            continue
        hits.sort()
        best: list[tuple[float, int, int]] = []
        start = 0
        for end in range(len(hits)):  # widest window of hits at about the same height
            while hits[end][0] - hits[start][0] > SAME_POSITION:
                start += 1
            if end + 1 - start > len(best):
                best = hits[start : end + 1]
        drop.update(_running(best, pages, needed))
    return drop


def _running(
    hits: list[tuple[float, int, int]], pages: Sequence[Sequence[PageLine]], needed: int
) -> set[tuple[int, int]]:
    """The hits that are one running line: the same text on many pages, or text whose
    numbers advance with the page ("Act No. 5 - 12" on page 12). Headings such as
    "Article 431-23" that happen to open several pages share the shape, not the text,
    and their numbers do not follow the pages, so they stay. Only numbers at the
    start or end of the line count: "Section 2. Offences" heading every page of a
    short act has its number inside."""
    texts: Counter[str] = Counter()
    offsets: Counter[int] = Counter()
    per_hit: list[tuple[int, int, str, set[int]]] = []
    for _pos, p, i in hits:
        text = pages[p][i].text.strip()
        numbers = [m.group(1) or m.group(2) for m in _EDGE_NUMBERS.finditer(text)]
        page_offsets = {int(n) - p for n in numbers if len(n) < 7}
        per_hit.append((p, i, text, page_offsets))
        texts[text] += 1
        offsets.update(page_offsets)
    same = {t for t, count in texts.items() if count >= needed}
    paged = {o for o, count in offsets.items() if count >= needed}
    return {(p, i) for p, i, text, offs in per_hit if text in same or offs & paged}


def dropped_by_page(drop: set[tuple[int, int]], n_pages: int) -> list[set[int]]:
    """``find_furniture``'s result as the line indexes to drop on each page."""
    by_page: list[set[int]] = [set() for _ in range(n_pages)]
    for p, i in drop:
        by_page[p].add(i)
    return by_page


def strip_furniture(pages: Sequence[Sequence[PageLine]]) -> tuple[list[list[str]], int]:
    """Page texts without furniture, and how many lines were removed."""
    drop = find_furniture(pages)
    kept = [
        [line.text for i, line in enumerate(lines) if i not in gone]
        for lines, gone in zip(pages, dropped_by_page(drop, len(pages)), strict=True)
    ]
    return kept, len(drop)


# A word broken at a line end: a letter, then a hyphen (or soft hyphen / \x02).
_BREAK_MARKS = ("-", "\u00ad", "\u2010", "\x02")
_BROKEN_END = re.compile(r"(\w*[^\W\d_])([-\u00ad\u2010\x02])$")


def _broken_end(text: str) -> re.Match[str] | None:
    # endswith first: the regex alone backtracks from every position of the line.
    if not text.endswith(_BREAK_MARKS):
        return None
    return _BROKEN_END.search(text, max(0, len(text) - 80))


_CONTINUATION = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)
_WORD = re.compile(r"[^\W\d_][\w-]*[^\W\d_]")


def join_hyphenation(lines: list[Line]) -> tuple[list[Line], int]:
    """Rejoin words split across line ends ("conver-" + "sion" -> "conversion").

    Only when the next line continues in lower case, so "Anti-" + "Money" and
    dashes stay. If the document spells the word with a hyphen elsewhere
    ("choses-in-action", "self-executing"), the hyphen is kept.
    """
    if not any(line.text.endswith(_BREAK_MARKS) for line in lines):
        return lines, 0
    # only a line with a hyphen can hold a hyphenated word: the others need no regex
    vocabulary = {
        w.casefold()
        for line in lines
        if "-" in line.text
        for w in _WORD.findall(line.text)
        if "-" in w
    }
    out: list[Line] = []
    joined = 0
    pending: Line | None = None
    for line in lines:
        if pending is not None:
            merged = _join(pending, line, vocabulary)
            if merged is not None:
                head, rest = merged
                joined += 1
                line = head
                if rest is not None:
                    out.append(head)
                    line = rest
                else:
                    pending = head
                    continue
            else:
                out.append(pending)
            pending = None
        if _broken_end(line.text):
            pending = line
        else:
            out.append(line)
    if pending is not None:
        out.append(pending)
    return out, joined


def _join(first: Line, second: Line, vocabulary: set[str]) -> tuple[Line, Line | None] | None:
    end = _broken_end(first.text)
    start = _CONTINUATION.match(second.text)
    if end is None or start is None:
        return None
    fragment, rest = start.group(1), start.group(2)
    if not (fragment[0].isalpha() and fragment[0].islower()):
        return None
    stem, mark = end.group(1), end.group(2)
    word = fragment.rstrip(".,;:)]}'\"’”")
    keep_hyphen = mark in "-\u2010" and ("-" in word or f"{stem}-{word}".casefold() in vocabulary)
    glue = mark if keep_hyphen else ""
    head = Line(first.text[: end.start(2)] + glue + fragment, first.hint, first.page)
    if not rest:
        return head, None
    return head, Line(rest, second.hint, second.page)
