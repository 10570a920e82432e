"""Numbers as laws print them: "46A", "431-7", "12 bis", "XIV", "premier", "Zweiter".

Labels are kept as printed; this module turns them into comparable keys so
the segmenter can follow a law's numbering sequence (46 < 46A < 47) and into
path slugs that stay stable when a later version prints "1er" instead of
"premier".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from treatywatch.ingest.segment.vocab import load_cues, words

# One component of a key: (number, insertion rank). "46" → (46, 0),
# "46A" → (46, 1), "12 bis" → (12, 2), "12 ter" → (12, 3).
Component = tuple[int, int]
Key = tuple[Component, ...]

_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CJK_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}

_GERMAN_UNITS = {
    "ein": 1,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_GERMAN_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_GERMAN_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
_GERMAN_IRREGULAR = {"erst": 1, "dritt": 3, "siebt": 7, "siebent": 7, "acht": 8}

_SPLIT = re.compile(r"(\d+)|([^\d\s.\-–]+)")
# Combining marks of the scripts treatywatch reads (Latin, Cyrillic, Arabic).
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff"
    "\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_SLUG_DROP = re.compile(r"[^0-9a-z.\-]+")
_CODE_PREFIX = re.compile(r"^[LRDA]\.?\s*(?=\d)")
_STRAY_DOT = re.compile(r"\.(?!\d)|(?<!\d)\.")
_COMPONENT_BREAK = re.compile(r"\s*[-–.]\s*(?=\d)")
_NUMBERED = re.compile(r"^(\d+)\s*([A-Za-z]{0,3})\s*([a-zA-Z]*)")
_ORDINAL_ENDING = re.compile(r"(?<=\d)\s*(?:er|re|ere)\b")


def translate_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits."""
    return text.translate(_ARABIC_INDIC)


