"""Provision trees in the store and back, and in the search index (hand-built trees)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from ingest_trees import act, amended, node
from treatywatch.ingest.documents import list_documents, load_version
from treatywatch.ingest.indexing import index_document
from treatywatch.ingest.model import Segmentation
from treatywatch.ingest.persist import container_records, provision_records, write_provisions
from treatywatch.ledger.jurisdictions import ensure_jurisdiction
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow, DocumentVersionRow, ProvisionRow
from treatywatch.store.search_index import search

DOC = "ata/act/2024/sample"


def store_version(url: str, tree: Segmentation, date: dt.date, sha: str) -> int:
    with session_scope(url) as s:
        ensure_jurisdiction(s, "ATA")
        if s.get(DocumentRow, DOC) is None:
            s.add(DocumentRow(id=DOC, jurisdiction_code="ATA", title="Sample Act", language="en"))
            s.flush()
        version = DocumentVersionRow(
            document_id=DOC, version_date=date, sha256=sha, source_format="txt", language="en"
        )
        s.add(version)
        s.flush()
        write_provisions(s, version.id, tree)
        index_document(s, DOC)
        return version.id


def test_round_trip_keeps_the_tree(initialised: str) -> None:
    store_version(initialised, act(), dt.date(2024, 3, 1), "a" * 64)
    with session_scope(initialised) as s:
        info, tree = load_version(s, f"{DOC}@2024-03-01")
    assert info.document_id == DOC and info.country == "ATA" and info.country_alpha2 == "AQ"
    assert provision_records(tree) == provision_records(act())
    assert container_records(tree) == container_records(act())
    assert tree.provisions[1].children[1].children[0].text == "programs; and"


def test_rows_have_depths_parents_and_document_order(initialised: str) -> None:
    version_id = store_version(initialised, act(), dt.date(2024, 3, 1), "a" * 64)
    with session_scope(initialised) as s:
        rows = s.scalars(
            select(ProvisionRow)
            .where(ProvisionRow.version_id == version_id)
            .order_by(ProvisionRow.ordinal)
        ).all()
        by_id = {r.id: r for r in rows}
        order = [(r.path, r.depth) for r in rows]
        parent = {r.path: by_id[r.parent_id].path if r.parent_id else None for r in rows}
    assert order == [
        ("part-I", 0),
        ("sec-1", 1),
        ("sec-2", 1),
        ("sec-2/1", 2),
        ("sec-2/2", 2),
        ("sec-2/2/a", 3),
        ("sec-2/2/b", 3),
        ("part-II", 0),
        ("part-II/chap-1", 0),
        ("sec-3", 1),
        ("sec-4", 1),
        ("sec-5", 1),
        ("part-III", 0),
    ]
    assert parent["sec-3"] == "part-II/chap-1" and parent["part-II/chap-1"] == "part-II"
    assert parent["sec-5"] == "part-II" and parent["sec-2/2/a"] == "sec-2/2"
    assert parent["part-I"] is None


def test_repeated_paths_are_kept_under_new_names(initialised: str) -> None:
    tree = Segmentation(
        provisions=[
            node(
                "section",
                "5",
                "sec-5",
                "First.",
                children=[node("subsection", "1", "sec-5/1", "a")],
            ),
            node(
                "section",
                "5",
                "sec-5",
                "Printed twice.",
                children=[node("subsection", "1", "sec-5/1", "b")],
            ),
        ]
    )
    store_version(initialised, tree, dt.date(2024, 3, 1), "a" * 64)
    assert any("sec-5_2" in w for w in tree.warnings)
    with session_scope(initialised) as s:
        _info, stored = load_version(s, DOC)
    assert [r["path"] for r in provision_records(stored)] == [
        "sec-5",
        "sec-5/1",
        "sec-5_2",
        "sec-5_2/1",
    ]


def test_latest_version_and_listing(initialised: str) -> None:
    store_version(initialised, act(), dt.date(2024, 3, 1), "a" * 64)
    store_version(initialised, amended(), dt.date(2025, 6, 1), "b" * 64)
    with session_scope(initialised) as s:
        info, tree = load_version(s, DOC)
        (record,) = list_documents(s)
    assert info.date == dt.date(2025, 6, 1) and len(tree.provisions) == 6
    assert record["versions"] == ["2024-03-01", "2025-06-01"] and record["provisions"] == 6


def test_search_finds_provisions_of_the_latest_version_only(initialised: str) -> None:
    store_version(initialised, act(), dt.date(2024, 3, 1), "a" * 64)
    with session_scope(initialised) as s:
        hits = search(s, "false news", entity_type="provision")
    assert hits[0].entity_id == f"{DOC}@2024-03-01#sec-4" and hits[0].scope == DOC
    store_version(initialised, amended(), dt.date(2025, 6, 1), "b" * 64)
    with session_scope(initialised) as s:
        assert search(s, "false news", entity_type="provision") == []
        oversight = search(s, "oversee powers", entity_type="provision")
        catalogue = s.scalar(
            text("SELECT count(*) FROM search_index WHERE entity_type <> 'provision'")
        )
    assert [h.entity_id for h in oversight] == [f"{DOC}@2025-06-01#sec-5"]
    assert catalogue == 116  # the catalogue's rows are untouched
