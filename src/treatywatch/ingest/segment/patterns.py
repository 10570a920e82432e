"""Compiled patterns for headings, containers and furniture, built once from the cue files.

Every pattern is anchored at the start of a line and uses bounded
quantifiers only, so matching is linear in the line length whatever a
hostile input contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from treatywatch.ingest.segment.numbering import fold, latin_suffixes
from treatywatch.ingest.segment.vocab import all_languages, load_cues, words

_DIGITS = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_ROMAN_LABEL = r"[IVXLC]{1,7}(?![A-Za-z])|[ivxlc]{1,7}(?![A-Za-z])"
_CJK_NUM = r"[0-9一二三四五六七八九十百千零〇两]{1,8}"


def _keyword_alternation(keywords: list[str], *, separated: bool = False) -> str:
    """Longest first, an optional final dot, a boundary after word keywords.

    With ``separated``, a word keyword must be followed by a dot, a space or
    "(" so that "Six months" never reads as "s. ix".
    """
    parts = []
    for keyword in sorted(set(keywords), key=len, reverse=True):
        escaped = re.escape(keyword.rstrip("."))
        if not keyword[-1].isalpha() and not keyword.endswith("."):
            parts.append(escaped)
        elif separated:
            parts.append(escaped + r"(?:\.\s{0,3}|\s{1,3}|(?=\())")
        elif keyword.endswith("."):
            parts.append(escaped + r"\.?")
        else:
            parts.append(escaped + r"(?![^\W\d_])")
    return "|".join(parts)


@dataclass(frozen=True)
class Patterns:
    provision: dict[str, re.Pattern[str]]
    cjk_article: re.Pattern[str]
    bare_number: re.Pattern[str]
    container_prefix: re.Pattern[str]
    container_suffix: re.Pattern[str]
    cjk_container: re.Pattern[str]
    container_units: dict[str, str]
    container_phrases: dict[str, str]
    page_furniture: re.Pattern[str]
    reference_continuation: re.Pattern[str]
    repealed: re.Pattern[str]
    section_keywords: frozenset[str]
    heading_keyword: re.Pattern[str]


@cache
def patterns() -> Patterns:
    cues = load_cues("structure")
    latin = "|".join(sorted(latin_suffixes(), key=len, reverse=True))
    word_labels = [w for w in _label_word_list() if not w.isdigit()]
    words_alt = "|".join(re.escape(w) for w in sorted(word_labels, key=len, reverse=True))
    label = (
        rf"(?:[LRDA]\.?\s?(?={_DIGITS}))?{_DIGITS}{{1,5}}(?:[.\-–]{_DIGITS}{{1,4}}){{0,3}}"
        rf"(?:[A-Za-z]{{1,3}}(?![A-Za-z]))?"
        rf"(?:[\s\-]?(?:{latin})(?![\w])(?!\s*\d))?"
        rf"|(?:{_ROMAN_LABEL})(?:\s(?:{latin})(?![\w]))?"
        rf"|(?:{words_alt})(?![\w])"
    )
    provision: dict[str, re.Pattern[str]] = {}
    raw_keywords = cues.get("provision_keywords", {})
    section_keywords: set[str] = set()
    if isinstance(raw_keywords, dict):
        for family, keywords in raw_keywords.items():
            alternation = _keyword_alternation(words(keywords), separated=True)
            provision[str(family)] = re.compile(
                rf"^(?P<kw>{alternation})\s{{0,2}}(?P<open>\()?\s?(?P<label>{label})"
                r"(?(open)\s?\))(?P<ord>\s?[°ºª˚])?(?P<rest>.*)$",
                re.IGNORECASE | re.DOTALL,
            )
        section_keywords = {fold(k.rstrip(".")) for k in words(raw_keywords.get("section"))}

    container_units: dict[str, str] = {"section": "division"}
    container_keywords = ["Section"]
    raw_containers = cues.get("container_keywords", {})
    if isinstance(raw_containers, dict):
        for unit, keywords in raw_containers.items():
            for keyword in words(keywords):
                container_units[fold(keyword)] = str(unit)
                container_keywords.append(keyword)
    latin_keywords = [k for k in container_keywords if not _is_cjk(k)]
    container_alt = _keyword_alternation(latin_keywords)
    ordinal_word = (
        rf"[A-ZÄÖÜ][a-zäöüß]{{2,30}}(?:ter|ster|te|ste)|(?:{words_alt})|{_DIGITS}{{1,3}}\."
    )
    container_label = (
        rf"{_DIGITS}{{1,4}}[A-Za-z]?(?![\w])|{_ROMAN_LABEL}|(?:{words_alt})(?![\w])"
        r"|(?-i:[A-ZÉÈ][A-ZÉÈ]{5,})(?![\w])"
    )
    container_prefix = re.compile(
        rf"^(?P<kw>{container_alt})\.?\s{{0,3}}(?P<label>{container_label})?(?P<rest>.*)$",
        re.IGNORECASE | re.DOTALL,
    )
    container_suffix = re.compile(
        rf"^(?P<label>{ordinal_word})\s{{1,3}}(?P<kw>{container_alt})(?P<rest>.*)$",
        re.IGNORECASE | re.DOTALL,
    )
    cjk_container = re.compile(rf"^第(?P<label>{_CJK_NUM})(?P<kw>[编章节])(?P<rest>.*)$")
    phrases: dict[str, str] = {}
    raw_phrases = cues.get("container_phrases", {})
    if isinstance(raw_phrases, dict):
        for unit, items in raw_phrases.items():
            for phrase in words(items):
                phrases[fold(phrase)] = str(unit)

    page_words = "|".join(re.escape(w) for w in words(cues.get("page_number_words")))
    joiners = "|".join(re.escape(w) for w in words(cues.get("page_number_joiners")))
    page_furniture = re.compile(
        rf"^(?:(?:{page_words})\s{{0,3}}{_DIGITS}{{1,5}}(?:\s{{0,3}}(?:{joiners})\s{{0,3}}{_DIGITS}{{1,5}})?"
        rf"|[-–—]\s?{_DIGITS}{{1,5}}\s?[-–—]|{_DIGITS}{{1,5}}\s?(?:/|of|sur|de|von)\s?{_DIGITS}{{1,5}}"
        rf"|{_DIGITS}{{1,4}})$",
        re.IGNORECASE,
    )
    continuations = words(cues.get("reference_continuations"))
    continuation_alt = "|".join(re.escape(w) for w in sorted(continuations, key=len, reverse=True))
    reference_continuation = re.compile(rf"^\s?(?:{continuation_alt})(?=\s|$|\d)", re.IGNORECASE)
    repealed_words = "|".join(re.escape(w) for w in words(cues.get("repealed_markers")))
    repealed = re.compile(
        rf"^[\s\[\(.\-–—:]*(?:{repealed_words})(?:\s(?:by|par|por|durch|per)\s[^\n]{{0,120}})?"
        r"[\s\]\).;:]*(?:\[.{0,80}\])?\s*$",
        re.IGNORECASE,
    )
    cjk_article = re.compile(rf"^第(?P<label>{_CJK_NUM})条(?P<rest>.*)$", re.DOTALL)
    bare_number = re.compile(
        rf"^(?P<label>{_DIGITS}{{1,4}}[A-Za-z]{{0,2}})(?P<sep>\.-|\.—|\.–|\.(?!\d)|\s[-–—](?=\s))"
        r"(?P<rest>.*)$",
        re.DOTALL,
    )
    return Patterns(
        provision=provision,
        cjk_article=cjk_article,
        bare_number=bare_number,
        container_prefix=container_prefix,
        container_suffix=container_suffix,
        cjk_container=cjk_container,
        container_units=container_units,
        container_phrases=phrases,
        page_furniture=page_furniture,
        reference_continuation=reference_continuation,
        repealed=repealed,
        section_keywords=frozenset(section_keywords),
        heading_keyword=re.compile(
            "(?:"
            + "|".join(
                re.escape(k.rstrip("."))
                for k in sorted(
                    {k for ks in raw_keywords.values() for k in words(ks)}
                    if isinstance(raw_keywords, dict)
                    else set(),
                    key=len,
                    reverse=True,
                )
            )
            + "|"
            + "|".join(re.escape(k) for k in sorted(container_keywords, key=len, reverse=True))
            + "|第)",
            re.IGNORECASE,
        ),
    )


def _label_word_list() -> list[str]:
    raw = load_cues("structure").get("label_words", {})
    if not isinstance(raw, dict):
        return []
    return [w for items in raw.values() for w in words(items)]


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@cache
def sentence_starters() -> frozenset[str]:
    return frozenset(
        fold(w) for w in all_languages(load_cues("structure").get("sentence_starters"))
    )


@cache
def sentence_verbs() -> frozenset[str]:
    return frozenset(fold(w) for w in all_languages(load_cues("structure").get("sentence_verbs")))
