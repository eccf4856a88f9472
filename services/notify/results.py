"""What the send queue hands back and keeps per message: priorities, results, stats.

Kept apart from the queue's scheduling (`services.notify.sender`) so the features that
read results (signal delivery, digests, broadcasts) depend on these types only.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal


class Priority(IntEnum):
    """Lower goes first. Signals are time-critical; digests and broadcasts can wait."""

    HIGH = 0
    NORMAL = 5
    LOW = 9


SendStatus = Literal["sent", "blocked", "failed"]


@dataclass(frozen=True)
class SendResult:
    chat_id: int
    status: SendStatus
    message_id: int | None
    attempts: int
    error: str | None
    tag: str | None
    sent_wall_ms: int | None
    latency_ms: int | None  # from the caller's origin (e.g. candle close) to delivery

    @property
    def ok(self) -> bool:
        return self.status == "sent"


@dataclass(frozen=True)
class SenderStats:
    sent: int
    failed: int
    blocked: int
    retry_after: int
    transient_retries: int
    pending: int
    latency_p50_ms: int | None
    latency_p95_ms: int | None


ResultHook = Callable[[SendResult], Awaitable[None]]


@dataclass
class Job:
    """One queued message and its retry state (the queue orders by `key`)."""

    priority: int
    seq: int
    chat_id: int
    text: str | None
    photo: bytes | None
    photo_name: str
    reply_markup: Any
    parse_mode: str | None
    disable_notification: bool
    origin_wall_ms: int | None
    tag: str | None
    on_result: ResultHook | None
    future: asyncio.Future[SendResult]
    attempts: int = 0
    flood_waits: int = 0

    def key(self) -> tuple[int, int]:
        return (self.priority, self.seq)


@dataclass
class Counters:
    """Running totals behind `Sender.stats` (latencies of the last 2000 deliveries)."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retry_after: int = 0
    transient_retries: int = 0
    latencies: deque[int] = field(default_factory=lambda: deque(maxlen=2000))

    def stats(self, pending: int) -> SenderStats:
        ordered = sorted(self.latencies)

        def pct(q: float) -> int | None:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None

        return SenderStats(
            sent=self.sent,
            failed=self.failed,
            blocked=self.blocked,
            retry_after=self.retry_after,
            transient_retries=self.transient_retries,
            pending=pending,
            latency_p50_ms=pct(0.5),
            latency_p95_ms=pct(0.95),
        )


def result_for(
    job: Job, status: SendStatus, message_id: int | None, error: str | None
) -> SendResult:
    """The outcome of a job; latency counts from the caller's origin to now."""
    sent_ms = int(time.time() * 1000) if status == "sent" else None
    latency = (
        sent_ms - job.origin_wall_ms
        if sent_ms is not None and job.origin_wall_ms is not None
        else None
    )
    return SendResult(
        chat_id=job.chat_id,
        status=status,
        message_id=message_id,
        attempts=job.attempts,
        error=error,
        tag=job.tag,
        sent_wall_ms=sent_ms,
        latency_ms=latency,
    )


def describe(exc: BaseException) -> str:
    """Exception text without anything secret (aiogram messages never carry the token)."""
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]
