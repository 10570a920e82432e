"""Penalties as numbers: the longest prison term a provision allows, and its fine.

The assessment asks whether offences reach the "serious crime" threshold
(at least four years), so the maximum term matters most. Terms are read
only next to a word for imprisonment ("imprisonment", "emprisonnement",
"Freiheitsstrafe", "лишением свободы", "الحبس"), from number words or
digits in any supported language, with the cue before each number
deciding whether it is an upper or lower bound ("not exceeding", "au
moins", "bis zu"). Named scales of Spanish-derived codes ("presidio menor
en su grado máximo", "prision mayor") map to the ranges their codes give.
Life imprisonment is 99 years. Every cue is in ``cues/penalties.yaml``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from treatywatch.ingest.alternation import literal_alternation
from treatywatch.ingest.segment.numbering import fold
from treatywatch.ingest.segment.vocab import all_languages, load_cues, words

LIFE_YEARS = 99.0
# A provision with more penalty clauses than this is not a provision; the cap
# keeps hostile or garbled input from costing more than a normal law.
_MAX_CLAUSES = 200
_DIGITS = r"(?:\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?)"
_SENTENCE_END = re.compile(r"[.;](?:\s+[A-ZÀ-Ý«\"“(]|\s*$)|;")
_FOOTNOTE = re.compile(r"\d\s?\[")
_TRAILING_PAREN_NUMBER = re.compile(r"\(\s?([\d.,\s]+?)\s?\)\s*$")
_NUMBER_WORD_BREAK = re.compile(r"[\s\-,]+")
_GROUPED_DIGITS = re.compile(r"(\d{1,3})((?:[.,\s]\d{3})+)(?:([.,])(\d{1,2}))?")
_DIGIT_GROUPING = re.compile(r"[.,\s]")
_BEFORE_PRISON_WORD = re.compile(r"\s*(?:['’]s?|of|de|d['’])?\s*")  # "five years' imprisonment"


@dataclass(frozen=True)
class Term:
    """A prison term found in the text, in years."""

    max_years: float | None
    min_years: float | None
    start: int
    end: int


def _alternation(items: list[str]) -> str:
    return literal_alternation(items)


def _lower_alternation(value: object) -> str:
    """Cue phrases of every language, lower-cased: texts are matched in lower case, which
    lets the regex engine jump to candidate first letters instead of trying every position."""
    return _alternation([w.lower() for w in all_languages(value)])


def _bounded(text: str, start: int) -> bool:
    """No letter or digit right before ``start`` (the patterns carry no look-behind)."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in ".,")


