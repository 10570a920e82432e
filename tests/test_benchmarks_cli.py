"""`python -m benchmarks [SUITE ...]`: choosing suites, and how load-test rows are judged."""

from __future__ import annotations

import pytest
from benchmarks import bench_align, bench_web
from benchmarks.__main__ import SUITES, _chosen
from benchmarks.bench_web import BackendReport, LoadResult, comparisons


def test_named_suites_run_alone_and_none_named_runs_all() -> None:
    assert _chosen(["align", "web", "--json"]) == [bench_align, bench_web]
    assert _chosen([]) == SUITES


def test_an_unknown_suite_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(SystemExit, match=r"unknown suite.*nosuch.*choose from catalogue"):
        _chosen(["nosuch"])


def _report(think: float) -> BackendReport:
    result = LoadResult(seconds=2.0)
    result.latencies["article"] += [0.010, 0.012, 0.080]
    result.latencies["review (write)"] += [0.090, 0.100]
    result.latencies["health"] += [0.001]
    return BackendReport("sqlite", 2, result, [], 1.0, {}, think)


def test_pages_are_judged_against_the_target_and_writes_are_not() -> None:
    rows = {c.case: c.note for c in comparisons([_report(think=1.0)])}
    article = next(note for case, note in rows.items() if case.endswith("article page"))
    review = next(note for case, note in rows.items() if case.endswith("review (write)"))
    assert "over 50 ms" in article  # p95 of (10, 12, 80) ms is over the target
    assert "no latency target" in review and "over" not in review


def test_the_closed_loop_reports_capacity_instead_of_a_verdict() -> None:
    notes = [c.note for c in comparisons([_report(think=0.0)]) if "article" in c.case]
    assert notes and "capacity 2 req/s" in notes[0] and "ok;" not in notes[0]
