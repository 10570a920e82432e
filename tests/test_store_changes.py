"""The trigger-written change log and the stamps read from it (SQLite and PostgreSQL).

A stale cached page is the failure these tests guard against: every write
to a table that pages show must move the stamp of the scope it touches,
whoever writes it (ORM, Core, raw SQL), and nothing else may.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, insert, select, text, update

from conftest import POSTGRES_URL, _reset_postgres
from treatywatch.store import init_store, session_scope
from treatywatch.store.changes import (
    CATALOGUE,
    LAWS,
    LEDGER,
    Stamp,
    article_scope,
    compact,
    compact_if_large,
    country_scope,
    stamp,
    version_scope,
)
from treatywatch.store.db import dispose_engines
from treatywatch.store.models import (
    AlignmentRow,
    DocumentRow,
    DocumentVersionRow,
    FindingRow,
    ProvisionRow,
    StatusEventRow,
    StoreChangeRow,
)

SCOPES_OF_INTEREST = (LAWS, LEDGER, CATALOGUE)


def _law(url: str) -> tuple[int, int]:
    """A fictional one-section law; returns (version id, provision id)."""
    with session_scope(url) as session:
        from treatywatch.ledger.jurisdictions import ensure_jurisdiction

        ensure_jurisdiction(session, "KEN")
        session.add(DocumentRow(id="ken/act/2099/fictional", jurisdiction_code="KEN", title="T"))
        version = DocumentVersionRow(
            document_id="ken/act/2099/fictional",
            version_date=dt.date(2099, 1, 1),
            sha256="0" * 64,
            source_format="txt",
        )
        session.add(version)
        session.flush()
        provision = ProvisionRow(
            version_id=version.id, path="sec-1", ordinal=1, depth=1, unit="section", text="x"
        )
        session.add(provision)
        session.flush()
        return version.id, provision.id


def _stamp(url: str, *scopes: str) -> Stamp:
    with session_scope(url) as session:
        return stamp(session, scopes)


def _moved(before: Stamp, after: Stamp) -> set[str]:
    old = dict(before.counts)
    return {scope for scope, n in after.counts if n != old.get(scope)}


@pytest.fixture
def law(initialised: str) -> tuple[str, int, int]:
    version_id, provision_id = _law(initialised)
    return initialised, version_id, provision_id


def test_a_new_law_moves_its_version_its_country_and_laws(initialised: str) -> None:
    scopes = (country_scope("KEN"), country_scope("GHA"), LAWS, LEDGER, CATALOGUE)
    before = _stamp(initialised, *scopes, version_scope(1))
    version_id, _ = _law(initialised)
    after = _stamp(initialised, *scopes, version_scope(version_id))
    assert _moved(before, after) >= {country_scope("KEN"), LAWS}
    assert country_scope("GHA") not in _moved(before, after)
    assert CATALOGUE not in _moved(before, after)
    assert dict(after.counts)[version_scope(version_id)] >= 1


def test_a_review_moves_the_version_and_both_articles_only(law: tuple[str, int, int]) -> None:
    url, version_id, provision_id = law
    with session_scope(url) as session:
        row = AlignmentRow(provision_id=provision_id, article_id="uncc/art-7", score=0.9)
        session.add(row)
        session.flush()
        alignment_id = row.id
    scopes = (
        version_scope(version_id),
        article_scope("uncc/art-7"),
        article_scope("uncc/art-8"),
        article_scope("uncc/art-9"),
        country_scope("KEN"),
        *SCOPES_OF_INTEREST,
    )
    before = _stamp(url, *scopes)
    # Core UPDATE, as a script would write it: triggers see it all the same.
    with session_scope(url) as session:
        session.execute(
            update(AlignmentRow)
            .where(AlignmentRow.id == alignment_id)
            .values(status="overridden", article_id="uncc/art-8")
        )
    after = _stamp(url, *scopes)
    assert _moved(before, after) == {
        version_scope(version_id),
        article_scope("uncc/art-7"),
        article_scope("uncc/art-8"),
    }


def test_raw_sql_findings_and_ledger_writes_are_seen(law: tuple[str, int, int]) -> None:
    url, version_id, _ = law
    scopes = (version_scope(version_id), LEDGER, LAWS)
    before = _stamp(url, *scopes)
    with session_scope(url) as session:
        session.execute(
            insert(FindingRow).values(
                version_id=version_id,
                criterion_id=session.scalars(text("SELECT id FROM criteria")).first(),
                status="fails",
                severity="high",
                explanation="fictional",
                evidence=[],
                detector="test",
            )
        )
    middle = _stamp(url, *scopes)
    assert _moved(before, middle) == {version_scope(version_id)}
    with session_scope(url) as session:
        session.add(
            StatusEventRow(
                jurisdiction_code="KEN",
                instrument_id="uncc",
                event="signature",
                event_date=dt.date(2099, 1, 2),
                date_precision="day",
                source_key="fictional-change-log-test",
            )
        )
    assert _moved(middle, _stamp(url, *scopes)) == {LEDGER}


def test_deleting_a_law_cascades_without_error_and_is_seen(law: tuple[str, int, int]) -> None:
    url, version_id, provision_id = law
    with session_scope(url) as session:
        session.add(AlignmentRow(provision_id=provision_id, article_id="uncc/art-7", score=0.5))
    before = _stamp(url, version_scope(version_id), LAWS, article_scope("uncc/art-7"))
    with session_scope(url) as session:
        session.execute(text("DELETE FROM alignments"))
        session.execute(text("DELETE FROM provisions"))
        session.execute(text("DELETE FROM document_versions"))
    after = _stamp(url, version_scope(version_id), LAWS, article_scope("uncc/art-7"))
    assert _moved(before, after) == {version_scope(version_id), LAWS, article_scope("uncc/art-7")}


def test_a_failed_write_moves_nothing(law: tuple[str, int, int]) -> None:
    url, version_id, provision_id = law
    before = _stamp(url, version_scope(version_id))
    with pytest.raises(RuntimeError), session_scope(url) as session:
        session.add(AlignmentRow(provision_id=provision_id, article_id="uncc/art-7", score=0.5))
        session.flush()
        raise RuntimeError("rolled back")
    assert _stamp(url, version_scope(version_id)) == before


def test_compaction_starts_a_new_generation_that_never_equals_an_old_stamp(
    law: tuple[str, int, int],
) -> None:
    url, version_id, _ = law
    before = _stamp(url, version_scope(version_id), LAWS)
    with session_scope(url) as session:
        assert compact_if_large(session, limit=10**9) == 0  # small log: left alone
        removed = compact(session)
        assert removed > 0
        assert session.scalar(select(StoreChangeRow.id).limit(1)) is None
    after = _stamp(url, version_scope(version_id), LAWS)
    assert after.generation != before.generation and after != before
    assert all(n == 0 for _, n in after.counts)


def test_every_store_has_its_own_epoch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    init_store(first)
    init_store(second)
    one, two = _stamp(first, LAWS), _stamp(second, LAWS)
    assert one.epoch and two.epoch and one.epoch != two.epoch
    assert one.counts == two.counts  # same history, yet the stamps differ
    assert one != two


@pytest.fixture
def postgres_store() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.fail("CI=true but TREATYWATCH_TEST_POSTGRES_URL is not set (see .ci/run)")
    _reset_postgres(POSTGRES_URL)
    init_store(POSTGRES_URL)
    yield POSTGRES_URL
    dispose_engines()


# Two concurrent writers need PostgreSQL (SQLite runs one writer at a time). CI always
# has it (conftest fails the run there without it); elsewhere it runs when configured.
@pytest.mark.skipif(
    not POSTGRES_URL and os.environ.get("CI") != "true",
    reason="needs TREATYWATCH_TEST_POSTGRES_URL (always set in CI)",
)
def test_a_late_commit_of_an_earlier_write_still_moves_the_stamp(postgres_store: str) -> None:
    """On PostgreSQL a slow writer can commit a smaller id after a faster one; a stamp
    made of the newest id would then never move and a stale page would live on.
    (SQLite runs one writer at a time, so there the order cannot invert.)"""
    url = postgres_store
    version_id, provision_id = _law(url)
    with session_scope(url) as session:
        session.add_all(
            AlignmentRow(provision_id=provision_id, article_id=a, score=0.5)
            for a in ("uncc/art-7", "uncc/art-8")
        )
    scope = version_scope(version_id)
    slow_wrote, fast_done = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with session_scope(url) as session:
            session.execute(
                update(AlignmentRow)
                .where(AlignmentRow.article_id == "uncc/art-7")
                .values(status="accepted")
            )
            session.flush()
            slow_wrote.set()
            fast_done.wait(10)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert slow_wrote.wait(10)
    with session_scope(url) as session:  # the fast writer: later id, earlier commit
        session.execute(
            update(AlignmentRow)
            .where(AlignmentRow.article_id == "uncc/art-8")
            .values(status="rejected")
        )
    seen_between = _stamp(url, scope)
    fast_done.set()
    thread.join(10)
    assert _stamp(url, scope) != seen_between


def test_alignment_and_assessment_runs_keep_the_log_bounded(
    initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from treatywatch.align.service import align_document, build_engine, engine_options
    from treatywatch.assess.service import assess_document
    from treatywatch.ingest.pipeline import IngestRequest, ingest
    from treatywatch.samples import SAMPLE_LAWS
    from treatywatch.store import changes

    law = SAMPLE_LAWS[0]
    ref = ingest(
        IngestRequest(path=law.path("txt"), country=law.country, doc_id=law.document_id),
        url=initialised,
    ).ref
    monkeypatch.setattr(changes, "COMPACT_AT", 10)
    for run in (
        lambda: align_document(
            ref, url=initialised, engine=build_engine(engine_options(["lexical", "rules"]))
        ),
        lambda: assess_document(ref, initialised),
    ):
        before = _stamp(initialised, LAWS)
        run()
        after = _stamp(initialised, LAWS)
        assert after.generation != before.generation  # the run's rows were compacted away
        with session_scope(initialised) as session:
            left = session.scalar(select(func.count()).select_from(StoreChangeRow))
        assert left == 0  # compaction was the run's last write
