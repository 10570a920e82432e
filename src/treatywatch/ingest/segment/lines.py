"""From reader lines to logical paragraphs the segmenter can reason about.

Readers hand over lines as the source laid them out: Markdown with ``#``
headings, PDFs with hard-wrapped lines and page furniture, text files with
one paragraph per line. This module removes what is not law (page numbers,
running headers the reader missed), turns Markdown markup into layout hints,
and re-joins wrapped lines and hyphenated words, so that later stages see
one paragraph per entry whatever the source format.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from treatywatch.ingest.model import Line
from treatywatch.ingest.segment.patterns import patterns

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_MD_BOLD = re.compile(r"^(?:\*\*|__)(.{1,300}?)(?:\*\*|__)\s*[.:]?\s*$")
_MD_LIST_INDENT = re.compile(r"^(?:>\s?)+")
_HTML_TAG_LINE = re.compile(r"^<[!/?a-zA-Z][^<>]{0,500}>$")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")
_TRAILING_DASH = re.compile(r"\s+[-–—]\s*$")
_DIGIT_RUN = re.compile(r"\d+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_HYPHENATED_END = re.compile(r"([^\W\d_]+)[-\u00ad\u2010]$")
_TERMINAL = ".;:!?…—–。；：！？"
# Words a sentence cannot end with; conjunctions are left out because
# "…; or" legitimately precedes the next item "(c)".
_OPEN_ENDINGS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "by",
        "with",
        "from",
        "under",
        "for",
        "at",
        "into",
        "per",
        "le",
        "la",
        "les",
        "du",
        "des",
        "de",
        "au",
        "aux",
        "à",
        "par",
        "pour",
        "sur",
        "dans",
        "el",
        "los",
        "las",
        "del",
        "al",
        "en",
        "por",
        "para",
        "con",
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "im",
        "zum",
        "zur",
        "von",
        "mit",
        "nach",
        "gemäß",
    ]
)
_HEADING_END = re.compile(r"[.:]\s?(?:[—–]|-{1,2}|_{2,})")
_HYPHENS = "-\u00ad\u2010"
# Words that follow a suspended compound ("Lebens- und Geheimbereich",
# "pre- and post-trial"): the hyphen there is printed, not a line break.
_KEEP_HYPHEN_BEFORE = frozenset(
    ["und", "oder", "bzw", "sowie", "and", "or", "nor", "et", "ou", "y", "o", "e", "ni", "als"]
)
# Markers that start a paragraph: provision and container headings,
# subsection labels, quoted definitions.
_STARTS_BLOCK = re.compile(
    r"^(?:\[?\(\s?[0-9A-Za-z]{1,6}\s?\)"  # (1) (a) (iv) ( a )
    r"|[0-9]{1,4}[A-Za-z]{0,2}(?:\.|\)|\s?[-–°º])(?:\s|$)"  # 1. 1) 1- 1°
    r"|[a-zA-Z]{1,4}[.)](?:\s|$)"  # a) a. iv) IV.
    r"|[\u0430-\u044f]\)\s"  # а) (Cyrillic)
    r"|[\"“«„'‘`]{1,2}\w"  # quoted definition
    r"|§|第"
    r")"
)


@dataclass
class Para:
    """One logical paragraph: wrapped lines joined, furniture removed."""

    text: str
    hint: str | None = None
    page: int | None = None
    blank_before: bool = False
    last_width: int = 0  # length of the last physical line joined into it


def clean_lines(lines: Sequence[Line]) -> list[Para]:
    """Lines as paragraphs of one source line each, with Markdown and furniture handled."""
    furniture = _repeated_furniture(lines)
    out: list[Para] = []
    blank = True
    pats = patterns()
    for index, line in enumerate(lines):
        text = line.text
        if "  " in text or "\t" in text or (not text.isascii() and _has_wide_space(text)):
            text = _SPACES.sub(" ", text)
        text = text.strip()
        if not text or index in furniture:
            blank = blank or not text
            continue
        hint = line.hint
        first = text[0]
        if first == "#":
            heading = _MD_HEADING.match(text)
            if heading:
                hint = hint or f"heading-{len(heading.group(1))}"
                text = _TRAILING_DASH.sub("", heading.group(2)).strip()
        elif first in "*_":
            bold = _MD_BOLD.match(text)
            if bold:
                hint = hint or "bold"
                text = bold.group(1).strip()
        elif first == ">":
            text = _MD_LIST_INDENT.sub("", text)
        if (
            not text
            or (text[0] == "<" and _HTML_TAG_LINE.match(text))
            or (len(text) <= 40 and pats.page_furniture.match(text))
        ):
            blank = True
            continue
        out.append(Para(text, hint, line.page, blank, len(text)))
        blank = False
    return out


def _has_wide_space(text: str) -> bool:
    """Whether ``_SPACES`` has a space beyond ASCII to replace (a few C-level scans
    cost less than the regex, which accented text would otherwise always take)."""
    return "\u00a0" in text or "\u2007" in text or "\u202f" in text or "\u3000" in text


def _repeated_furniture(lines: Sequence[Line]) -> set[int]:
    """Indexes of running headers/footers a reader left: same text at the edge of most pages."""
    pages: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if line.page is not None and line.text.strip():
            pages.setdefault(line.page, []).append(index)
    if len(pages) < 3:
        return set()
    edges: Counter[str] = Counter()
    edge_lines: list[tuple[int, str]] = []
    for indexes in pages.values():
        seen: set[str] = set()
        for index in indexes[:2] + indexes[-2:]:
            text = lines[index].text.strip().lower()
            # "Page 3 of 9" and "Page 4 of 9" are one header; "Article 12" and
            # "Article 13" at the top of two pages are not.
            key = text if starts_block(text) else _DIGIT_RUN.sub("#", text)
            edge_lines.append((index, key))
            if key not in seen:
                edges[key] += 1
                seen.add(key)
    threshold = max(3, len(pages) // 2)
    return {index for index, key in edge_lines if edges[key] >= threshold and len(key) < 120}


def assemble(paras: list[Para]) -> list[Para]:
    """Join lines that continue the paragraph before them.

    Two layouts are told apart by how often a line is followed by one that
    starts in lower case: hard-wrapped text (PDF, Markdown) has many such
    pairs and every non-marker line joins its predecessor until a blank
    line; one-paragraph-per-line text joins only an obvious continuation
    (previous line ends mid-phrase, next starts in lower case).
    """
    if not paras:
        return []
    wrapped = _looks_wrapped(paras)
    width = _typical_width(paras)
    out: list[Para] = [paras[0]]
    for para in paras[1:]:
        previous = out[-1]
        if _continues(previous, para, wrapped=wrapped, width=width):
            previous.text = join_text(previous.text, para.text)
            previous.last_width = para.last_width
        else:
            out.append(para)
    return out


def _looks_wrapped(paras: list[Para]) -> bool:
    pairs = 0
    lower_next = 0
    for first, second in itertools.pairwise(paras):
        if second.blank_before:
            continue
        pairs += 1
        if second.text[:1].islower() and first.text[-1:] not in _TERMINAL:
            lower_next += 1
    return pairs > 0 and lower_next / pairs >= 0.15


def _typical_width(paras: list[Para]) -> int:
    lengths = sorted(len(p.text) for p in paras)
    if not lengths:
        return 0
    return int(statistics.quantiles(lengths, n=10)[-1]) if len(lengths) >= 10 else lengths[-1]


def _continues(previous: Para, para: Para, *, wrapped: bool, width: int) -> bool:
    if para.blank_before or para.hint != previous.hint:
        return False
    text = para.text
    words = previous.text[-30:].split()
    if words and words[-1] in _OPEN_ENDINGS:
        return True  # "…specified in the" / "Second Schedule.": a sentence, not a heading
    if starts_block(text):
        return False
    if not _is_heading_start(previous.text):
        return _continues_text(previous, text, wrapped=wrapped, width=width)
    if _is_upper(previous.text) and _is_upper(text) and not _is_bare_container(previous.text):
        return True  # "SECTION 2 - ATTEINTES … AU" / "REGARD DU": a wrapped heading
    if text[:1].isupper():
        # "37. Withdrawal of designation…" then "The Minister may…" is a new
        # paragraph; a heading only goes on past a line break when the next
        # line ends it ("…referred to Pakistan" / "Telecommunication Authority.—").
        return bool(_HEADING_END.search(text[:120]))
    return _continues_text(previous, text, wrapped=wrapped, width=width)


def _continues_text(previous: Para, text: str, *, wrapped: bool, width: int) -> bool:
    last = previous.text[-1:]
    if text[:1].islower():
        # A lower-case start after an unfinished line is a wrap in any layout;
        # after a comma in one-per-line text it is a new paragraph that
        # finishes a list's lead-in ("..., wird ... bestraft").
        return wrapped or last not in _TERMINAL + ","
    # An upper-case start continues only a full-width line of wrapped text:
    # a short line before it ended its paragraph (or was a heading).
    return (
        wrapped
        and not previous.hint
        and previous.last_width >= 0.7 * width
        and (last not in _TERMINAL)
    )


def _is_upper(text: str) -> bool:
    """Mostly capitals (a heading in capitals may hold a stray lower-case word)."""
    tail = text[-60:]
    if tail.isupper():
        return True
    letters = [c for c in tail if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _is_bare_container(text: str) -> bool:
    """ "PART I" alone: its name follows on the next line and is joined with " - " later."""
    match = patterns().container_prefix.match(text)
    return bool(match and not match.group("rest").strip(" .:-–—"))


def _is_heading_start(text: str) -> bool:
    pats = patterns()
    if text[:1].isdigit():
        return bool(pats.bare_number.match(text))
    return _keyword_heading(text)


def _keyword_heading(text: str) -> bool:
    """A provision or container heading that starts with its keyword ("Article 5", "PART II")."""
    pats = patterns()
    if not pats.heading_keyword.match(text):
        return False  # one cheap test rules out almost every line of text
    return any(p.match(text) for p in pats.provision.values()) or bool(
        pats.container_prefix.match(text) and text[:1].isupper()
    )


def starts_block(text: str) -> bool:
    """Whether a line starts with something that always begins a paragraph."""
    return bool(_STARTS_BLOCK.match(text)) or _keyword_heading(text)


def join_text(head: str, tail: str) -> str:
    """Join a wrapped line, undoing end-of-line hyphenation ("Daten-\\nverarbeitung")."""
    if head[-1:] in _HYPHENS and len(head) >= 2 and head[-2].isalpha() and tail[:1].islower():
        first_word = _LETTER_RUN.match(tail)
        word = first_word.group(0).lower() if first_word else ""
        fragment = _HYPHENATED_END.search(head)
        if word in _KEEP_HYPHEN_BEFORE or (fragment and len(fragment.group(1)) <= 2):
            return f"{head} {tail}" if word in _KEEP_HYPHEN_BEFORE else head + tail
        return head[:-1] + tail
    return f"{head} {tail}"
