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

UMBRELLA_ARTICLES = frozenset(
    {
        "uncc/art-19",
        "uncc/art-21",
        "uncc/art-23",
        "uncc/art-24",
        "uncc/art-35",
        "budapest/art-11",
        "budapest/art-13",
        "budapest/art-14",
        "budapest/art-15",
        "budapest/art-23",
        "budapest/art-25",
    }
)
"""Articles that frame others (attempt, sanctions, scope, conditions, general
principles of cooperation). Their words — "punishable", "offence under this
Act", "subject to" — appear in most provisions, so a vote for them is weaker
evidence than the same vote for a specific offence or power."""

SANCTION_ARTICLES = frozenset({"uncc/art-21", "budapest/art-13"})
"""Where a clause that only sets or raises penalties belongs."""

COUNTER_EVIDENCE = "counter-evidence:"
"""Marks, in a rules vote's note, evidence *against* the article (see
``treatywatch.align.rules``): the words of the article are there, but the
provision is of a kind the convention does not cover (a blanket retention
mandate, an administrative fine). The vote is then weakened, or has
strength 0 when nothing argued for the article."""


def is_counter_evidence(signal: Signal) -> bool:
    return signal.method == "rules" and COUNTER_EVIDENCE in signal.note


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
    "rules_rank1",
    "umbrella",
    "counter",
    "sanctions_clause",
)
"""``counter``: a rule argued against the article. ``sanctions_clause``: the
provision is a penalty clause and the article is the sanctions article —
a clause that only sets penalties for offences defined elsewhere names
those offences, so without this prior their articles outrank Art. 21."""

MATCH_KINDS = ("offence", "penalty", "procedural", "cooperation", "definition", "institutional")
MATCH_FEATURES = (
    "bias",
    "top_score",
    "rules_max",
    "lexical_max",
    "embedding_max",
    *(f"kind_{kind}" for kind in MATCH_KINDS),
    "top_rules",
    "top_kind_fit",
    "top_counter",
)
"""Features of the provision-level decision "does this provision implement
any article at all?". Whether a law's section implements the treaty depends
on the section (its kind, how strongly anything matched), not on one pair;
deciding it separately lets the ranking pick *which* article while this
decides *whether* to suggest one. The ``top_*`` features describe the
best-ranked article's own pair: a rule that names it, an article category
that fits the provision's kind (an offence section whose best article is an
offence), counter-evidence against it."""


def _logistic(weights: dict[str, float], features: dict[str, float]) -> float:
    z = sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Calibration:
    """Pair weights over :data:`FEATURES`, provision-level match weights over
    :data:`MATCH_FEATURES`, and their thresholds.

    With match weights, the best-ranked article is suggested when the
    provision-level probability reaches ``match_threshold``, and further
    articles when their own score reaches ``threshold``. Without them
    (an older calibration file) every article needs ``threshold``.
    """

    weights: dict[str, float]
    threshold: float
    fitted_on: str = ""
    match_weights: dict[str, float] = field(default_factory=dict)
    match_threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        return _logistic(self.weights, features)

    def match_probability(self, features: dict[str, float]) -> float:
        return _logistic(self.match_weights, features)


@cache
def default_calibration() -> Calibration:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("treatywatch.align").joinpath("data/calibration.yaml").read_text("utf-8")
    )
    return Calibration(
        weights={k: float(v) for k, v in raw["weights"].items()},
        threshold=float(raw["threshold"]),
        fitted_on=str(raw.get("fitted_on", "")),
        match_weights={k: float(v) for k, v in (raw.get("match_weights") or {}).items()},
        match_threshold=float(raw.get("match_threshold", 0.5)),
    )


@dataclass
class PairVotes:
    """All votes for one provision × article pair."""

    article_id: str
    category: str
    signals: list[Signal] = field(default_factory=list)

    def best(self, method: str) -> float:
        return max((s.strength for s in self.signals if s.method == method), default=0.0)

    @property
    def countered(self) -> bool:
        return any(is_counter_evidence(s) for s in self.signals)

    @property
    def has_support(self) -> bool:
        """Whether any method voted *for* the article (not only against it)."""
        return any(s.strength > 0 for s in self.signals)


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
        "rules_rank1": 1.0 if ranks.get("rules") == 1 else 0.0,
        "umbrella": 1.0 if votes.article_id in UMBRELLA_ARTICLES else 0.0,
        "counter": 1.0 if votes.countered else 0.0,
        "sanctions_clause": (
            1.0 if provision.kind == "penalty" and votes.article_id in SANCTION_ARTICLES else 0.0
        ),
    }


def match_features(
    kind: str,
    top_score: float,
    method_max: dict[str, float],
    top_pair: dict[str, float] | None = None,
) -> dict[str, float]:
    """The provision-level feature vector (see :data:`MATCH_FEATURES`).

    ``top_pair`` is the pair feature vector (:func:`features`) of the
    best-ranked article; without it the ``top_*`` features are 0.
    """
    top = top_pair or {}
    return {
        "bias": 1.0,
        "top_score": top_score,
        "rules_max": method_max.get("rules", 0.0),
        "lexical_max": method_max.get("lexical", 0.0),
        "embedding_max": method_max.get("embedding", 0.0),
        **{f"kind_{k}": 1.0 if kind == k else 0.0 for k in MATCH_KINDS},
        "top_rules": top.get("rules", 0.0),
        "top_kind_fit": top.get("kind_fit", 0.0),
        "top_counter": top.get("counter", 0.0),
    }


def method_maxima(pairs: list[PairVotes]) -> dict[str, float]:
    return {m: max((p.best(m) for p in pairs), default=0.0) for m in METHODS}


def select(
    ranked: list[Candidate], match_probability: float | None, calibration: Calibration
) -> list[Candidate]:
    """The suggested candidates among ``ranked`` (best first)."""
    if match_probability is None:
        return [c for c in ranked if c.score >= calibration.threshold]
    if not ranked or match_probability < calibration.match_threshold:
        return []
    return [ranked[0], *(c for c in ranked[1:] if c.score >= calibration.threshold)]


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
    """(suggested candidates, ranked shortlist) for one provision.

    An article that only drew counter-evidence is not a candidate: nothing
    argued for it, and listing it would put "rules" among its methods.
    """
    pairs = [p for p in pairs if p.has_support]
    ranks = method_ranks(pairs)
    scored: list[tuple[Candidate, dict[str, float]]] = []
    for pair in pairs:
        feats = features(pair, provision, ranks[pair.article_id])
        probability = calibration.probability(feats)
        methods = sorted({s.method for s in pair.signals}, key=METHODS.index)
        evidence = sorted(pair.signals, key=lambda s: -s.strength)
        scored.append((Candidate(pair.article_id, probability, methods, evidence), feats))
    scored.sort(key=lambda item: (-item[0].score, item[0].article_id))
    shortlist = [candidate for candidate, _ in scored[:shortlist_size]]
    match_probability = None
    if calibration.match_weights and scored:
        top, top_features = scored[0]
        match_probability = calibration.match_probability(
            match_features(provision.kind, top.score, method_maxima(pairs), top_features)
        )
    return select(shortlist, match_probability, calibration), shortlist
