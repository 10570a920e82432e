"""Evidence spans as plain text segments, so templates can wrap them in ``<mark>``.

The engine and the detectors point at character offsets in a provision's
"full" text (heading, newline, body with its sub-provisions; see
:class:`treatywatch.align.model.ProvisionText`). Marking is done by
splitting the text into segments here and letting the template print each
one escaped: law text is never turned into markup, so a ``<script>`` in a
law stays visible text. An offset that does not match its quoted words
(text re-ingested since) falls back to the first occurrence of the quote,
and is dropped if the quote is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    why: str  # shown as the mark's title: which signal or cue found it


@dataclass(frozen=True)
class Segment:
    text: str
    mark: bool
    why: str = ""

    def record(self) -> dict[str, Any]:
        return {"text": self.text, "mark": self.mark, "why": self.why}


def locate(full: str, start: Any, end: Any, quote: str | None, why: str) -> Span | None:
    """A span checked against the text, or found again by its quote."""
    in_range = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(full)
    if in_range and (not quote or full[start:end] == quote):
        return Span(start, end, why)
    if quote:
        at = full.find(quote)
        if at < 0:
            at = full.lower().find(quote.lower())
        if at >= 0:
            return Span(at, at + len(quote), why)
    return None


def segments(full: str, spans: Iterable[Span]) -> list[Segment]:
    """``full`` cut into plain and marked pieces; overlapping spans are merged."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in ordered:
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            reasons = last.why if span.why in last.why.split("; ") else f"{last.why}; {span.why}"
            merged[-1] = Span(last.start, max(last.end, span.end), reasons)
        else:
            merged.append(span)
    out: list[Segment] = []
    at = 0
    for span in merged:
        if span.start > at:
            out.append(Segment(full[at : span.start], False))
        out.append(Segment(full[span.start : span.end], True, span.why))
        at = span.end
    if at < len(full):
        out.append(Segment(full[at:], False))
    return out


def alignment_spans(full: str, evidence: dict[str, Any], article: str) -> list[Span]:
    """Spans from an alignment's signals (each engine method lists what it matched)."""
    out = []
    for signal in evidence.get("signals") or []:
        method = str(signal.get("method", "signal"))
        for span in signal.get("spans") or []:
            found = locate(
                full, span.get("start"), span.get("end"), span.get("text"), f"{article} ({method})"
            )
            if found:
                out.append(found)
    return out


def finding_spans(full: str, path: str, evidence: list[Any], criterion: str) -> list[Span]:
    """Spans a finding quotes from this provision."""
    out = []
    for item in evidence or []:
        if not isinstance(item, dict) or item.get("provision") not in (None, path):
            continue
        found = locate(
            full, item.get("start"), item.get("end"), item.get("quote"), f"criterion {criterion}"
        )
        if found:
            out.append(found)
    return out
