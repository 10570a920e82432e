"""The engine's own work: context votes per distinct heading, embedding run alongside.

The provisions are fictional, written for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from treatywatch.align.engine import CONTEXT_DISCOUNT, AlignmentEngine, EngineOptions
from treatywatch.align.model import ProvisionText, Signal

OFFENCES = "Part II — Offences against imaginary computer systems (fictional)"
POWERS = "Part III — Production orders and search and seizure of stored computer data (fictional)"


def _provision(
    key: str, heading: str, text: str, kind: str, container: str | None
) -> ProvisionText:
    return ProvisionText(
        key=key,
        label=key,
        heading=heading,
        text=text,
        kind=kind,
        container=container,
        details={"fictional": True, "key": key},
    )


PROVISIONS = [
    _provision(
        "sec-3",
        "Unauthorised access (fictional)",
        "A person who, without authority, intentionally accesses a computer system of the "
        "Republic of Imaginaria commits an offence.",
        "offence",
        OFFENCES,
    ),
    _provision(
        "sec-4",
        "Interception (fictional)",
        "Whoever intercepts non-public transmissions of computer data to the Zanthor "
        "Lighthouse Authority by technical means commits an offence.",
        "offence",
        OFFENCES,
    ),
    _provision(
        "sec-5",
        "Interpretation of this Part (fictional)",
        "In this Part, 'computer system' means any imaginary device of the Duchy of Example.",
        "definition",
        POWERS,
    ),
    _provision(
        "sec-20",
        "Preservation order (fictional)",
        "The Commissioner of Imaginary Networks may order a service provider to preserve "
        "specified traffic data for ninety days.",
        "power",
        POWERS,
    ),
    _provision(
        "sec-21",
        "Production order (fictional)",
        "A judge of the High Court of Nowhere may order a person to produce specified "
        "computer data in that person's possession.",
        "power",
        POWERS,
    ),
    _provision(
        "sec-1",
        "Short title (fictional)",
        "This Act may be cited as the Imaginaria Cyber Safety Act.",
        "other",
        None,
    ),
]


@pytest.fixture(scope="module")
def engine() -> AlignmentEngine:
    return AlignmentEngine(EngineOptions(methods=("lexical", "rules", "context")))


def _naive_context(engine: AlignmentEngine, provision: ProvisionText) -> list[Signal]:
    """Context votes the slow way: the provision itself with its container as heading."""
    if not provision.container:
        return []
    shell = replace(provision, heading=provision.container, text="", key=f"{provision.key}#c")
    found: list[Signal] = []
    for method in engine.methods:
        if method.name in ("lexical", "rules"):
            found.extend(method.signals([shell])[0])
    return found


def test_context_votes_per_distinct_heading_equal_per_provision_votes(
    engine: AlignmentEngine,
) -> None:
    votes = engine._context_votes(PROVISIONS)
    assert len(votes) == len(PROVISIONS)
    for provision, got in zip(PROVISIONS, votes, strict=True):
        want = _naive_context(engine, provision)
        assert [(s.article_id, s.method) for s in got] == [(s.article_id, "context") for s in want]
        assert [s.strength for s in got] == pytest.approx(
            [s.strength * CONTEXT_DISCOUNT for s in want]
        )
        assert [s.terms for s in got] == [s.terms for s in want]
        assert all(
            s.spans == () and OFFENCES[:10] in s.note for s in got if provision.key == "sec-3"
        )
    assert votes[-1] == []  # no container, no context
    assert any(s.article_id == "uncc/art-7" for s in votes[0])  # "offences … computer systems"


def test_provision_kind_keeps_context_votes_apart(engine: AlignmentEngine) -> None:
    """Rules gate on the provision kind, so one heading is analysed once per kind."""
    votes = engine._context_votes(PROVISIONS)
    definition, preservation, production = votes[2], votes[3], votes[4]
    assert preservation == production  # same heading, same kind: the same votes
    from_rules = [s for s in production if s.note != "" and "BM25" not in s.note]
    assert from_rules, "the power-kind heading should fire a procedural-power rule"
    assert definition != production  # same heading, other kind: the rule is gated off
    assert not [s for s in definition if "BM25" not in s.note]


def test_align_equals_methods_run_one_after_another() -> None:
    """The embedding method runs in a background thread; the votes must not change."""
    engine = AlignmentEngine(EngineOptions(store_url="memory"))
    if engine.info.embedding_model is None:
        pytest.skip("no sentence-embedding model installed")
    got = engine.align(PROVISIONS)
    votes: list[list[Signal]] = [[] for _ in PROVISIONS]
    for method in engine.methods:
        for row, found in zip(votes, method.signals(PROVISIONS), strict=True):
            row.extend(found)
    for row, found in zip(votes, engine._context_votes(PROVISIONS), strict=True):
        row.extend(found)
    want = [engine._fuse(p, v) for p, v in zip(PROVISIONS, votes, strict=True)]
    assert [[c.record() for c in a.shortlist] for a in got] == [
        [c.record() for c in a.shortlist] for a in want
    ]
    assert [[c.article_id for c in a.candidates] for a in got] == [
        [c.article_id for c in a.candidates] for a in want
    ]
    assert "embedding" in {m for a in got for c in a.shortlist for m in c.methods}


class _Failing:
    name = "embedding"

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        raise RuntimeError("fictional encoder failure")


def test_a_failing_background_method_fails_the_call(engine: AlignmentEngine) -> None:
    broken = AlignmentEngine(EngineOptions(methods=("lexical", "rules", "context")))
    broken.methods.append(_Failing())
    with pytest.raises(RuntimeError, match="fictional encoder failure"):
        broken.align(PROVISIONS)
