"""Serious-crime reach, gold metrics, the fictional samples, and the real corpus.

Crafted provisions here are FICTIONAL. Corpus tests read ../shared and skip
without it; they check accuracy floors, not exact numbers, so improving a
detector never breaks them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED
from treatywatch.align.model import ProvisionText
from treatywatch.assess.engine import assess_law
from treatywatch.assess.gold_metrics import GoldLabels, assessment_metrics, read_gold_labels
from treatywatch.assess.model import LawView
from treatywatch.assess.serious import serious_crimes


def prov(key: str, heading: str, text: str, kind: str, years: float | None) -> ProvisionText:
    details = {"penalty": {"max_prison_years": years, "text": ""}} if years is not None else {}
    return ProvisionText(key, key.split("-")[1], heading, text, kind, "en", details=details)


LAW = LawView(
    "xnl/act/2099/reach",
    1,
    "2099-01-01",
    "Fictional Reach Act",
    "XNL",
    "en",
    [
        prov(
            "sec-1",
            "Access",
            "Whoever intentionally accesses a computer without right.",
            "offence",
            2,
        ),
        prov("sec-2", "Fraud", "Whoever dishonestly causes loss by altering data.", "offence", 7),
        prov("sec-3", "False news", "Whoever publishes false news online.", "offence", 5),
        prov("sec-4", "Terror", "Whoever attacks a protected system.", "offence", 99),
        prov(
            "sec-5",
            "Search",
            "A Judge may issue a warrant to search a computer.",
            "procedural",
            None,
        ),
        prov(
            "sec-6",
            "Preservation",
            "A police officer may, by notice, require a person to "
            "preserve data; a Judge may extend the order.",
            "procedural",
            None,
        ),
    ],
)


def test_serious_crimes_list_offences_of_four_years_or_more() -> None:
    crimes = serious_crimes(LAW)
    assert [(c.provision_key, c.max_years, c.content_offence) for c in crimes] == [
        ("sec-2", 7.0, False),
        ("sec-3", 5.0, True),
        ("sec-4", 99.0, False),
    ]
    assert serious_crimes(LAW) == crimes  # deterministic


def test_gold_metrics_count_matches_misses_and_unmatched_rows() -> None:
    rows = [
        GoldLabels("d", "1", "no", "2", None),
        GoldLabels("d", "2", "no", "7", None),
        GoldLabels("d", "3", "yes", "4", None),  # penalty wrong on purpose: 5 extracted
        GoldLabels("d", "Section 4", "no", "99", None),
        GoldLabels("d", "5", None, None, "prior-judicial"),
        GoldLabels("d", "6", None, None, "mixed"),
        GoldLabels("d", "77", "yes", None, "none"),  # no such provision
    ]
    metrics = assessment_metrics(rows, LAW)
    content = metrics["content_offence_accuracy"]
    assert (content["correct"], content["total"]) == (4, 5)
    assert content["errors"] == [{"provision": "77", "gold": "yes", "predicted": "unmatched"}]
    penalty = metrics["penalty_accuracy"]
    assert (penalty["correct"], penalty["total"]) == (3, 4)
    judicial = metrics["judicial_authorization_accuracy"]
    assert (judicial["correct"], judicial["total"]) == (2, 3)


def test_gold_labels_reader(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "document,provision,title,uncc,budapest,kind,content_offence,max_prison_years,"
        "judicial_authorization,confidence,note\n"
        "x,3,T,7,2,offence,no,5,,clear,\n",
        encoding="utf-8",
    )
    assert read_gold_labels(path) == [GoldLabels("x", "3", "no", "5", None)]


SAMPLE_EXPECTATIONS = {
    # fictional sample law → (detector, provision, status) the engine must produce
    "xnl/act/2024/norland-ccea": [
        ("scope.content-offences", "sec-12", "fails"),
        ("scope.content-offences", "sec-13", "fails"),
        ("judicial-authorization.powers", "sec-19", "meets"),
        ("judicial-authorization.powers", "sec-20", "fails"),
        ("judicial-authorization.powers", "sec-21", "fails"),
        ("transparency.provider-gag", "sec-23", "fails"),
        ("retention-decryption.retention", "sec-24", "fails"),
        ("sharing-limits.conditions", "sec-27", "fails"),
        ("oversight-remedy.duration", "sec-22", "meets"),
    ],
    "xvb/act/2025/valombre-2025-17": [
        ("scope.content-offences", "art-8", "fails"),
        ("judicial-authorization.powers", "art-12", "meets"),
        ("retention-decryption.retention", "art-12bis", "fails"),
    ],
    "xsm/act/2023/san-martin-4312": [
        ("scope.content-offences", "art-7", "fails"),
        ("judicial-authorization.powers", "art-10", "meets"),
    ],
    "xmj/act/2025/marouj-9-2025": [
        ("scope.content-offences", "art-6", "fails"),
        ("judicial-authorization.powers", "art-7", "fails"),
        ("judicial-authorization.powers", "art-8", "meets"),
    ],
}


@pytest.fixture(scope="module")
def sample_views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LawView]:
    from treatywatch.assess.lawview import law_view
    from treatywatch.ingest.documents import find_version
    from treatywatch.ingest.pipeline import IngestRequest, ingest
    from treatywatch.samples import SAMPLE_LAWS
    from treatywatch.store import init_store, session_scope
    from treatywatch.store.db import dispose_engines

    url = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'store.db'}"
    init_store(url)
    views = {}
    for law in SAMPLE_LAWS:
        ingest(
            IngestRequest(
                path=law.path("txt"),
                country=law.country,
                title=law.title,
                date=law.date,
                doc_id=law.document_id,
            ),
            url=url,
        )
        with session_scope(url) as session:
            views[law.document_id] = law_view(session, find_version(session, law.document_id))
    dispose_engines()
    return views


@pytest.mark.parametrize("document", sorted(SAMPLE_EXPECTATIONS))
def test_sample_laws_give_the_expected_headline_findings(
    sample_views: dict[str, LawView], document: str
) -> None:
    assessment = assess_law(sample_views[document])
    got = {(f.detector, f.provision_key): f.status for f in assessment.findings}
    for detector, provision, status in SAMPLE_EXPECTATIONS[document]:
        assert got.get((detector, provision)) == status, (detector, provision, got)
    again = assess_law(sample_views[document])
    assert [f.record() for f in again.findings] == [f.record() for f in assessment.findings]


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="needs ../shared/gold and corpus")
def test_corpus_accuracy_floors(tmp_path: Path) -> None:
    from treatywatch.assess.lawview import law_view
    from treatywatch.ingest.corpus import corpus_documents
    from treatywatch.ingest.documents import find_version
    from treatywatch.ingest.pipeline import IngestRequest, ingest
    from treatywatch.store import init_store, session_scope

    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    init_store(url)
    totals = {
        "content_offence_accuracy": [0, 0],
        "penalty_accuracy": [0, 0],
        "judicial_authorization_accuracy": [0, 0],
    }
    for document in corpus_documents(SHARED / "corpus"):
        gold = SHARED / "gold" / f"{document.id}.csv"
        if document.country is None or document.preferred is None or not gold.is_file():
            continue
        result = ingest(
            IngestRequest(
                path=document.preferred,
                country=document.country,
                title=document.title,
                doc_id=document.work_id or document.id,
            ),
            url=url,
        )
        with session_scope(url) as session:
            view = law_view(session, find_version(session, result.ref))
        for name, metric in assessment_metrics(read_gold_labels(gold), view).items():
            totals[name][0] += metric["correct"]
            totals[name][1] += metric["total"]
    accuracy = {name: correct / total for name, (correct, total) in totals.items()}
    assert accuracy["content_offence_accuracy"] >= 0.9, accuracy
    assert accuracy["penalty_accuracy"] >= 0.9, accuracy
    assert accuracy["judicial_authorization_accuracy"] >= 0.7, accuracy
