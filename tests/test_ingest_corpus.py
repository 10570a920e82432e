"""Real laws from ../shared/corpus (or TREATYWATCH_CORPUS): segmentation accuracy ≥ 95%.

Every rendering of every law is read and segmented, and scored against
``expected.json`` (right number and heading for each top-level provision).
The preferred rendering of each national law is also ingested into a store
and scored again after reading it back, so storing loses nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from treatywatch.ingest.corpus import CorpusDocument, corpus_dir, corpus_documents
from treatywatch.ingest.documents import load_version
from treatywatch.ingest.pipeline import IngestRequest, analyse, ingest
from treatywatch.ingest.segment import segmentation_accuracy
from treatywatch.store import session_scope

TARGET = 0.95
CORPUS = corpus_dir()
DOCUMENTS = corpus_documents() if CORPUS else []
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        CORPUS is None, reason="real-law corpus not found (../shared/corpus or TREATYWATCH_CORPUS)"
    ),
]
FILES = [(doc, name) for doc in DOCUMENTS for name in doc.files]
NATIONAL = [doc for doc in DOCUMENTS if doc.country]


def _summary(score: dict[str, Any]) -> str:
    return (
        f"accuracy {score['accuracy']:.3f}, missing {score['missing'][:10]}, "
        f"extra {score['extra'][:10]}, mismatched titles {score['title_mismatches'][:5]}"
    )


@pytest.mark.parametrize(("doc", "name"), FILES, ids=[f"{d.id}/{n}" for d, n in FILES])
def test_segmentation_accuracy(doc: CorpusDocument, name: str) -> None:
    analysis = analyse(doc.files[name])
    score = segmentation_accuracy(doc.expected, analysis.segmentation)
    assert score["accuracy"] >= TARGET, _summary(score)
    assert score["precision"] >= TARGET, _summary(score)
    if doc.language:
        assert analysis.language == doc.language


@pytest.mark.parametrize("doc", NATIONAL, ids=[d.id for d in NATIONAL])
def test_stored_corpus_law_keeps_its_accuracy(doc: CorpusDocument, sqlite_url: str) -> None:
    from treatywatch.store import init_store

    init_store(sqlite_url)
    path = doc.preferred
    assert path is not None and doc.country is not None
    result = ingest(
        IngestRequest(
            path=path, country=doc.country, title=doc.title, doc_id=doc.work_id or doc.id
        ),
        url=sqlite_url,
    )
    with session_scope(sqlite_url) as session:
        _info, stored = load_version(session, result.ref)
    score = segmentation_accuracy(doc.expected, stored)
    assert score["accuracy"] >= TARGET, _summary(score)
    assert len(stored.provisions) == len(result.segmentation.provisions)
