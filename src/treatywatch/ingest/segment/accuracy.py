"""How well a segmentation recovers a law's known list of provisions.

Used by the corpus tests and the benchmarks with the ``expected.json``
ground truth: ``{"units": [{"label", "title", "container"}, ...]}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from treatywatch.ingest.model import ProvisionNode, Segmentation

_TRIM = re.compile(r"^[\s\"“”'‘’«»]+|[\s.:;,\-–—_\"“”'‘’«»]+$")
_DESIGNATOR = re.compile(
    r"^(?:article|art\.?|artículo|articulo|artikel|section|sec\.?|s\.|§|статья|المادة)\s*",
    re.IGNORECASE,
)


def normalise_title(text: str | None) -> str:
    """Case-, space- and edge-punctuation-insensitive form of a heading."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).casefold()
    return _TRIM.sub("", " ".join(text.split()))


def _expected_title(unit: Mapping[str, Any]) -> str:
    """The expected heading, or "" when the source only repeats the number ("Article 431-7")."""
    title = normalise_title(str(unit.get("title") or ""))
    label = normalise_title(str(unit.get("label") or ""))
    designator = _DESIGNATOR.match(title)
    if designator:
        remainder = title[designator.end() :].strip(" °º.")
        if remainder == label or remainder == label.split(" ")[0]:
            return ""
    return title


def _innermost(container: object) -> str:
    if not container:
        return ""
    return normalise_title(str(container).split(" > ")[-1])


def segmentation_accuracy(
    expected_units: Sequence[Mapping[str, Any]], segmentation: Segmentation
) -> dict[str, Any]:
    """Share of expected top-level provisions found with the right number and heading.

    A unit counts as found when a top-level provision has exactly its label;
    its heading matches when equal after normalising case, whitespace and
    edge punctuation, or when the expected title is a prefix of ours (some
    scraped sources cut titles short: "In" for "In camera trial"). Returns
    ``expected``, ``found`` (provisions produced), ``label_recall``,
    ``accuracy`` (label and heading), ``strict_accuracy`` (heading exactly
    equal), ``container_accuracy`` (innermost container heading, over units
    that have one; ours may go on: "Part II – Offences" for "Part II"),
    ``precision`` (share of produced provisions that are expected) and
    lists ``missing``, ``extra``, ``title_mismatches``,
    ``container_mismatches`` for diagnosis.
    """
    pool: dict[str, list[ProvisionNode]] = {}
    for node in segmentation.provisions:
        pool.setdefault(node.label or "", []).append(node)
    matched = exact = lenient = 0
    with_container = container_ok = 0
    missing: list[str] = []
    title_mismatches: list[dict[str, str]] = []
    container_mismatches: list[dict[str, str]] = []
    for unit in expected_units:
        label = str(unit.get("label") or "")
        nodes = pool.get(label)
        if not nodes:
            missing.append(label)
            continue
        node = nodes.pop(0)
        matched += 1
        want = _expected_title(unit)
        got = normalise_title(node.heading)
        if got == want:
            exact += 1
            lenient += 1
        elif want and got.startswith(want):
            lenient += 1
        else:
            title_mismatches.append({"label": label, "expected": want, "found": got})
        if unit.get("container"):
            with_container += 1
            want_container = _innermost(unit.get("container"))
            if normalise_title(node.container).startswith(want_container):
                container_ok += 1
            else:
                container_mismatches.append(
                    {
                        "label": label,
                        "expected": _innermost(unit.get("container")),
                        "found": normalise_title(node.container),
                    }
                )
    total = len(expected_units)
    extra = [label or "(none)" for label, nodes in pool.items() for _ in nodes]
    produced = len(segmentation.provisions)
    return {
        "expected": total,
        "found": produced,
        "label_recall": matched / total if total else 1.0,
        "accuracy": lenient / total if total else 1.0,
        "strict_accuracy": exact / total if total else 1.0,
        "container_accuracy": container_ok / with_container if with_container else 1.0,
        "precision": matched / produced if produced else (1.0 if not total else 0.0),
        "missing": missing,
        "extra": extra,
        "title_mismatches": title_mismatches,
        "container_mismatches": container_mismatches,
    }
