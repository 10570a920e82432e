"""The evaluation harness on the fictional Norland law: rows, misses, calibration data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from treatywatch.align.engine import EngineOptions
from treatywatch.align.evaluation.documents import locate, stored_match
from treatywatch.align.evaluation.harness import collect_pairs, evaluate, prepare
from treatywatch.align.fusion import default_calibration
from treatywatch.samples import sample_law
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow

GOLD = Path(__file__).parent / "fixtures" / "align_gold_norland.csv"
DOCUMENT = "xnl-ccea-2024"
NO_EMBEDDING = EngineOptions(methods=("lexical", "rules", "context"))
FICTIONAL_TREATY = """FICTIONAL TREATY. Written for treatywatch tests; no State is party to it.

CONVENTION ON IMAGINARY NETWORKS

Article 1 - Illegal access
An imaginary party punishes anyone who deliberately enters a computer system
without permission.

Article 2 - Production order
An imaginary judge may order a keeper of computer data to hand it over.
"""


def fictional_corpus(root: Path) -> Path:
    folder = root / "corpus" / DOCUMENT
    folder.mkdir(parents=True)
    shutil.copy(sample_law("nor-ccea-2024").path("txt"), folder / "law.txt")
    expected = {"document": DOCUMENT, "language": "en", "units": []}
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return folder.parent


def test_unmatched_gold_rows_are_listed_and_count_as_misses(
    initialised: str, tmp_path: Path
) -> None:
    corpus = fictional_corpus(tmp_path)
    base = evaluate(GOLD, corpus, initialised, NO_EMBEDDING, baselines=False)
    assert base.prepared.unmatched == []
    extended = tmp_path / "extended.csv"
    extended.write_text(
        GOLD.read_text(encoding="utf-8")
        + "xnl-ccea-2024,99,A section the fictional law does not have,7,2,offence,,,,clear,\n",
        encoding="utf-8",
    )
    result = evaluate(extended, corpus, initialised, NO_EMBEDDING, baselines=False)
    data = result.record()
    assert [u["provision"] for u in data["unmatched_gold"]] == ["99"]
    assert data["unmatched_gold"][0]["at"] == f"{extended}:33"
    assert data["n"] == base.record()["n"] + 1
    labelled = 25  # 31 rows minus 6 "none" rows
    assert base.engine.metrics.overall.top1 is not None
    hits = round(base.engine.metrics.overall.top1 * labelled)
    assert data["top1"] == pytest.approx(hits / (labelled + 1), abs=1e-4)
    miss = next(c for c in data["confusions"] if c["provision"] == "99")
    assert miss["matched"] is False and miss["predicted"] is None


def test_collected_features_reproduce_the_engine_scores(initialised: str, tmp_path: Path) -> None:
    corpus = fictional_corpus(tmp_path)
    evaluated = evaluate(GOLD, corpus, initialised, NO_EMBEDDING, baselines=False)
    groups = collect_pairs(GOLD, corpus, initialised, NO_EMBEDDING)
    assert len(groups) == 31
    assert sum(len(g.pairs) for g in groups) > 31
    calibration = default_calibration()
    for group, row in zip(groups, evaluated.engine.rows, strict=True):
        again = group.scored(calibration)
        assert again.predicted == row.predicted, row.provision
        assert [a for a, _ in again.ranked] == [a for a, _ in row.ranked], row.provision
        assert [s for _, s in again.ranked] == pytest.approx([s for _, s in row.ranked])
    access = next(g for g in groups if g.provision == "4")
    right = {p.article_id for p in access.pairs if p.in_gold}
    assert right <= {"uncc/art-7", "budapest/art-2"} and "uncc/art-7" in right


def test_treaty_documents_are_analysed_not_stored(initialised: str, tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "fictional-treaty"
    folder.mkdir(parents=True)
    (folder / "law.txt").write_text(FICTIONAL_TREATY, encoding="utf-8")
    (folder / "expected.json").write_text('{"units": []}', encoding="utf-8")
    gold = tmp_path / "treaty.csv"
    gold.write_text(
        "document,provision,title,uncc,budapest,kind\n"
        "fictional-treaty,1,Illegal access,7,2,offence\n"
        "fictional-treaty,2,Production order,27,18,procedural\n",
        encoding="utf-8",
    )
    prepared = prepare(gold, tmp_path / "corpus", initialised)
    assert [(d.origin, d.stored_id, len(d.provisions)) for d in prepared.documents] == [
        ("analysed", None, 2)
    ]
    assert prepared.unmatched == []
    with session_scope(initialised) as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 0


def test_store_lookup_matches_work_ids_by_their_number(initialised: str) -> None:
    stored = ["xnl/act/2024/xnl-ccea-2024", "xvb/act/2025/valombre-2025-17"]
    assert stored_match("xnl-ccea-2024", stored) == "xnl/act/2024/xnl-ccea-2024"
    assert stored_match("xnl/act/2024/xnl-ccea-2024", stored) == stored[0]
    assert stored_match("xnl-ccea", stored) is None
    found, in_corpus, missing = locate(["xnl-nowhere"], None, initialised)
    assert (found, in_corpus, missing) == ({}, {}, ["xnl-nowhere"])
