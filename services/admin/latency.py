"""Telegram send latency: how long Bot API send/edit calls take, newest N kept."""

from __future__ import annotations

from collections import deque


class LatencyRing:
    def __init__(self, keep: int = 2000) -> None:
        self._ms: deque[float] = deque(maxlen=keep)
        self.calls = 0
        self.errors = 0

    def record(self, ms: float, *, ok: bool = True) -> None:
        self.calls += 1
        if ok:
            self._ms.append(ms)
        else:
            self.errors += 1

    def percentile(self, q: float) -> float | None:
        if not self._ms:
            return None
        ordered = sorted(self._ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