def lower_same_length(text: str) -> str:
    """``text.lower()`` with every offset unchanged (only "İ" grows when lower-cased)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True)
class _Grammar:
    prison: re.Pattern[str]
    life: re.Pattern[str]
    fine: re.Pattern[str]
    duration: re.Pattern[str]
    range_: re.Pattern[str]
    amount: re.Pattern[str]
    scale: re.Pattern[str]
    maximum: re.Pattern[str]
    minimum: re.Pattern[str]
    minimum_after: re.Pattern[str]
    joiner_only: re.Pattern[str]
    unit_years: dict[str, float]
    implicit: dict[str, tuple[float, str]]
    numbers: dict[str, int]
    scales: list[dict[str, Any]]
    scale_index: dict[str, int]
    currencies: dict[str, str]
    triggers: dict[str, frozenset[str]]


def _years(value: object) -> float:
    """ "540d" → 1.5, "6m" → 0.5, 3 → 3.0 (legal months of 30 days)."""
    text = str(value).strip()
    if text.endswith("d"):
        return round(float(text[:-1]) / 360, 4)
    if text.endswith("m"):
        return round(float(text[:-1]) / 12, 4)
    return float(text)


@cache
def grammar() -> _Grammar:
    cues = load_cues("penalties")
    numbers: dict[str, int] = {}
    raw_numbers = cues.get("number_words") or {}
    if isinstance(raw_numbers, dict):
        for table in raw_numbers.values():
            if isinstance(table, dict):
                numbers.update({str(k).lower(): int(v) for k, v in table.items()})
    unit_years: dict[str, float] = {}
    raw_units = cues.get("time_units") or {}
    if isinstance(raw_units, dict):
        for spec in raw_units.values():
            if isinstance(spec, dict):
                for word in words(spec.get("words")):
                    unit_years[word.lower()] = float(spec.get("value", 1.0))
    implicit: dict[str, tuple[float, str]] = {}
    raw_implicit = cues.get("implicit_units") or {}
    if isinstance(raw_implicit, dict):
        for word, (count, unit) in raw_implicit.items():
            implicit[str(word)] = (float(count), str(unit))
    number_word = _alternation(list(numbers))
    joiners = _alternation(words(cues.get("number_joiners")))
    number = (
        rf"(?:{_DIGITS}|(?:{number_word})(?:(?:[\s\-]|,\s)+(?:(?:{joiners})\s+)?(?:{number_word}))*)"
        rf"(?:\s?\(\s?{_DIGITS}\s?\))?"
    )
    unit_alt = _alternation(list(unit_years) + list(implicit))
    range_joiners = _alternation(words(cues.get("range_joiners")))
    scales: list[dict[str, Any]] = [s for s in cues.get("scales") or [] if isinstance(s, dict)]
    scale_index: dict[str, int] = {}
    for position, scale in enumerate(scales):
        for name in words(scale.get("names")):
            scale_index[fold(name)] = position
    degree_words = _alternation([str(k) for k in (cues.get("degree_words") or {})])
    period_words = _alternation([str(k) for k in (cues.get("period_words") or {})])
    scale_names = _alternation([n.lower() for s in scales for n in words(s.get("names"))])
    currencies = {str(k).lower(): str(v) for k, v in (cues.get("currencies") or {}).items()}
    return _Grammar(
        prison=re.compile(rf"(?:{_lower_alternation(cues.get('prison_words'))})(?!\w)"),
        life=re.compile(rf"(?:{_lower_alternation(cues.get('life_phrases'))})"),
        fine=re.compile(rf"(?:{_lower_alternation(cues.get('fine_words'))})(?!\w)"),
        duration=re.compile(rf"(?:(?P<n>{number})[\s\-]?)?(?P<unit>{unit_alt})(?!\w)"),
        range_=re.compile(
            rf"(?P<a>{number})\s+(?:{range_joiners})\s+(?P<b>{number})\s?(?P<unit>{unit_alt})(?!\w)"
        ),
        amount=re.compile(rf"(?:(?P<sym>us\$|s\$|\$|€|£|php|kshs?\.?)\s?)?(?P<n>{number})(?!\w)"),
        scale=re.compile(
            rf"(?P<name>{scale_names})"
            rf"(?:\s+en\s+sus?\s+grados?\s+(?P<d1>{degree_words})(?:\s+(?:a|al)\s+(?P<d2>{degree_words}))?"
            rf"|\s+in\s+its\s+(?P<period>{period_words})\s+periods?)?"
        ),
        maximum=re.compile(_lower_alternation(cues.get("maximum_cues"))),
        minimum=re.compile(_lower_alternation(cues.get("minimum_cues"))),
        minimum_after=re.compile(
            rf"^\W{{0,3}}(?:{_lower_alternation(cues.get('minimum_after_cues'))})(?!\w)"
        ),
        joiner_only=re.compile(rf"^\s*(?:{range_joiners})\s*$"),
        unit_years=unit_years,
        implicit=implicit,
        numbers=numbers,
        scales=scales,
        scale_index=scale_index,
        currencies=currencies,
        triggers={
            "prison": first_words(all_languages(cues.get("prison_words"))),
            "life": first_words(all_languages(cues.get("life_phrases"))),
            "fine": first_words(all_languages(cues.get("fine_words"))),
            "scale": first_words([n for scale in scales for n in words(scale.get("names"))]),
        },
    )


_WORDS = re.compile(r"[^\W\d_]+")
_ASCII_NON_LETTERS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
_CJK = re.compile(r"[\u4e00-\u9fff]")


def first_words(phrases: list[str]) -> frozenset[str]:
    """One telling word per phrase (its longest), for a cheap "could this text match?" test.

    A text holding a phrase holds all its words, so testing the longest one
    never misses a match, and long words ("perpétuité") are rarer than short
    ones ("la"), so the test rules out more texts.
    """
    firsts = set()
    for phrase in phrases:
        found = _WORDS.findall(phrase.lower())
        if found:
            firsts.add(max(found, key=len))
    return frozenset(firsts)


@dataclass(frozen=True)
class FlatText:
    """A provision's text on one line, lower-cased with the same offsets, and its words.

    Built once per provision and shared by every penalty rule (the clause
    patterns here and the "same penalties" cues in ``enrich.apply``), so the
    text is flattened and split into words once rather than by each rule.
    """

    flat: str
    low: str
    words: set[str]
    every: bool  # CJK text has no spaces between words: no word test can rule a pattern out

    def may_hold(self, triggers: frozenset[str]) -> bool:
        """Whether a phrase whose telling word (``first_words``) is in ``triggers`` can occur."""
        return self.every or not self.words.isdisjoint(triggers)


def flat_text(text: str) -> FlatText:
    flat = " ".join(text.split())
    low = lower_same_length(flat)
    every = not low.isascii() and bool(_CJK.search(low))
    return FlatText(flat, low, _words_in(low), every)


def _words_in(low: str) -> set[str]:
    """``set(_WORDS.findall(low))``, from whitespace-separated chunks: a chunk of letters
    only is one word as it stands, so the regex (and a string per match) is only
    needed for the few chunks with digits or punctuation in them. In ASCII text,
    turning every non-letter into a space (one C-level pass) leaves only words."""
    if low.isascii():
        return set(low.translate(_ASCII_NON_LETTERS).split())
    words = set(low.split())
    odd = [chunk for chunk in words if not chunk.isalpha()]
    if odd:
        words.difference_update(odd)
        words.update(_WORDS.findall(" ".join(odd)))
    return words


def parse_number(text: str) -> float | None:
    """ "five million" → 5e6, "two hundred thousand" → 2e5, "1.000.000" → 1e6, "six (6)" → 6."""
    paren = _TRAILING_PAREN_NUMBER.search(text)
    if paren:
        value = _parse_digits(paren.group(1))
        if value is not None:
            return value
        text = text[: paren.start()]
    text = text.strip()
    if text and text[0].isdigit():
        return _parse_digits(text)
    numbers = grammar().numbers
    total = 0.0
    current = 0.0
    seen = False
    for token in _NUMBER_WORD_BREAK.split(text.lower()):
        if not token:
            continue
        value = numbers.get(token)
        if value is None:
            continue  # a joiner ("and", "et", "y")
        seen = True
        if value == 100:
            current = (current or 1) * 100
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        else:
            current += value
    return total + current if seen else None


def _parse_digits(text: str) -> float | None:
    text = text.strip().replace("\u00a0", " ")
    grouped = _GROUPED_DIGITS.fullmatch(text)
    if grouped:
        whole = grouped.group(1) + _DIGIT_GROUPING.sub("", grouped.group(2))
        decimals = grouped.group(4)
        return float(f"{whole}.{decimals}") if decimals else float(whole)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _duration_years(match: re.Match[str]) -> float | None:
    g = grammar()
    unit = match.group("unit")
    number = match.groupdict().get("n")
    if unit in g.implicit and not number:
        count, kind = g.implicit[unit]
        return count * (1.0 if kind == "years" else 1 / 12)
    per_unit = g.unit_years.get(unit.lower())
    if per_unit is None:
        return None
    value = parse_number(number) if number else None
    if value is None:
        return None
    return round(value * per_unit, 4)


def _window_after(text: str, low: str, start: int, limit: int = 260) -> str:
    """Lower-case text after a prison word, up to the fine clause or the sentence's end."""
    window = low[start : start + limit]
    cut = len(window)
    fine = grammar().fine.search(window)
    if fine:
        cut = min(cut, fine.start())
    end = _SENTENCE_END.search(text, start, start + cut)
    if end:
        cut = min(cut, end.start() - start)
    return window[:cut]


