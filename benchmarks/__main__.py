"""Run the benchmark suites and print a table (ratios against in-process baselines).

``python -m benchmarks [SUITE ...] [--json]``: every suite, or only those named
(catalogue, readers, segment, ingest, embed, align, web).
"""

from __future__ import annotations

import json
import sys
from types import ModuleType

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


def _chosen(argv: list[str]) -> list[ModuleType]:
    """The suites named on the command line (``python -m benchmarks align web``), else all."""
    names = {a for a in argv if not a.startswith("--")}
    known = {suite.__name__.rsplit(".", 1)[-1].removeprefix("bench_"): suite for suite in SUITES}
    unknown = names - set(known)
    if unknown:
        raise SystemExit(
            f"unknown suite(s): {', '.join(sorted(unknown))}; choose from {', '.join(known)}"
        )
    return [suite for name, suite in known.items() if not names or name in names]


def main() -> None:
    results: list[Comparison] = []
    for suite in _chosen(sys.argv[1:]):
        results.extend(suite.run())
    if "--json" in sys.argv:
        print(json.dumps([_record(r) for r in results], indent=2))
        return
    print_table(results)


def print_table(results: list[Comparison]) -> None:
    """The benchmark table; also used by suites run on their own."""
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
