"""Running every enrichment over a segmentation, in the order they depend on each other."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from treatywatch.ingest.alternation import literal_alternation
from treatywatch.ingest.enrich.classify import classify
from treatywatch.ingest.enrich.definitions import add_defined_terms
from treatywatch.ingest.enrich.penalties import FlatText, first_words, flat_text, penalty_in
from treatywatch.ingest.enrich.references import add_references
from treatywatch.ingest.model import Container, ProvisionNode, Segmentation
from treatywatch.ingest.segment.vocab import all_languages, load_cues

_PENAL_KINDS = frozenset({"offence", "penalty", "general", "procedural", "preventive", "other"})


@cache
def _penalty_cue(key: str) -> tuple[re.Pattern[str], frozenset[str]]:
    """The cue pattern, matched on lower-cased text (no IGNORECASE: that makes long
    alternations slow), and the telling word of each cue: a text without any of
    them cannot match, and most provisions are ruled out by that set test alone."""
    cues = [c.strip().lower() for c in all_languages(load_cues("penalties").get(key))]
    return re.compile(rf"\b(?:{literal_alternation(cues)})(?!\w)"), first_words(cues)


def _find_cue(key: str, text: FlatText) -> re.Match[str] | None:
    pattern, triggers = _penalty_cue(key)
    return pattern.search(text.low) if text.may_hold(triggers) else None


def enrich(segmentation: Segmentation, language: str | None = None) -> None:
    """Classify, then find defined terms, cross-references and penalties, in place.

    The cue lists cover every supported language at once (laws quote terms
    and cite each other across languages), so ``language`` is not needed to
    choose them; it is accepted so callers that know it can pass it along.
    """
    del language
    containers = {c.path: c for c in segmentation.containers}
    # each provision's whole text, joined once for the classifier and the penalties
    full_texts = [node.full_text for node in segmentation.provisions]
    for node, full_text in zip(segmentation.provisions, full_texts, strict=True):
        node.kind = classify(node, _container_context(node, containers), full_text=full_text)
        reason = f"part of {node.path}"
        for child, depth in node.walk():
            if depth > 1:
                child.kind = node.kind
                child.details["kind_reason"] = reason
    add_defined_terms(segmentation)
    add_references(segmentation)
    _add_penalties(segmentation, full_texts)


def _container_context(node: ProvisionNode, containers: dict[str, Container]) -> str | None:
    """Headings of the containers around a provision, outermost first."""
    path = node.details.get("container_path")
    chain: list[str] = []
    while isinstance(path, str) and path in containers:
        container = containers[path]
        chain.append(container.heading or "")
        path = container.parent_path
    if chain:
        return " > ".join(reversed(chain))
    return node.container


def _add_penalties(segmentation: Segmentation, full_texts: list[str]) -> None:
    by_path = {node.path: node for node in segmentation.provisions}
    previous: ProvisionNode | None = None
    for node, full_text in zip(segmentation.provisions, full_texts, strict=True):
        if node.kind == "definition":
            continue
        text = flat_text(full_text)
        penalty = penalty_in(text)
        if (penalty is None or penalty["max_prison_years"] is None) and node.kind in _PENAL_KINDS:
            inherited = _inherited_penalty(node, text, by_path, previous)
            if inherited is not None:
                penalty = inherited
        if penalty is not None:
            node.details["penalty"] = penalty
            if penalty.get("max_prison_years") is not None:
                previous = node
        elif node.kind == "offence":
            previous = None  # "the same penalties" never reaches past an offence without one


def _inherited_penalty(
    node: ProvisionNode,
    flat: FlatText,
    by_path: dict[str, ProvisionNode],
    previous: ProvisionNode | None,
) -> dict[str, Any] | None:
    """ "Sera puni des mêmes peines": the cited provision's penalty, or the previous one's."""
    cue = _find_cue("same_penalty_cues", flat)
    may_use_previous = cue is not None
    if cue is None:
        cue = _find_cue("cited_penalty_cues", flat)
    if cue is None:
        return None
    text = flat.flat
    source: ProvisionNode | None = None
    for descendant, _depth in node.walk():
        for ref in descendant.details.get("refs", []):
            target = ref.get("target")
            top = by_path.get(str(target).split("/")[0]) if target else None
            if top is not None and top is not node and _has_term(top):
                source = top
                break
        if source is not None:
            break
    if source is None and may_use_previous and previous is not None and _has_term(previous):
        source = previous
    if source is None:
        return None
    base = dict(source.details["penalty"])
    sentence_end = text.find(".", cue.end())
    base["text"] = text[cue.start() : sentence_end if sentence_end > 0 else cue.end()].strip()
    base["inherited_from"] = source.path
    return base


def _has_term(node: ProvisionNode) -> bool:
    penalty = node.details.get("penalty")
    return isinstance(penalty, dict) and penalty.get("max_prison_years") is not None
