"""Alignment metrics over gold-labelled provisions.

Each provision is one :class:`ScoredRow`: the gold article set (empty =
"no UNCC counterpart"), the articles the engine *suggested* (above its
threshold, best first) and its *ranked* shortlist (before the threshold).
Two families of numbers answer two questions a reviewer has:

- ranking (top-1, recall@3, MRR) — "is the right article where I will
  look first?" — over rows whose gold is not ``none``. A top-1 on a row
  where the engine said "no match" is a miss: a reviewer who gets no
  suggestion has to find the article alone. ``top1_ranked`` is top-1 of
  the shortlist whatever its score, to compare rankings across
  configurations.
- set quality (micro precision/recall/F1 over provision × article pairs,
  and the false-positive rate on ``none`` rows) — "how much of what it
  suggests is right, and how often does it invent a link?". ``none``
  rows add every suggestion as a false positive.

All functions are pure so the calibration script can re-score the same
rows under different weights and thresholds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

METRIC_KEYS = (
    "top1",
    "recall_at_3",
    "mrr",
    "precision",
    "recall",
    "f1",
    "none_fp_rate",
    "n",
    "top1_ranked",
)
TARGET_CATEGORIES = frozenset({"criminalization", "procedural"})
"""The categories the issue's accuracy targets are set for."""


@dataclass(frozen=True)
class ScoredRow:
    """One gold provision with the engine's answer for it."""

    document: str
    provision: str  # the gold label
    heading: str
    kind: str  # gold kind
    language: str
    category: str  # catalogue category of the first gold article, "none" for none rows
    gold: tuple[str, ...]
    predicted: tuple[str, ...] = ()
    ranked: tuple[tuple[str, float], ...] = ()  # (article id, score), best first
    matched: bool = True  # False: the gold provision was not found in the ingested text

    @property
    def is_none(self) -> bool:
        return not self.gold

    def rank_of_first_hit(self) -> int | None:
        for position, (article_id, _score) in enumerate(self.ranked, start=1):
            if article_id in self.gold:
                return position
        return None

    def score_of(self, article_id: str) -> float | None:
        return next((s for a, s in self.ranked if a == article_id), None)


@dataclass(frozen=True)
class Metrics:
    """The numbers of one subset; ``None`` where the subset has no row to count."""

    top1: float | None
    recall_at_3: float | None
    mrr: float | None
    precision: float | None
    recall: float | None
    f1: float | None
    none_fp_rate: float | None
    n: int
    top1_ranked: float | None = None
    """First of the ranked shortlist in the gold set, whatever its score: the
    ranking quality alone, comparable across configurations whose scores sit
    on different sides of the threshold (a single-method baseline)."""

    def record(self) -> dict[str, Any]:
        return {key: _rounded(getattr(self, key)) for key in METRIC_KEYS}


def _rounded(value: float | int | None) -> float | int | None:
    return round(value, 4) if isinstance(value, float) else value


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def compute(rows: Iterable[ScoredRow]) -> Metrics:
    """The metrics of a set of rows (see the module docstring for definitions)."""
    rows = list(rows)
    labelled = [r for r in rows if not r.is_none]
    nones = [r for r in rows if r.is_none]
    top1_hits = sum(1 for r in labelled if r.predicted and r.predicted[0] in r.gold)
    ranked_hits = sum(1 for r in labelled if r.ranked and r.ranked[0][0] in r.gold)
    at3_hits = 0
    reciprocal = 0.0
    for row in labelled:
        rank = row.rank_of_first_hit()
        if rank is not None:
            reciprocal += 1.0 / rank
            at3_hits += rank <= 3
    tp = fp = fn = 0
    for row in rows:
        predicted, gold = set(row.predicted), set(row.gold)
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    elif tp + fp + fn:
        f1 = 0.0
    return Metrics(
        top1=_ratio(top1_hits, len(labelled)),
        recall_at_3=_ratio(at3_hits, len(labelled)),
        mrr=_ratio(reciprocal, len(labelled)),
        precision=precision,
        recall=recall,
        f1=f1,
        none_fp_rate=_ratio(sum(1 for r in nones if r.predicted), len(nones)),
        n=len(rows),
        top1_ranked=_ratio(ranked_hits, len(labelled)),
    )


