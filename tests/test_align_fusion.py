"""Fusion: pair features, counter-evidence, the two-stage selection.

Provisions here are fictional (the imaginary Republic of Examplia). The
calibrations are hand-written so each test can say which feature moves
which score; the packaged calibration is only checked for its shape.
"""

from __future__ import annotations

from treatywatch.align.fusion import (
    COUNTER_EVIDENCE,
    FEATURES,
    MATCH_FEATURES,
    Calibration,
    PairVotes,
    default_calibration,
    features,
    fuse,
    is_counter_evidence,
    match_features,
    method_ranks,
    select,
)
from treatywatch.align.model import Candidate, ProvisionText, Signal

PROVISION = ProvisionText(
    "sec-9",
    "9",
    "Penalties",
    "Examplia: offences under sections 3 to 5 are punished.",
    kind="penalty",
)


def vote(article: str, method: str, strength: float, note: str = "") -> Signal:
    return Signal(article, method, strength, note=note)


def pair(article: str, category: str, *signals: Signal) -> PairVotes:
    return PairVotes(article, category, list(signals))


def candidate(article: str, score: float) -> Candidate:
    return Candidate(article, score, ["rules"], [])


# ---------------------------------------------------------------- features


def test_feature_vector_names_every_feature() -> None:
    votes = pair("uncc/art-7", "criminalization", vote("uncc/art-7", "rules", 0.8))
    feats = features(votes, PROVISION, {"rules": 1})
    assert set(feats) == set(FEATURES)
    assert feats["rules"] == 0.8
    assert feats["rules_rank1"] == 1.0
    assert feats["kind_fit"] == 1.0  # a penalty clause fits a criminalization article
    assert feats["counter"] == 0.0


def test_sanctions_clause_only_for_the_sanctions_article_in_a_penalty_clause() -> None:
    sanctions = pair("uncc/art-21", "criminalization", vote("uncc/art-21", "lexical", 0.5))
    base = pair("uncc/art-7", "criminalization", vote("uncc/art-7", "lexical", 0.5))
    assert features(sanctions, PROVISION, {})["sanctions_clause"] == 1.0
    assert features(base, PROVISION, {})["sanctions_clause"] == 0.0
    offence = ProvisionText("sec-3", "3", "Access", "Examplia text.", kind="offence")
    assert features(sanctions, offence, {})["sanctions_clause"] == 0.0


def test_counter_evidence_is_recognised_only_in_rule_votes() -> None:
    note = f"{COUNTER_EVIDENCE} blanket retention [rule against-x]"
    assert is_counter_evidence(vote("uncc/art-29", "rules", 0.0, note))
    assert is_counter_evidence(
        vote("uncc/art-29", "rules", 0.3, f"interception; weakened by {note}")
    )
    assert not is_counter_evidence(vote("uncc/art-29", "lexical", 0.0, note))
    assert not is_counter_evidence(vote("uncc/art-29", "rules", 0.7, "interception [rule y]"))
    countered = pair("uncc/art-29", "procedural", vote("uncc/art-29", "rules", 0.0, note))
    assert features(countered, PROVISION, {})["counter"] == 1.0
    assert not countered.has_support


def test_method_ranks_ignore_zero_votes() -> None:
    pairs = [
        pair("uncc/art-29", "procedural", vote("uncc/art-29", "rules", 0.0, COUNTER_EVIDENCE)),
        pair("uncc/art-30", "procedural", vote("uncc/art-30", "rules", 0.6)),
    ]
    ranks = method_ranks(pairs)
    assert ranks["uncc/art-30"] == {"rules": 1}
    assert ranks["uncc/art-29"] == {}


