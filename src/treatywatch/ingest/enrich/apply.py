"""Running every enrichment over a segmentation, in the order they depend on each other."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from treatywatch.ingest.enrich.classify import classify
from treatywatch.ingest.enrich.definitions import add_defined_terms
from treatywatch.ingest.enrich.penalties import extract_penalty, lower_same_length
from treatywatch.ingest.enrich.references import add_references
from treatywatch.ingest.model import Container, ProvisionNode, Segmentation
from treatywatch.ingest.segment.vocab import all_languages, load_cues

_PENAL_KINDS = frozenset({"offence", "penalty", "general", "procedural", "preventive", "other"})


@cache
def _penalty_cue(key: str) -> re.Pattern[str]:
    """Matched on lower-cased text (no IGNORECASE: that makes long alternations slow)."""
    cues = [c.strip().lower() for c in all_languages(load_cues("penalties").get(key))]
    alternation = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})(?!\w)")


def enrich(segmentation: Segmentation, language: str | None = None) -> None:
    """Classify, then find defined terms, cross-references and penalties, in place.

    The cue lists cover every supported language at once (laws quote terms
    and cite each other across languages), so ``language`` is not needed to
    choose them; it is accepted so callers that know it can pass it along.
    """
    del language
    containers = {c.path: c for c in segmentation.containers}
    for node in segmentation.provisions:
        node.kind = classify(node, _container_context(node, containers))
        for child, depth in node.walk():
            if depth > 1:
                child.kind = node.kind
                child.details["kind_reason"] = f"part of {node.path}"
    add_defined_terms(segmentation)
    add_references(segmentation)
    _add_penalties(segmentation)


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


def _add_penalties(segmentation: Segmentation) -> None:
    by_path = {node.path: node for node in segmentation.provisions}
    previous: ProvisionNode | None = None
    for node in segmentation.provisions:
        if node.kind == "definition":
            continue
        penalty = extract_penalty(node.full_text)
        if (penalty is None or penalty["max_prison_years"] is None) and node.kind in _PENAL_KINDS:
            inherited = _inherited_penalty(node, by_path, previous)
            if inherited is not None:
                penalty = inherited
        if penalty is not None:
            node.details["penalty"] = penalty
            if penalty.get("max_prison_years") is not None:
                previous = node
        elif node.kind == "offence":
            previous = None  # "the same penalties" never reaches past an offence without one


def _inherited_penalty(
    node: ProvisionNode, by_path: dict[str, ProvisionNode], previous: ProvisionNode | None
) -> dict[str, Any] | None:
    """ "Sera puni des mêmes peines": the cited provision's penalty, or the previous one's."""
    text = " ".join(node.full_text.split())
    low = lower_same_length(text)
    cue = _penalty_cue("same_penalty_cues").search(low)
    may_use_previous = cue is not None
    if cue is None:
        cue = _penalty_cue("cited_penalty_cues").search(low)
    if cue is None:
        return None
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
