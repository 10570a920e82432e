"""The ingest's fast paths give exactly what the plain code they replace gives.

Each faster form (a regex trie, a C-level word split, a driver-level insert)
is checked against the straightforward form on generated input, so a change
to one that alters a result fails here rather than in a corpus diff.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ingest_trees import act
from treatywatch.ingest import persist
from treatywatch.ingest.alternation import literal_alternation
from treatywatch.ingest.enrich.cuelist import _PUNCT, _TOKEN, normalise, printed_words, tokenize
from treatywatch.ingest.enrich.language import _one_line
from treatywatch.ingest.enrich.penalties import _WORDS, _words_in
from treatywatch.ingest.persist import write_provisions
from treatywatch.ingest.readers import pdf, read_file
from treatywatch.ingest.readers.layout import PAGE_NUMBER, is_page_number
from treatywatch.ledger.jurisdictions import ensure_jurisdiction
from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import init_store, session_scope
from treatywatch.store.models import DocumentRow, DocumentVersionRow, ProvisionRow

_LETTERS = "ab.-é’ "
_TEXT = "aZ9-_ `'.,()\n\t\x01é’ßœ\xa0«²–\u2028ж"


def _longest_first(items: list[str], suffix: str) -> str:
    def ending(item: str) -> str:
        return suffix if item[-1:].isalpha() else ""

    ordered = sorted(set(items), key=len, reverse=True)
    return "|".join(re.escape(item) + ending(item) for item in ordered)


@settings(max_examples=400)
@given(
    items=st.lists(st.text(_LETTERS, max_size=5), max_size=8),
    text=st.text(_LETTERS + "xyz1", max_size=40),
    suffix=st.sampled_from(["", r"(?!\w)"]),
    wrap=st.sampled_from(["(?:{})", "(?P<a>{})x?", r"\b(?:{})(?!\w)", "(?:{})+"]),
)
def test_trie_alternation_matches_like_longest_first(
    items: list[str], text: str, suffix: str, wrap: str
) -> None:
    def ending(item: str) -> str:
        return suffix if item[-1:].isalpha() else ""

    plain = re.compile(wrap.format(_longest_first(items, suffix)))
    trie = re.compile(wrap.format(literal_alternation(items, ending)))
    assert [(m.span(), m.groups()) for m in trie.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]


@settings(max_examples=400)
@given(st.text(_TEXT, max_size=30))
def test_word_splits_match_the_token_pattern(text: str) -> None:
    assert tokenize(text) == _TOKEN.findall(normalise(text))
    assert printed_words(text) == _TOKEN.findall(text.translate(_PUNCT))
    low = text.lower()
    assert _words_in(low) == set(_WORDS.findall(low))


@settings(max_examples=400)
@given(st.text("ab \n\t\r\xa0\u2028\x0b\x1cé\xad.", max_size=20))
def test_one_line_is_split_and_join(text: str) -> None:
    assert _one_line(text) == " ".join(text.split())


@settings(max_examples=400)
@given(st.text("Page 12of/-–—~[]ivxlcdmIVXLCDMİı \t١pg.seite", max_size=12))
def test_page_number_test_matches_the_pattern(text: str) -> None:
    assert is_page_number(text) == bool(PAGE_NUMBER.match(text.strip()))


def _stored(url: str, generic: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The rows of the sample Act as stored by the SQLite or the generic insert."""
    if generic:
        monkeypatch.setattr(
            persist,
            "_insert_with_ids",
            lambda connection, entries: persist._insert_then_link(
                connection, entries[0][0]["version_id"], entries
            )[1],
        )
    with session_scope(url) as s:
        ensure_jurisdiction(s, "ATA")
        s.add(DocumentRow(id="ata/act/2024/x", jurisdiction_code="ATA", title="X"))
        s.flush()
        version = DocumentVersionRow(
            document_id="ata/act/2024/x",
            version_date=dt.date(2024, 1, 1),
            sha256="a" * 64,
            source_format="txt",
        )
        s.add(version)
        s.flush()
        write_provisions(s, version.id, act())
    with session_scope(url) as s:
        rows = s.execute(select(ProvisionRow).order_by(ProvisionRow.ordinal)).scalars().all()
        return [
            (r.id, r.parent_id, r.path, r.ordinal, r.depth, r.unit, r.text, r.details) for r in rows
        ]


def test_sqlite_insert_with_ids_stores_what_the_generic_insert_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_url = f"sqlite:///{tmp_path / 'fast.db'}"
    generic_url = f"sqlite:///{tmp_path / 'generic.db'}"
    init_store(fast_url)
    init_store(generic_url)
    fast = _stored(fast_url, False, monkeypatch)
    generic = _stored(generic_url, True, monkeypatch)
    assert fast == generic
    assert any(parent is not None for _id, parent, *_rest in fast)


def test_a_failure_in_the_pdf_helper_thread_reaches_the_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(document: object, index: int) -> list[object]:
        raise RuntimeError(f"page {index} exploded")

    monkeypatch.setattr(pdf, "_page_lines", broken)
    with pytest.raises(RuntimeError, match="page 0 exploded"):
        read_file(SAMPLE_LAWS[0].path("pdf"))
