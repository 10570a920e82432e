"""Run every benchmark suite and print a table (ratios against in-process baselines)."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table

from benchmarks import (
    bench_align,
    bench_catalogue,
    bench_embed,
    bench_ingest,
    bench_readers,
    bench_segment,
    bench_web,
)
from benchmarks.harness import Comparison

SUITES = [
    bench_catalogue,
    bench_readers,
    bench_segment,
    bench_ingest,
    bench_embed,
    bench_align,
    bench_web,
]


def main() -> None:
    results: list[Comparison] = []
    for suite in SUITES:
        results.extend(suite.run())
    if "--json" in sys.argv:
        print(json.dumps([_record(r) for r in results], indent=2))
        return
    table = Table(title="treatywatch benchmarks (median of runs; ratio = candidate / baseline)")
    for column in (
        "suite",
        "case",
        "candidate",
        "time",
        "peak MB",
        "baseline",
        "time",
        "ratio",
        "note",
    ):
        table.add_column(column)
    for r in results:
        table.add_row(
            r.suite,
            r.case,
            r.candidate.name,
            f"{r.candidate.seconds * 1000:.2f} ms",
            f"{r.candidate.peak_mb:.1f}",
            r.baseline.name,
            f"{r.baseline.seconds * 1000:.2f} ms",
            f"{r.ratio:.2f}×",
            r.note,
        )
    Console(width=200).print(table)


def _record(r: Comparison) -> dict[str, object]:
    return {
        "suite": r.suite,
        "case": r.case,
        "candidate": r.candidate.__dict__,
        "baseline": r.baseline.__dict__,
        "ratio": r.ratio,
        "note": r.note,
    }


if __name__ == "__main__":
    main()
