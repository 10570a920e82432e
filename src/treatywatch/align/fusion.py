"""Turn the methods' votes into one calibrated score per provision × article.

Each method votes on its own scale. Fusion reads each pair's votes as a
small feature vector (the strongest vote per method, how many methods
agree, whether the provision's kind fits the article's category) and maps
it through a logistic model whose weights live in
``align/data/calibration.yaml``. The weights are fitted on labelled laws by
``scripts/calibrate_alignment.py``; because the model is logistic, the
score reads as "how often a link with this evidence was right" — which is
what a reviewer needs to decide what to check first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from treatywatch.align.model import METHODS, Candidate, ProvisionText, Signal

# Which article categories a provision kind (from ingest) usually implements.
# A mismatch is not a veto — a "penalty" section can carry an offence — it
# is one feature among others.
KIND_FITS: dict[str, frozenset[str]] = {
    "offence": frozenset({"criminalization"}),
    "penalty": frozenset({"criminalization"}),
    "procedural": frozenset({"procedural"}),
    "cooperation": frozenset({"cooperation"}),
    "definition": frozenset({"general"}),
    "institutional": frozenset({"prevention", "implementation", "assistance"}),
}

FEATURES = (
    "bias",
    "lexical",
    "embedding",
    "rules",
    "context",
    "agreement",
    "kind_fit",
    "embedding_rank1",
    "lexical_rank1",
)


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over :data:`FEATURES` plus the suggestion threshold."""

    weights: dict[str, float]
    threshold: float
    fitted_on: str = ""

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def default_calibration() -> Calibration:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("treatywatch.align").joinpath("data/calibration.yaml").read_text("utf-8")
    )
    return Calibration(
        weights={k: float(v) for k, v in raw["weights"].items()},
        threshold=float(raw["threshold"]),
        fitted_on=str(raw.get("fitted_on", "")),
    )


@dataclass
class PairVotes:
    """All votes for one provision × article pair."""

    article_id: str
    category: str
    signals: list[Signal] = field(default_factory=list)

    def best(self, method: str) -> float:
        return max((s.strength for s in self.signals if s.method == method), default=0.0)


def features(votes: PairVotes, provision: ProvisionText, ranks: dict[str, int]) -> dict[str, float]:
    """The feature vector of one pair; ``ranks`` is this article's rank per method."""
    values = {m: votes.best(m) for m in METHODS}
    agreeing = sum(1 for m in METHODS if values[m] > 0)
    fits = KIND_FITS.get(provision.kind)
    return {
        "bias": 1.0,
        **values,
        "agreement": max(0, agreeing - 1) / (len(METHODS) - 1),
        "kind_fit": 1.0 if fits and votes.category in fits else 0.0,
        "embedding_rank1": 1.0 if ranks.get("embedding") == 1 else 0.0,
        "lexical_rank1": 1.0 if ranks.get("lexical") == 1 else 0.0,
    }


def method_ranks(pairs: list[PairVotes]) -> dict[str, dict[str, int]]:
    """article → method → rank of that article among the method's votes (1 = best)."""
    out: dict[str, dict[str, int]] = {p.article_id: {} for p in pairs}
    for method in METHODS:
        scored = [(p.best(method), p.article_id) for p in pairs if p.best(method) > 0]
        scored.sort(key=lambda item: (-item[0], item[1]))
        for rank, (_, article_id) in enumerate(scored, start=1):
            out[article_id][method] = rank
    return out


def fuse(
    provision: ProvisionText,
    pairs: list[PairVotes],
    calibration: Calibration,
    *,
    shortlist_size: int = 10,
) -> tuple[list[Candidate], list[Candidate]]:
    """(suggested candidates, ranked shortlist) for one provision."""
    ranks = method_ranks(pairs)
    scored: list[Candidate] = []
    for pair in pairs:
        feats = features(pair, provision, ranks[pair.article_id])
        probability = calibration.probability(feats)
        methods = sorted({s.method for s in pair.signals}, key=METHODS.index)
        evidence = sorted(pair.signals, key=lambda s: -s.strength)
        scored.append(Candidate(pair.article_id, probability, methods, evidence))
    scored.sort(key=lambda c: (-c.score, c.article_id))
    shortlist = scored[:shortlist_size]
    suggested = [c for c in shortlist if c.score >= calibration.threshold]
    return suggested, shortlist
