"""Internal cross-references ("section 5(2)", "articles 431-8 à 431-12", "§ 202a Abs. 2").

Each reference found in a node's own text is recorded as ``{"text", "start",
"end", "target"}`` in ``node.details["refs"]``; offsets are into
``node.text``. ``target`` is the path of the provision (or sub-provision)
it points to when that exists in the same law, the deepest existing
ancestor when the cited subsection is missing, and None for references to
other laws ("section 5 of the Penal Code") or to numbers this law lacks.
A range ("sections 3 to 5") yields one entry per provision it covers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from treatywatch.ingest.alternation import literal_alternation
from treatywatch.ingest.model import ProvisionNode, Segmentation
from treatywatch.ingest.segment.numbering import label_key, slug
from treatywatch.ingest.segment.vocab import load_cues, words

# {"text": str, "start": int, "end": int, "target": str | None}
Ref = dict[str, Any]

_LABEL = (
    r"\d{1,5}(?:(?:\.|[\-–]\s?)\d{1,4}){0,3}(?:[A-Za-z]{1,3}(?![A-Za-z]))?"
    r"(?:\s?(?:bis|ter|quater|quinquies|sexies)(?!\w))?(?:\s?[°º])?"
)
_SUBPART = r"(?:\s?\(\s?[0-9A-Za-z]{1,5}\s?\))"
_DIGIT = re.compile(r"\d")
_PARENTHESISED = re.compile(r"\(\s?[0-9A-Za-z]{1,5}\s?\)")
_SPACED_NUMBER = re.compile(r"\s(\d{1,3}[a-z]?)")


def _any_case_alternation(items: list[str]) -> str:
    parts = []
    for item in sorted(set(items), key=len, reverse=True):
        escaped = re.escape(item.rstrip("."))
        if item.endswith("."):
            escaped += r"\."  # abbreviations need their dot: "s." but not "s"
        elif item[-1:].isalpha():
            escaped += r"(?!\w)"
        parts.append(escaped)
    return "|".join(parts)


def _alternation(items: list[str]) -> str:
    """``_any_case_alternation`` as a trie, for the patterns matched on lower-cased text
    (they scan every node's text; see ``ingest.alternation``)."""
    literals = [item.rstrip(".") + "." if item.endswith(".") else item for item in items]
    return literal_alternation(literals, lambda lit: r"(?!\w)" if lit[-1:].isalpha() else "")


@dataclass(frozen=True)
class _Grammar:
    absolute: re.Pattern[str]
    relative: re.Pattern[str]
    subsection_words: frozenset[str]
    item: re.Pattern[str]
    range_joiner: re.Pattern[str]
    internal_after: re.Pattern[str]
    external_after: re.Pattern[str]
    external_after_cased: re.Pattern[str] | None


@cache
def grammar() -> _Grammar:
    cues = load_cues("references")
    raw = cues.get("provision_words") or {}
    keywords = [w for items in raw.values() for w in words(items)] if isinstance(raw, dict) else []
    subs = cues.get("sub_words") or {}
    sub_words = (
        [w for items in subs.values() for w in words(items)] if isinstance(subs, dict) else []
    )
    sub_alt = _alternation([w.lower() for w in sub_words])
    german = rf"(?:\s(?:{sub_alt})\s?\d{{1,3}}[a-z]?)"
    one = rf"{_LABEL}{_SUBPART}{{0,4}}{german}{{0,3}}"
    joiners = _alternation(
        [w.lower() for w in words(cues.get("list_joiners")) + words(cues.get("range_joiners"))]
    )
    lower_keywords = [k.lower() for k in keywords]
    listed = rf"{one}(?:\s?(?:{joiners})\s?(?:(?:{_alternation(lower_keywords)})\s?)?{one}){{0,12}}"
    # Matched against lower-cased text and without a leading look-behind, so
    # the engine can skip to candidate first letters (see ``_starts_word``).
    absolute = re.compile(rf"(?P<kw>{_alternation(lower_keywords)})\s?(?P<list>{listed})")
    relative_words = [
        w.lower() for w in words(cues.get("relative_words")) + words(cues.get("subsection_words"))
    ]
    relative = re.compile(
        rf"(?P<kw>{_alternation(relative_words)})\s?"
        rf"(?P<label>\(\s?[0-9a-z]{{1,5}}\s?\)|\d{{1,3}}[a-z]?)(?P<sub>{_SUBPART}{{0,3}})"
    )
    german_any_case = rf"(?:\s(?:{_any_case_alternation(sub_words)})\s?\d{{1,3}}[a-z]?)"
    item = re.compile(
        rf"(?P<label>{_LABEL})(?P<sub>{_SUBPART}{{0,4}})(?P<german>{german_any_case}{{0,3}})",
        re.IGNORECASE,
    )
    range_joiner = re.compile(
        rf"^\s?(?:{_alternation([w.lower() for w in words(cues.get('range_joiners'))])})\s?$"
    )
    internal = _any_case_alternation(words(cues.get("internal_after")))
    external_plain = [p for p in words(cues.get("external_after")) if "[A-Z" not in p]
    external_cased = [p for p in words(cues.get("external_after")) if "[A-Z" in p]
    return _Grammar(
        absolute=absolute,
        relative=relative,
        subsection_words=frozenset(w.lower() for w in words(cues.get("subsection_words"))),
        item=item,
        range_joiner=range_joiner,
        internal_after=re.compile(rf"^\W{{0,3}}(?:{internal})", re.IGNORECASE),
        external_after=re.compile(rf"^\W{{0,3}}(?:{'|'.join(external_plain)})", re.IGNORECASE),
        external_after_cased=(
            re.compile(rf"^\W{{0,3}}(?:{'|'.join(external_cased)})") if external_cased else None
        ),
    )


class _Index:
    """Provisions by label slug, and children by label, for resolving references."""

    def __init__(self, segmentation: Segmentation) -> None:
        self.top: dict[str, ProvisionNode] = {}
        self.order: list[ProvisionNode] = []
        for node in segmentation.provisions:
            if node.label:
                self.top.setdefault(slug(node.label), node)
                self.order.append(node)

    def provision(self, label: str) -> ProvisionNode | None:
        return self.top.get(slug(label))

    def between(self, first: str, last: str) -> list[ProvisionNode]:
        """Provisions from ``first`` to ``last`` inclusive, in document order."""
        start, end = self.provision(first), self.provision(last)
        if start is None or end is None:
            return []
        try:
            i, j = self.order.index(start), self.order.index(end)
        except ValueError:
            return []
        return self.order[i : j + 1] if i <= j and j - i <= 200 else []


def _descend(node: ProvisionNode, labels: list[str]) -> ProvisionNode:
    """The deepest existing node along ``labels`` ("(2)(a)" → child 2, grandchild a)."""
    current = node
    for label in labels:
        child = next((c for c in current.children if c.label == label), None)
        if child is None:
            break
        current = child
    return current


def _sub_labels(text: str) -> list[str]:
    labels = [m.strip("() ") for m in _PARENTHESISED.findall(text)]
    labels += _SPACED_NUMBER.findall(text)  # "Abs. 2 Nr. 3" → 2, 3
    return labels


_AMENDING_ACT_BEFORE = re.compile(
    r"(?:\bact\s+no\.?\s*[\dIVXLC]+\s+of\s+\d{4}|\b[A-Z][a-z]+\s+(?:Act|Code|Ordinance)(?:,?\s+\d{4})?)"
    r"\s*,?\s*$",
    re.IGNORECASE,
)


def _is_external_before(before: str) -> bool:
    """ "(Act No. 17 of 2025, s. 4.)": the section of another (amending) law."""
    return bool(_AMENDING_ACT_BEFORE.search(before))


def _is_external(after: str) -> bool:
    g = grammar()
    if g.internal_after.match(after):
        return False
    if g.external_after.match(after):
        return True
    return bool(g.external_after_cased and g.external_after_cased.match(after))


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "§-")


