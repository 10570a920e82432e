"""Per-thread BLAS thread count, so encoder workers do not oversubscribe.

The numpy encoder is fastest when each CPU core runs its own batch with a
single-threaded BLAS: the many small attention products lose most of their
time to thread hand-offs when OpenBLAS splits them, and the elementwise
work (GELU, LayerNorm, softmax) only runs on several cores if several
Python threads run it. OpenBLAS (≥ 0.3.27) has a *thread-local* setting,
``openblas_set_num_threads_local``, which leaves the rest of the process
(and other libraries' numpy code) untouched. When the symbol cannot be
found, callers fall back to one worker with BLAS's own threading.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Callable
from functools import cache

import numpy as np


@cache
def _local_setter() -> Callable[[int], int] | None:
    libs_dir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs_dir, "*openblas*"))):
        try:
            lib = ctypes.CDLL(path)
            setter = lib.openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes = [ctypes.c_int]
        setter.restype = ctypes.c_int
        return setter
    return None


def can_limit_per_thread() -> bool:
    """Whether :func:`single_threaded_blas_here` has an effect on this install."""
    return _local_setter() is not None


def single_threaded_blas_here() -> None:
    """Make BLAS calls from the *calling* thread single-threaded (a pool initializer)."""
    setter = _local_setter()
    if setter is not None:
        setter(1)
