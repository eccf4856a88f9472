"""Circuit breaker states and retry delays."""

from __future__ import annotations

import random

from services.market.resilience import BreakerState, CircuitBreaker, RetryPolicy


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_threshold_and_probes_once_when_half_open() -> None:
    clock = FakeTime()
    breaker = CircuitBreaker(3, 30.0, clock=clock)
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now = 29.9
    assert not breaker.allow() and breaker.seconds_until_probe() > 0
    clock.now = 30.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # everyone else waits for it
    breaker.record_failure()  # probe failed: open again, timer restarted
    assert breaker.state is BreakerState.OPEN
    clock.now = 59.0
    assert not breaker.allow()
    clock.now = 60.0
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.failures == 0


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(2, 1.0, clock=FakeTime())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


def test_backoff_grows_exponentially_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(retries=5, base_s=1.0, max_s=8.0, retry_after_max_s=20.0)
    rng = random.Random(1)
    for attempt, cap in enumerate([1, 2, 4, 8, 8]):
        delays = [policy.delay(attempt, rng=rng) for _ in range(50)]
        assert all(cap / 2 <= d <= cap for d in delays)
        assert len(set(delays)) > 1  # jittered
    assert policy.delay(0, retry_after_s=7.0, rng=rng) == 7.0
    assert policy.delay(0, retry_after_s=99.0, rng=rng) == 20.0  # capped