def find_references(
    node: ProvisionNode, top: ProvisionNode, index: _Index, ancestors: list[ProvisionNode]
) -> list[Ref]:
    text = node.text
    if not text:
        return []
    g = grammar()
    lowered = text.lower()
    low = lowered if len(lowered) == len(text) else text
    refs: list[Ref] = []
    # a provision number is digits: a text without any cites no provision by number
    for match in g.absolute.finditer(low) if _DIGIT.search(low) else ():
        if not _starts_word(low, match.start()):
            continue
        external = _is_external(text[match.end() : match.end() + 60]) or _is_external_before(
            text[max(0, match.start() - 40) : match.start()]
        )
        list_start = match.start("list")
        items = list(g.item.finditer(text, list_start, match.end("list")))
        previous: re.Match[str] | None = None
        for position, item in enumerate(items):
            start = item.start()
            end = item.end()
            label = item.group("label").strip(" °º")
            if label_key(label) is None:
                continue
            shown_start = match.start() if position == 0 else start
            target: str | None = None
            if previous is not None and previous.group("german") and not item.group("german"):
                # "§ 149 Abs. 2 und 3": the 3 is another Absatz of § 149
                parent = None if external else index.provision(previous.group("label").strip(" °º"))
                parts = [*_sub_labels(previous.group("german"))[:-1], label]
                refs.append(
                    _ref(text, start, end, _descend(parent, parts).path if parent else None)
                )
                continue
            if not external:
                provision = index.provision(label)
                if provision is not None:
                    subs = _sub_labels(item.group("sub") + item.group("german"))
                    target = _descend(provision, subs).path
            if previous is not None and not external:
                gap = low[previous.end() : item.start()]
                if g.range_joiner.match(gap):
                    first = previous.group("label").strip(" °º")
                    for middle in index.between(first, label)[1:-1]:
                        refs.append(_ref(text, previous.start(), end, middle.path))
            refs.append(_ref(text, shown_start, end, target))
            previous = item
    covered = sorted((r["start"], r["end"]) for r in refs)
    starts = [start for start, _ in covered]
    for match in g.relative.finditer(low):
        if not _starts_word(low, match.start()):
            continue
        before = bisect.bisect_right(starts, match.start()) - 1
        if before >= 0 and covered[before][0] <= match.start() < covered[before][1]:
            continue  # "Abs. 2" inside "§ 202a Abs. 2", already recorded
        original = text[match.start("label") : match.end("sub")]
        labels = (
            _sub_labels(" " + original)
            if original.startswith("(")
            else [match.group("label"), *_sub_labels(text[match.start("sub") : match.end("sub")])]
        )
        target = None
        scopes = (
            [top] if match.group("kw") in g.subsection_words else [node, *reversed(ancestors), top]
        )
        if not _is_external(text[match.end() : match.end() + 60]):
            for ancestor in scopes:
                found = _descend(ancestor, labels)
                if found is not ancestor:
                    target = found.path
                    break
        refs.append(_ref(text, match.start(), match.end(), target))
    refs.sort(key=lambda r: (r["start"], r["end"]))
    return refs


def _ref(text: str, start: int, end: int, target: str | None) -> Ref:
    return {"text": text[start:end], "start": start, "end": end, "target": target}


def add_references(segmentation: Segmentation) -> None:
    """Fill ``details["refs"]`` on every node whose text cites another provision."""
    index = _Index(segmentation)

    def visit(node: ProvisionNode, top: ProvisionNode, ancestors: list[ProvisionNode]) -> None:
        refs = find_references(node, top, index, ancestors)
        if refs:
            node.details["refs"] = refs
        for child in node.children:
            visit(child, top, [*ancestors, node])

    for provision in segmentation.provisions:
        visit(provision, provision, [])
