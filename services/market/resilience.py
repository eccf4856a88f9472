"""Per-source protection: circuit breaker, retry delays, counters.

The breaker is hand-written because its states are product behaviour (what
`/status` shows, when fallback kicks in), and it is small: closed -> open after
`failure_threshold` consecutive failures; open -> half-open once `reset_after_s`
has passed, letting exactly one probe through; the probe's outcome closes or
re-opens it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int,
        reset_after_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = max(1, failure_threshold)
        self.reset_after_s = reset_after_s
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        if (
            self._state is BreakerState.OPEN
            and self._clock() - self._opened_at >= self.reset_after_s
        ):
            self._state = BreakerState.HALF_OPEN
            self._probe_in_flight = False
        return self._state

    @property
    def failures(self) -> int:
        return self._failures

    def allow(self) -> bool:
        """May a request go out now? In half-open, only the first caller (the probe)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._probe_in_flight = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self.failure_threshold:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
            self._probe_in_flight = False

    def seconds_until_probe(self) -> float:
        if self.state is not BreakerState.OPEN:
            return 0.0
        return max(0.0, self.reset_after_s - (self._clock() - self._opened_at))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    retries: int  # extra attempts after the first
    base_s: float
    max_s: float
    retry_after_max_s: float

    def delay(
        self, attempt: int, retry_after_s: float | None = None, *, rng: random.Random | None = None
    ) -> float:
        """Full-jitter exponential backoff; a server's Retry-After is a lower bound."""
        cap = min(self.max_s, self.base_s * (2**attempt))
        jittered = (rng or random).uniform(cap / 2, cap)
        if retry_after_s is not None:
            jittered = max(jittered, min(retry_after_s, self.retry_after_max_s))
        return jittered


@dataclass
class SourceStats:
    """Counters per source for `/status` and logs."""

    requests: int = 0
    successes: int = 0
    failures: int = 0
    retries: int = 0
    rate_limited: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    stale_served: int = 0
    latency_ms_total: float = 0.0
    latency_ms_last: float | None = None
    last_error: str | None = None
    errors_by_kind: dict[str, int] = field(default_factory=dict)

    def record_success(self, ms: float) -> None:
        self.successes += 1
        self.latency_ms_total += ms
        self.latency_ms_last = ms

    def record_error(self, kind: str, message: str) -> None:
        self.failures += 1
        self.errors_by_kind[kind] = self.errors_by_kind.get(kind, 0) + 1
        self.last_error = f"{kind}: {message}"[:200]

    @property
    def latency_ms_avg(self) -> float | None:
        return self.latency_ms_total / self.successes if self.successes else None

    def snapshot(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "successes": self.successes,
            "failures": self.failures,
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
            "stale_served": self.stale_served,
            "latency_ms_avg": None
            if self.latency_ms_avg is None
            else round(self.latency_ms_avg, 1),
            "latency_ms_last": None
            if self.latency_ms_last is None
            else round(self.latency_ms_last, 1),
            "errors_by_kind": dict(self.errors_by_kind),
            "last_error": self.last_error,
        }