def test_match_features_describe_the_best_pair_when_given() -> None:
    plain = match_features("offence", 0.8, {"rules": 0.9})
    assert set(plain) == set(MATCH_FEATURES)
    assert plain["top_rules"] == 0.0 and plain["kind_offence"] == 1.0
    top = match_features("offence", 0.8, {"rules": 0.9}, {"rules": 0.7, "kind_fit": 1.0})
    assert top["top_rules"] == 0.7
    assert top["top_kind_fit"] == 1.0
    assert top["top_counter"] == 0.0


# ---------------------------------------------------------------- selection


CALIBRATION = Calibration(
    weights={"bias": -2.0, "rules": 4.0, "counter": -3.0, "sanctions_clause": 1.0},
    threshold=0.6,
    match_weights={"bias": -3.0, "top_score": 6.0},
    match_threshold=0.5,
)


def test_select_without_a_match_model_uses_the_pair_threshold() -> None:
    single = Calibration(weights={}, threshold=0.5)
    ranked = [candidate("uncc/art-7", 0.8), candidate("uncc/art-19", 0.4)]
    assert [c.article_id for c in select(ranked, None, single)] == ["uncc/art-7"]


def test_two_stage_selection_suggests_the_best_then_those_above_threshold() -> None:
    ranked = [
        candidate("uncc/art-21", 0.55),
        candidate("uncc/art-7", 0.65),
        candidate("uncc/art-19", 0.2),
    ]
    chosen = select(ranked, 0.9, CALIBRATION)
    # the first is suggested although its own score is under the pair threshold
    assert [c.article_id for c in chosen] == ["uncc/art-21", "uncc/art-7"]
    assert select(ranked, 0.1, CALIBRATION) == []
    assert select([], 0.9, CALIBRATION) == []


def test_fuse_ranks_demotes_countered_articles_and_drops_unsupported_ones() -> None:
    retention = ProvisionText(
        "sec-12", "12", "Retention", "Examplia providers keep traffic data.", kind="procedural"
    )
    note = f"{COUNTER_EVIDENCE} blanket retention [rule against-x]"
    pairs = [
        pair(
            "uncc/art-29",
            "procedural",
            vote("uncc/art-29", "rules", 0.4, f"traffic data; weakened by {note}"),
        ),
        pair("uncc/art-27", "procedural", vote("uncc/art-27", "rules", 0.6)),
        pair("uncc/art-26", "procedural", vote("uncc/art-26", "rules", 0.0, note)),
    ]
    chosen, shortlist = fuse(retention, pairs, CALIBRATION)
    assert [c.article_id for c in shortlist] == ["uncc/art-27", "uncc/art-29"]
    assert shortlist[1].score < 0.1
    assert [c.article_id for c in chosen] == ["uncc/art-27"]


def test_fuse_puts_sanctions_first_in_a_penalty_clause() -> None:
    pairs = [
        pair("uncc/art-21", "criminalization", vote("uncc/art-21", "rules", 0.7)),
        pair("uncc/art-7", "criminalization", vote("uncc/art-7", "rules", 0.75)),
    ]
    _, shortlist = fuse(PROVISION, pairs, CALIBRATION)
    assert shortlist[0].article_id == "uncc/art-21"
    offence = ProvisionText("sec-3", "3", "Access", "Examplia text.", kind="offence")
    _, shortlist = fuse(offence, pairs, CALIBRATION)
    assert shortlist[0].article_id == "uncc/art-7"


def test_fuse_says_no_match_when_the_match_model_declines() -> None:
    weak = [pair("uncc/art-7", "criminalization", vote("uncc/art-7", "rules", 0.1))]
    chosen, shortlist = fuse(PROVISION, weak, CALIBRATION)
    assert chosen == []
    assert [c.article_id for c in shortlist] == ["uncc/art-7"]


def test_packaged_calibration_covers_the_features() -> None:
    calibration = default_calibration()
    assert set(calibration.weights) == set(FEATURES)
    assert set(calibration.match_weights) == set(MATCH_FEATURES)
    assert 0 < calibration.threshold < 1 and 0 < calibration.match_threshold < 1
