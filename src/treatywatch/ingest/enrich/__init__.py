"""Enrichment: kinds, defined terms, cross-references, penalties and language.

``enrich(segmentation, language)`` fills each node's ``kind`` and
``details`` in place:

- ``kind`` and ``details["kind_reason"]`` on every node (children take
  their provision's kind);
- ``details["penalty"]`` on top-level provisions that set one:
  ``{"max_prison_years", "min_prison_years", "fine", "text"}`` (plus
  ``"inherited_from"`` when the law says "the same penalties");
- ``details["defined_terms"]`` on provisions that define terms;
- ``details["refs"]`` on nodes that cite other provisions.
"""

from __future__ import annotations

from treatywatch.ingest.enrich.apply import enrich
from treatywatch.ingest.enrich.classify import classify
from treatywatch.ingest.enrich.definitions import add_defined_terms
from treatywatch.ingest.enrich.language import detect_language
from treatywatch.ingest.enrich.penalties import extract_penalty
from treatywatch.ingest.enrich.references import add_references

__all__ = [
    "add_defined_terms",
    "add_references",
    "classify",
    "detect_language",
    "enrich",
    "extract_penalty",
]
