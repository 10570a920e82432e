"""Colours and short marks for verdicts, shared by every chart and table.

Colour is never the only carrier of meaning: each status also has a
one-letter mark printed in heatmap cells and a word in tables, so reports
stay readable in greyscale print and for colour-blind readers (the hues
are from the ColorBrewer RdYlBu scheme, which is colour-blind safe).
"""

from __future__ import annotations

import itertools

STATUS_COLOURS = {
    "fails": "#d73027",
    "not-addressed": "#fc8d59",
    "partly": "#fee090",
    "needs-review": "#91bfdb",
    "meets": "#4575b4",
    "not-assessed": "#e0e0e0",
}
STATUS_MARKS = {
    "fails": "F",
    "not-addressed": "N",
    "partly": "P",
    "needs-review": "?",
    "meets": "M",
    "not-assessed": "–",
}
STATUS_LABELS = {
    "fails": "fails",
    "not-addressed": "not addressed",
    "partly": "partly",
    "needs-review": "needs review",
    "meets": "meets",
    "not-assessed": "not assessed",
}
DARK_TEXT_ON = frozenset({"partly", "needs-review", "not-assessed"})

COVERAGE_COLOURS = {"implemented": "#4575b4", "partial": "#fee090", "not-found": "#d73027"}
COVERAGE_MARKS = {"implemented": "I", "partial": "P", "not-found": "–"}

LEDGER_COLOURS = {
    "party": "#1b7837",
    "consented": "#5aae61",
    "signatory": "#a6dba0",
    "withdrawn": "#762a83",
    "not-signed": "#c2a5cf",
    "none": "#f0f0f0",
}
NO_DATA = "#f0f0f0"


def score_colour(score: float | None) -> str:
    """A 0–100 score on a red → yellow → blue ramp (the status hues, interpolated)."""
    if score is None:
        return NO_DATA
    stops = [(0.0, (0xD7, 0x30, 0x27)), (50.0, (0xFE, 0xE0, 0x90)), (100.0, (0x45, 0x75, 0xB4))]
    value = min(max(score, 0.0), 100.0)
    for (x0, c0), (x1, c1) in itertools.pairwise(stops):
        if value <= x1:
            t = (value - x0) / (x1 - x0)
            rgb = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#4575b4"
