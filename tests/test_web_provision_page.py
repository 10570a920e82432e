"""A provision page reads only its own subtree, across any number of read pages."""

from __future__ import annotations

import datetime as dt

import pytest

from treatywatch.ledger.jurisdictions import ensure_jurisdiction
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow, DocumentVersionRow, ProvisionRow
from treatywatch.web.ui.documents import provision_page

DOC = "nor/act/2099/fictional-long-section"
REF = f"{DOC}@2099-01-01"


@pytest.fixture
def long_law(initialised: str) -> str:
    """Fictional: s.1 with 150 subsections (a subtree longer than the first 64-row
    read), then s.2 and s.3."""
    with session_scope(initialised) as session:
        ensure_jurisdiction(session, "KEN")
        session.add(DocumentRow(id=DOC, jurisdiction_code="KEN", title="Fictional Long Act"))
        version = DocumentVersionRow(
            document_id=DOC, version_date=dt.date(2099, 1, 1), sha256="1" * 64, source_format="txt"
        )
        session.add(version)
        session.flush()
        ordinal = 0

        def add(path: str, depth: int, parent: ProvisionRow | None, text: str) -> ProvisionRow:
            nonlocal ordinal
            ordinal += 1
            row = ProvisionRow(
                version_id=version.id, path=path, ordinal=ordinal, depth=depth, unit="section",
                label=path.rsplit("/", 1)[-1], heading=None, text=text,
                parent_id=parent.id if parent else None,
            )  # fmt: skip
            session.add(row)
            session.flush()
            return row

        first = add("sec-1", 1, None, "Section one opens.")
        for n in range(1, 151):
            sub = add(f"sec-1/{n}", 2, first, f"Subsection {n} of section one.")
            if n % 50 == 0:
                add(f"sec-1/{n}/a", 3, sub, f"Paragraph (a) of subsection {n}.")
        add("sec-2", 1, None, "Section two stands alone.")
        add("sec-3", 1, None, "Section three closes.")
    return initialised


def test_a_long_subtree_is_read_whole_and_stops_at_the_next_section(long_law: str) -> None:
    with session_scope(long_law) as session:
        page = provision_page(session, REF, "sec-1")
    text = page["provision"]["text"]
    assert "Subsection 150 of section one." in text and "Paragraph (a) of subsection 150" in text
    assert "Section two" not in text
    assert len(page["provision"]["children"]) == 150
    assert page["next"]["path"] == "sec-2" and page["previous"] is None


def test_a_leaf_page_has_its_siblings_as_neighbours(long_law: str) -> None:
    with session_scope(long_law) as session:
        page = provision_page(session, REF, "sec-1/100")
    assert page["provision"]["text"].endswith("Paragraph (a) of subsection 100.")
    assert page["previous"]["path"] == "sec-1/99" and page["next"]["path"] == "sec-1/101"
    assert page["parent"]["path"] == "sec-1"