def roman_to_int(text: str) -> int | None:
    """Value of an upper- or lower-case roman numeral, None if it is not one."""
    upper = text.upper()
    if not upper or not _ROMAN.match(upper):
        return None
    total = 0
    previous = 0
    for char in reversed(upper):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def cjk_to_int(text: str) -> int | None:
    """Value of a Chinese numeral such as 二十三; None if any character is not one."""
    if not text or any(c not in _CJK_DIGITS and c not in _CJK_UNITS for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char in _CJK_DIGITS:
            current = _CJK_DIGITS[char]
        else:
            total += (current or 1) * _CJK_UNITS[char]
            current = 0
    return total + current


def german_ordinal_to_int(word: str) -> int | None:
    """ "Fünfzehnter" → 15, "Zweiundzwanzigster" → 22, "Erster" → 1; None for other words."""
    lowered = word.lower()
    for inflection in ("er", "es", "en", "em", "e"):
        if lowered.endswith(inflection) and len(lowered) > len(inflection) + 2:
            stem = lowered[: -len(inflection)]
            if stem in _GERMAN_IRREGULAR:
                return _GERMAN_IRREGULAR[stem]
            for suffix in ("st", "t"):
                if stem.endswith(suffix):
                    value = _german_cardinal(stem[: -len(suffix)])
                    if value is not None:
                        return value
    return None


def _german_cardinal(stem: str) -> int | None:
    if stem in _GERMAN_UNITS:
        return _GERMAN_UNITS[stem]
    if stem in _GERMAN_TEENS:
        return _GERMAN_TEENS[stem]
    if stem in _GERMAN_TENS:
        return _GERMAN_TENS[stem]
    if stem.startswith("hundert"):
        rest = stem[len("hundert") :]
        value = _german_cardinal(rest) if rest else 0
        return None if value is None else 100 + value
    if "und" in stem:
        unit, _, tens = stem.partition("und")
        unit_value = _GERMAN_UNITS.get(unit)
        tens_value = _GERMAN_TENS.get(tens)
        if unit_value is not None and tens_value is not None:
            return unit_value + tens_value
    return None


@cache
def _label_words() -> dict[str, int]:
    table: dict[str, int] = {}
    raw = load_cues("structure").get("label_words", {})
    if isinstance(raw, dict):
        for value, names in raw.items():
            for name in words(names):
                table[fold(name)] = int(value)
    return table


@cache
def latin_suffixes() -> dict[str, int]:
    """ "bis" → 2, "ter" → 3, ... (the insertion rank of a Latin suffix)."""
    names = words(load_cues("structure").get("latin_suffixes"))
    return {name: rank for rank, name in enumerate(names, start=2)}


def fold(text: str) -> str:
    """Lower case without accents, for comparing words across spellings."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))


def word_to_int(word: str) -> int | None:
    """A number written as a word or numeral of any supported kind."""
    word = word.strip().strip(".")
    if not word:
        return None
    ascii_digits = translate_digits(word)
    if ascii_digits.isdigit():
        return int(ascii_digits)
    value = _label_words().get(fold(word))
    if value is not None:
        return value
    roman = roman_to_int(word) if word.isupper() or len(word) <= 4 else None
    if roman is not None:
        return roman
    return german_ordinal_to_int(word) or cjk_to_int(word)


def label_key(label: str) -> Key | None:
    """Comparable key of a provision label, None when it has no number.

    "431-7" → ((431, 0), (7, 0)); "46A" → ((46, 1),); "12 bis" → ((12, 2),);
    "202a" → ((202, 1),); "premier" → ((1, 0),); "XIV" → ((14, 0),).
    """
    text = _CODE_PREFIX.sub("", translate_digits(label.strip()))
    if not text:
        return None
    parts = _COMPONENT_BREAK.split(text)
    key: list[Component] = []
    for part in parts:
        component = _component(part)
        if component is None:
            return None if not key else tuple(key)
        key.append(component)
    return tuple(key)


def _component(part: str) -> Component | None:
    match = _NUMBERED.match(part)
    if match:
        number = int(match.group(1))
        letters = match.group(2).lower()
        tail = (letters + match.group(3).lower()).strip()
        suffixes = latin_suffixes()
        if not tail or tail in ("er", "re", "ère"):
            return (number, 0)
        if tail in suffixes:
            return (number, suffixes[tail])
        rank = 0
        for char in letters:
            rank = rank * 27 + (ord(char) - ord("a") + 1)
        return (number, rank)
    first, _, rest = part.partition(" ")
    value = word_to_int(first)
    if value is None:
        return None
    rest_fold = fold(rest.strip())
    return (value, latin_suffixes().get(rest_fold, 0))


def is_successor(previous: Key, candidate: Key, *, max_gap: int) -> bool:
    """Whether ``candidate`` can follow ``previous`` in one numbering series.

    Both must share every component but the last; the last must grow, by
    at most ``max_gap`` in its number (letters like 46 → 46A → 46B always
    count as growth of 0).
    """
    if len(previous) != len(candidate) or previous[:-1] != candidate[:-1]:
        return False
    (prev_number, prev_rank), (number, rank) = previous[-1], candidate[-1]
    if number == prev_number:
        return rank > prev_rank
    return prev_number < number <= prev_number + max_gap


def slug(label: str) -> str:
    """Path-safe, stable form of a label: "12 bis" → "12bis", "1er" → "1", "premier" → "1"."""
    text = translate_digits(label.strip())
    prefix = _CODE_PREFIX.match(text)
    if prefix:  # "L. 323-1" (French code article)
        return fold(text[0]) + slug(text[prefix.end() :])
    value = word_to_int(text) if not any(c.isdigit() for c in text) else None
    if value is not None and " " not in text:
        return str(value)
    folded = fold(text)
    folded = _ORDINAL_ENDING.sub("", folded)
    parts = folded.split()
    if len(parts) > 1 and not any(c.isdigit() for c in parts[0]):
        first = word_to_int(parts[0])
        if first is not None:
            parts[0] = str(first)
        return "-".join(_SLUG_DROP.sub("", p) for p in parts if _SLUG_DROP.sub("", p))
    return _STRAY_DOT.sub("", _SLUG_DROP.sub("", folded.replace(" ", ""))) or "x"