def grouped(rows: Iterable[ScoredRow], key: Callable[[ScoredRow], str]) -> dict[str, Metrics]:
    """Metrics per value of ``key`` (kind, category, language, document), sorted by value."""
    groups: dict[str, list[ScoredRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: compute(groups[name]) for name in sorted(groups)}


def target_rows(rows: Iterable[ScoredRow]) -> list[ScoredRow]:
    """Rows whose first gold article is a criminalization or procedural one."""
    return [r for r in rows if r.category in TARGET_CATEGORIES]


@dataclass(frozen=True)
class Miss:
    """A gold row the engine got wrong, with what it said instead."""

    document: str
    provision: str
    heading: str
    gold: tuple[str, ...]
    predicted: str | None  # the engine's first suggestion (None: it said "no match")
    score: float | None  # its score, or the best shortlisted score when it said "no match"
    gold_rank: int | None  # where the first gold article sat in the shortlist
    matched: bool = True

    def record(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "provision": self.provision,
            "heading": self.heading,
            "gold": list(self.gold) or ["none"],
            "predicted": self.predicted,
            "score": _rounded(self.score),
            "gold_rank": self.gold_rank,
            "matched": self.matched,
        }


def misses(rows: Iterable[ScoredRow]) -> list[Miss]:
    """Wrong answers, worst first: a confident wrong link ranks above a timid one.

    A miss is a labelled row whose first suggestion is not in the gold set
    (including "no match"), or a ``none`` row that got a suggestion.
    """
    out: list[Miss] = []
    for row in rows:
        first = row.predicted[0] if row.predicted else None
        if row.is_none and first is None:
            continue
        if not row.is_none and first is not None and first in row.gold:
            continue
        score = row.score_of(first) if first else (row.ranked[0][1] if row.ranked else None)
        out.append(
            Miss(
                row.document,
                row.provision,
                row.heading,
                row.gold,
                first,
                score,
                row.rank_of_first_hit(),
                row.matched,
            )
        )
    out.sort(key=lambda m: (m.predicted is None, -(m.score or 0.0), m.document, m.provision))
    return out


@dataclass(frozen=True)
class Confusion:
    gold: str  # first gold article or "none"
    predicted: str  # first suggestion or "none"
    count: int
    examples: tuple[str, ...]  # "document:provision"

    def record(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "count": self.count,
            "examples": list(self.examples),
        }


def confusions(found: Iterable[Miss], limit: int = 15) -> list[Confusion]:
    """The most frequent (gold → predicted) pairs among the misses."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    for miss in found:
        pair = (miss.gold[0] if miss.gold else "none", miss.predicted or "none")
        counts[pair] += 1
        examples.setdefault(pair, []).append(f"{miss.document}:{miss.provision}")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Confusion(g, p, n, tuple(examples[(g, p)][:5])) for (g, p), n in ranked]


@dataclass
class MetricSet:
    """One engine configuration's metrics, overall and per slice."""

    overall: Metrics
    target: Metrics
    per_kind: dict[str, Metrics] = field(default_factory=dict)
    per_category: dict[str, Metrics] = field(default_factory=dict)
    per_language: dict[str, Metrics] = field(default_factory=dict)
    per_document: dict[str, Metrics] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[ScoredRow]) -> MetricSet:
        return cls(
            overall=compute(rows),
            target=compute(target_rows(rows)),
            per_kind=grouped(rows, lambda r: r.kind),
            per_category=grouped(rows, lambda r: r.category),
            per_language=grouped(rows, lambda r: r.language),
            per_document=grouped(rows, lambda r: r.document),
        )
