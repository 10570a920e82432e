"""Login throttling: at most N failed attempts per minute per username and per client.

Counting per username stops a slow guesser spread over many addresses;
counting per client address stops one address trying many usernames. Only
failures count, so people who type their password right are never slowed
down, and a success clears that username's failures.

The counters live in the process. With ``--workers N`` each worker keeps
its own, so the effective limit is up to N times the setting — still a
hard ceiling on guessing speed; put a shared limiter in the reverse proxy
(see docs/deployment.md) if that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

WINDOW_SECONDS = 60.0
MAX_KEYS = 10_000
"""Above this many keys, idle ones are swept, so memory stays as small as the attack."""


class LoginLimiter:
    """A sliding-window counter of failures per key, safe across request threads."""

    def __init__(
        self,
        attempts_per_window: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = max(1, attempts_per_window)
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Seconds until another attempt is allowed, or None if one is allowed now."""
        with self._lock:
            now = self._clock()
            waits = [
                times[0] + self.window - now
                for key in keys
                if len(times := self._recent(key, now)) >= self.limit
            ]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, keys: Iterable[str]) -> None:
        with self._lock:
            now = self._clock()
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > MAX_KEYS:
                for key in list(self._failures):
                    self._recent(key, now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def login_keys(username: str, client: str | None) -> list[str]:
    return [f"user:{username.strip().lower()}", f"ip:{client or 'unknown'}"]
