"""Defined terms ("“computer system” means …") and where the law uses them.

Terms come from the definition entries the segmenter already recognised
(quoted term + "means"/"désigne"/"significa"), from numbered items of a
definitions provision that start with a quoted term, and from unquoted
items of the form "Term: …" or "Term refers to …" inside a provision
classified as definitions. Usage is found with one pass of a single
compiled pattern over every node's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from treatywatch.ingest.enrich.cuelist import CueList, printed_words, tokenize
from treatywatch.ingest.model import ProvisionNode, Segmentation
from treatywatch.ingest.segment.outline import definition_term, read_marker
from treatywatch.ingest.segment.vocab import all_languages, load_cues

_QUOTED_AFTER_MARKER = re.compile(
    r"^\[?\s?[\"“«„'‘`]{1,2}\s?(?P<term>[^\"”»“'’`]{1,100}?)\s?[\"”»'’]"
)
_COLON_TERM = re.compile(r"^(?P<term>[^\W\d_][^:;.,()\"“”]{1,80}?)\s?:\s")


@dataclass
class DefinedTerm:
    term: str
    path: str
    used_in: list[str] = field(default_factory=list)


@cache
def _unquoted_verbs() -> re.Pattern[str]:
    verbs = all_languages(load_cues("definitions").get("unquoted_verbs"))
    alternation = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(
        rf"^(?P<term>[^\W\d_][\w\s\-’']{{1,80}}?)\s(?:{alternation})\b", re.IGNORECASE
    )


@cache
def _max_words() -> int:
    return int(load_cues("definitions").get("max_term_words") or 7)


def _after_marker(text: str) -> str:
    marker = read_marker(text)
    return marker[1] if marker else text


def _term_of(node: ProvisionNode, in_definitions: bool) -> str | None:
    detail = node.details.get("term")
    if isinstance(detail, str) and detail:
        return detail
    body = _after_marker(node.text)
    term = definition_term(body)
    if term:
        return term
    quoted = _QUOTED_AFTER_MARKER.match(body)
    if quoted and in_definitions:
        return quoted.group("term").strip()
    if in_definitions and node.label is not None:
        for pattern in (_unquoted_verbs(), _COLON_TERM):
            match = pattern.match(body)
            if match and len(match.group("term").split()) <= _max_words():
                term = match.group("term").strip()
                return term[0].lower() + term[1:] if _is_sentence_case(term) else term
    return None


def _is_sentence_case(term: str) -> bool:
    """ "Computer data" (capital only because it starts an item) → "computer data"."""
    words = term.split()
    return (
        len(words) >= 1
        and words[0][:1].isupper()
        and words[0][1:].islower()
        and all(w.islower() or not w.isalpha() for w in words[1:])
    )


def collect_terms(segmentation: Segmentation) -> list[tuple[ProvisionNode, DefinedTerm]]:
    """Every defined term with the top-level provision that defines it."""
    found: list[tuple[ProvisionNode, DefinedTerm]] = []
    for provision in segmentation.provisions:
        in_definitions = provision.kind == "definition"
        for node, depth in provision.walk():
            if depth == 1:
                continue
            term = _term_of(node, in_definitions)
            if term and 1 <= len(term) <= 100:
                found.append((provision, DefinedTerm(term, node.path)))
    return found


def _usage_cues(terms: list[DefinedTerm]) -> CueList:
    """Every term and its plural, labelled with the term's position in ``terms``."""
    cues: list[str] = []
    labels: list[str] = []
    for position, entry in enumerate(terms):
        for form in (entry.term, entry.term + "s", entry.term + "es"):
            cues.append(form)
            labels.append(str(position))
    return CueList(cues, labels)


def add_defined_terms(segmentation: Segmentation) -> None:
    """``details["defined_terms"]`` on each defining provision: term, path, used_in paths."""
    found = collect_terms(segmentation)
    if not found:
        return
    terms = [entry for _, entry in found]
    cues = _usage_cues(terms)
    seen: list[set[str]] = [set() for _ in terms]
    for provision in segmentation.provisions:
        for node, _depth in provision.walk():
            if not node.text:
                continue
            tokens = tokenize(node.text)
            printed: list[str] | None = None
            for index, cue in cues.positions(tokens):
                position = int(cue.label)
                entry = terms[position]
                if entry.term[:1].isupper():
                    # "Authority" (defined) is not the ordinary word "authority"
                    printed = printed_words(node.text) if printed is None else printed
                    if len(printed) == len(tokens) and not printed[index][:1].isupper():
                        continue
                if node.path == entry.path or node.path.startswith(entry.path + "/"):
                    continue
                if node.path not in seen[position]:
                    seen[position].add(node.path)
                    entry.used_in.append(node.path)
    by_provision: dict[int, list[dict[str, object]]] = {}
    for provision, entry in found:
        by_provision.setdefault(id(provision), []).append(
            {"term": entry.term, "path": entry.path, "used_in": entry.used_in}
        )
    for provision in segmentation.provisions:
        entries = by_provision.get(id(provision))
        if entries:
            provision.details["defined_terms"] = entries