def _terms_near_prison_words(text: str, low: str) -> list[Term]:
    g = grammar()
    terms: list[Term] = []
    for keyword in itertools.islice(g.prison.finditer(low), _MAX_CLAUSES):
        if not _bounded(low, keyword.start()):
            continue
        after_start = keyword.end()
        window = _FOOTNOTE.sub(" ", _window_after(text, low, after_start))
        term = _read_window(window, after_start)
        if term is not None:
            term = Term(term.max_years, term.min_years, keyword.start(), term.end)
        if term is None:
            before_start = max(0, keyword.start() - 60)
            term = _read_before(low[before_start : keyword.start()], before_start)
        if term is not None:
            terms.append(term)
    return terms


def _role(prefix: str) -> str:
    """ "max", "min" or "" from the cue nearest before a number."""
    g = grammar()
    best: tuple[int, int, str] | None = None  # (end, length, role): nearest, then longest
    for role, pattern in (("min", g.minimum), ("max", g.maximum)):
        for match in pattern.finditer(prefix):
            if not _word_bounded(prefix, match):
                continue
            candidate = (match.end(), match.end() - match.start(), role)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else ""


def _word_bounded(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return not (before.isalpha() or after.isalpha())


_RANGE_REACH = 120
# How far a prison term may sit from the prison word or the previous term
# ("imprisonment for a term which may extend to three years" is 35 characters).
_NEAR = 65
_FILLER = re.compile(r"^(?:\s|,|:|of|for|a|term|the|de|d['’]|du|un|une)*$")


def _only_filler(text: str) -> bool:
    """Nothing but small words between a prison word and a range ("for a term of 1 to 5 years")."""
    return bool(_FILLER.match(text))


def _read_window(window: str, offset: int) -> Term | None:
    g = grammar()
    maxima: list[float] = []
    minima: list[float] = []
    position = 0
    end = 0
    # A range right after the prison word ("… of 1 to 5 years"): only the
    # window's opening words can hold one, so only they are searched.
    ranged = next(
        (m for m in g.range_.finditer(window[:_RANGE_REACH]) if _bounded(window, m.start())), None
    )
    if ranged and _only_filler(window[: ranged.start()]):
        unit = g.unit_years.get(ranged.group("unit").lower(), 1.0)
        low, high = parse_number(ranged.group("a")), parse_number(ranged.group("b"))
        if low is not None and high is not None:
            return Term(round(high * unit, 4), round(low * unit, 4), offset, offset + ranged.end())
    previous_value: float | None = None
    for match in g.duration.finditer(window):
        if not _bounded(window, match.start()):
            continue
        value = _duration_years(match)
        if value is None:
            continue
        prefix = window[position : match.start()]
        if match.start() - position > _NEAR or (previous_value is None and ", " in prefix):
            break  # a later clause ("…, for a period of four months"), not the sentence
        role = _role(prefix)
        if g.minimum_after.match(window[match.end() : match.end() + 16]):
            role = "min"  # "four years or more"
        if previous_value is not None and g.joiner_only.match(prefix):
            if previous_value in maxima:
                maxima.remove(previous_value)
            minima.append(previous_value)
            role = "max"
        if role == "min":
            minima.append(value)
        else:
            maxima.append(value)
        previous_value = value
        position = end = match.end()
    if not maxima and not minima:
        return None
    return Term(
        max(maxima) if maxima else None,
        min(minima) if minima else None,
        offset,
        offset + max(end, 1),
    )


def _read_before(window: str, offset: int) -> Term | None:
    """ "five years' imprisonment", "cinq ans d'emprisonnement", "de 5 à 10 ans de réclusion"."""
    g = grammar()
    ranged = None
    for candidate in g.range_.finditer(window):
        if _bounded(window, candidate.start()):
            ranged = candidate
    if ranged and _BEFORE_PRISON_WORD.fullmatch(window[ranged.end() :]):
        unit = g.unit_years.get(ranged.group("unit").lower(), 1.0)
        low, high = parse_number(ranged.group("a")), parse_number(ranged.group("b"))
        if low is not None and high is not None:
            return Term(
                round(high * unit, 4),
                round(low * unit, 4),
                offset + ranged.start(),
                offset + len(window),
            )
    last = None
    for candidate in g.duration.finditer(window):
        if _bounded(window, candidate.start()):
            last = candidate
    if last and _BEFORE_PRISON_WORD.fullmatch(window[last.end() :]):
        value = _duration_years(last)
        if value is not None:
            if _role(window[: last.start()][-30:]) == "min":  # "d'au moins quatre ans d'…"
                return Term(None, value, offset + last.start(), offset + len(window))
            return Term(value, None, offset + last.start(), offset + len(window))
    return None


def _scale_terms(low: str) -> list[Term]:
    g = grammar()
    terms: list[Term] = []
    degree_names = {
        fold(str(k)): str(v) for k, v in (load_cues("penalties").get("degree_words") or {}).items()
    }
    period_names = {
        str(k).lower(): int(v)
        for k, v in (load_cues("penalties").get("period_words") or {}).items()
    }
    for match in itertools.islice(g.scale.finditer(low), _MAX_CLAUSES):
        if not _bounded(low, match.start()):
            continue
        scale = g.scales[g.scale_index[fold(match.group("name"))]]
        degrees = scale.get("degrees")
        lo: float | None = None
        hi: float | None = None
        if isinstance(degrees, dict):
            chosen = [d for d in (match.group("d1"), match.group("d2")) if d]
            if not chosen:
                if scale.get("needs_degree"):
                    continue
                chosen = list(degrees)
            picked = [degrees.get(degree_names.get(fold(d), d)) for d in chosen]
            spans = [b for b in picked if isinstance(b, list) and len(b) == 2]
            if not spans:
                continue
            lo, hi = min(_years(b[0]) for b in spans), max(_years(b[1]) for b in spans)
        else:
            bounds = scale.get("range")
            if not isinstance(bounds, list) or len(bounds) != 2:
                continue
            lo, hi = _years(bounds[0]), _years(bounds[1])
            period = match.group("period")
            if period:
                third = (hi - lo) / 3
                index = period_names.get(period.lower(), 2)
                lo, hi = lo + third * index, lo + third * (index + 1)
        terms.append(Term(round(hi, 4), round(lo, 4), match.start(), match.end()))
    return terms


def _life_terms(low: str) -> list[Term]:
    return [
        Term(LIFE_YEARS, None, m.start(), m.end())
        for m in itertools.islice(grammar().life.finditer(low), _MAX_CLAUSES)
        if _bounded(low, m.start())
    ]


def extract_fine(text: str, low: str | None = None) -> dict[str, Any] | None:
    """The largest fine amount printed after a fine word, with its currency as printed."""
    g = grammar()
    low = lower_same_length(text) if low is None else low
    best: tuple[float, str | None] | None = None
    for keyword in itertools.islice(g.fine.finditer(low), _MAX_CLAUSES):
        if not _bounded(low, keyword.start()):
            continue
        start = keyword.end()
        window = low[start : start + 200]
        prison = g.prison.search(window)
        if prison:
            window = window[: prison.start()]
        end = _SENTENCE_END.search(text, start, start + len(window))
        if end:
            window = window[: end.start() - start]
        currency = _currency(window, keyword.group(0))
        for match in g.amount.finditer(window):
            if not _bounded(window, match.start()):
                continue
            following = window[match.end() : match.end() + 12].lower().split()
            if following and following[0].strip(".,;") in g.unit_years:
                continue  # a duration, not an amount
            value = parse_number(match.group("n"))
            if value is None or value <= 0:
                continue
            symbol = match.group("sym")
            cur = g.currencies.get(symbol.lower().rstrip("."), symbol) if symbol else currency
            if best is None or value > best[0]:
                best = (value, cur)
    if best is None:
        return None
    return {"amount": best[0], "currency": best[1]}


@cache
def _currency_pattern() -> re.Pattern[str]:
    names = literal_alternation(
        grammar().currencies, lambda name: r"(?!\w)" if name[-1:].isalpha() else ""
    )
    return re.compile(rf"(?<!\w)(?:{names})|[$€£]")


def _currency(window: str, keyword: str) -> str | None:
    """The first currency printed in a fine clause, as a code where one is unambiguous."""
    match = _currency_pattern().search(window)
    if match:
        word = match.group(0).lower()
        return grammar().currencies.get(word, word)
    if fold(keyword) == "penalty units":
        return "penalty units"
    return None


def extract_penalty(text: str) -> dict[str, Any] | None:
    """``{"max_prison_years", "min_prison_years", "fine", "text"}`` or None when no penalty."""
    return penalty_in(flat_text(text))


def penalty_in(text: FlatText) -> dict[str, Any] | None:
    """:func:`extract_penalty` for a text already flattened by :func:`flat_text`."""
    flat, low = text.flat, text.low
    # Most provisions name no penalty: the words of the text decide which of
    # the (slower) clause patterns are worth running at all.
    triggers = grammar().triggers

    def wanted(kind: str) -> bool:
        return text.may_hold(triggers[kind])

    terms: list[Term] = []
    if wanted("life"):
        terms += _life_terms(low)
    if wanted("scale"):
        terms += _scale_terms(low)
    if wanted("prison"):
        terms += _terms_near_prison_words(flat, low)
    fine = extract_fine(flat, low) if wanted("fine") else None
    with_max = [t for t in terms if t.max_years is not None]
    if with_max:
        best = max(with_max, key=lambda t: t.max_years or 0.0)
        return {
            "max_prison_years": best.max_years,
            "min_prison_years": best.min_years,
            "fine": fine,
            "text": flat[best.start : best.end].strip(),
        }
    if terms:
        lowest = terms[0]
        return {
            "max_prison_years": None,
            "min_prison_years": lowest.min_years,
            "fine": fine,
            "text": flat[lowest.start : lowest.end].strip(),
        }
    if fine is not None:
        return {"max_prison_years": None, "min_prison_years": None, "fine": fine, "text": ""}
    return None
