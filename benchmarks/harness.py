"""Timing and memory helpers shared by the benchmark suites."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    name: str
    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Comparison:
    suite: str
    case: str
    candidate: Measurement
    baseline: Measurement
    note: str = ""

    @property
    def ratio(self) -> float:
        return (
            self.candidate.seconds / self.baseline.seconds
            if self.baseline.seconds
            else float("inf")
        )


def measure(
    name: str,
    func: Callable[[], object],
    *,
    repeat: int = 5,
    setup: Callable[[], object] | None = None,
) -> Measurement:
    """Median wall time over ``repeat`` runs, and peak Python heap of one run.

    ``setup`` runs untimed before every call (e.g. a fresh, empty store), so
    each timed run starts from the same state instead of the last run's.
    """
    if setup is not None:
        setup()
    func()  # warm-up: imports, caches, page cache
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    if setup is not None:
        setup()
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measurement(name, statistics.median(times), peak / 1e6)
