"""A send queue that keeps Telegram's limits and never loses a message to a 429.

Pushed messages (signals, digests, broadcasts, paper-trade notices) all go through
one `Sender`, so the bot as a whole stays under ~30 messages/s and every chat under
one message per `per_chat_interval_s`. Messages to one chat leave in priority order
and, within a priority, in the order they were queued. Flood control
(`TelegramRetryAfter`) pauses all sending for the time Telegram asks and then
retries the same message; transient network and 5xx errors retry with exponential
back-off; a user who blocked the bot is reported through `on_blocked` and not
retried. Interactive replies inside handlers do not need the queue.

The queue is built with the services, before the Bot exists; the app binds the Bot
at start-up (`bind`). Long texts and captions are split by the Bot session's limits
middleware (bot/middlewares/requests.py), so callers pass whole messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, Message
from aiolimiter import AsyncLimiter

from services.notify.results import (
    Counters,
    Job,
    Priority,
    ResultHook,
    SenderStats,
    SendResult,
    describe,
    result_for,
)

log = logging.getLogger(__name__)


class Sender:
    def __init__(
        self,
        bot: Bot | None = None,
        *,
        global_rate: float = 30.0,
        per_chat_interval_s: float = 1.0,
        max_attempts: int = 5,
        max_flood_waits: int = 20,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        concurrency: int = 16,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        limiter: Any = None,
    ) -> None:
        self._bot = bot
        self.per_chat_interval_s = per_chat_interval_s
        self.max_attempts = max_attempts
        self.max_flood_waits = max_flood_waits
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.on_blocked = on_blocked
        # Any object with `async acquire()`; ops passes one shared through Redis.
        self._limiter = limiter if limiter is not None else AsyncLimiter(global_rate, 1.0)
        self._slots = asyncio.Semaphore(concurrency)
        self._seq = itertools.count()
        self._chats: dict[int, list[tuple[int, int, Job]]] = {}
        self._next_allowed: dict[int, float] = {}
        self._scheduled: set[int] = set()  # chats waiting in _delayed or _runnable
        self._in_flight: set[int] = set()
        self._delayed: list[tuple[float, int, int]] = []  # (ready_at, seq, chat)
        self._runnable: list[tuple[int, int, int]] = []  # (priority, seq, chat)
        self._paused_until = 0.0
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._pending = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._counters = Counters()

    # -- public API -----------------------------------------------------------------

    def bind(self, bot: Bot) -> None:
        """Attach the app's Bot (sends queued before this wait for it)."""
        self._bot = bot
        self._wakeup.set()

    @property
    def bound(self) -> bool:
        return self._bot is not None

    def enqueue(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        reply_markup: Any = None,
        photo: bytes | None = None,
        photo_name: str = "chart.png",
        parse_mode: str | None = None,
        disable_notification: bool = False,
        priority: int = Priority.NORMAL,
        origin_wall_ms: int | None = None,
        tag: str | None = None,
        on_result: ResultHook | None = None,
    ) -> asyncio.Future[SendResult]:
        """Queue one message; the returned future resolves when it is sent or given up."""
        if text is None and photo is None:
            raise ValueError("a message needs text or a photo")
        self._ensure_started()
        loop = asyncio.get_running_loop()
        job = Job(
            priority=int(priority),
            seq=next(self._seq),
            chat_id=chat_id,
            text=text,
            photo=photo,
            photo_name=photo_name,
            reply_markup=reply_markup,
            parse_mode=parse_mode,
            disable_notification=disable_notification,
            origin_wall_ms=origin_wall_ms,
            tag=tag,
            on_result=on_result,
            future=loop.create_future(),
        )
        self._pending += 1
        self._idle.clear()
        heapq.heappush(self._chats.setdefault(chat_id, []), (*job.key(), job))
        self._schedule(chat_id)
        return job.future

    async def send(self, chat_id: int, text: str | None = None, **kwargs: Any) -> SendResult:
        """Queue one message and wait for its outcome (same arguments as `enqueue`)."""
        return await self.enqueue(chat_id, text, **kwargs)

    async def join(self) -> None:
        """Wait until every queued message is sent or given up."""
        await self._idle.wait()

    @property
    def pending(self) -> int:
        return self._pending

    def stats(self) -> SenderStats:
        return self._counters.stats(self._pending)

    def is_idle(self) -> bool:
        """True when nothing is queued or in flight (the e2e harness waits for it)."""
        return self._pending == 0

    async def aclose(self, *, drain_timeout_s: float = 10.0) -> None:
        """Deliver what is queued (up to the timeout), then stop the worker. Never
        bound to a bot (a CLI, a test of services), nothing could go out: no wait."""
        if self._bot is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.join(), drain_timeout_s)
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        for task in list(self._tasks):
            task.cancel()
        for heap in self._chats.values():
            for _, _, job in heap:
                if not job.future.done():
                    job.future.cancel()
        self._chats.clear()
        closer = getattr(self._limiter, "aclose", None)
        if closer is not None:
            await closer()

    # -- scheduling -----------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(
                self._run(), name="notify-sender"
            )

    def _schedule(self, chat_id: int) -> None:
        if chat_id in self._scheduled or chat_id in self._in_flight:
            return
        heap = self._chats.get(chat_id)
        if not heap:
            self._chats.pop(chat_id, None)
            return
        self._scheduled.add(chat_id)
        ready_at = self._next_allowed.get(chat_id, 0.0)
        if ready_at <= time.monotonic():
            priority, seq, _ = heap[0]
            heapq.heappush(self._runnable, (priority, seq, chat_id))
        else:
            heapq.heappush(self._delayed, (ready_at, next(self._seq), chat_id))
        self._wakeup.set()

    def _promote_ready(self, now: float) -> None:
        while self._delayed and self._delayed[0][0] <= now:
            _, _, chat_id = heapq.heappop(self._delayed)
            priority, seq, _ = self._chats[chat_id][0]
            heapq.heappush(self._runnable, (priority, seq, chat_id))

    async def _sleep_or_wake(self, delay: float | None) -> None:
        self._wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), delay)

    async def _run(self) -> None:
        while True:
            now = time.monotonic()
            self._promote_ready(now)
            if self._paused_until > now:
                await self._sleep_or_wake(self._paused_until - now)
                continue
            if self._bot is None:
                await self._sleep_or_wake(None)  # woken by bind()
                continue
            if not self._runnable:
                delay = self._delayed[0][0] - now if self._delayed else None
                await self._sleep_or_wake(delay)
                continue
            await self._slots.acquire()
            await self._limiter.acquire()
            if self._paused_until > time.monotonic():
                self._slots.release()  # a 429 arrived while we waited: re-check first
                continue
            _, _, chat_id = heapq.heappop(self._runnable)
            self._scheduled.discard(chat_id)
            _, _, job = heapq.heappop(self._chats[chat_id])
            self._in_flight.add(chat_id)
            task = asyncio.create_task(self._deliver(job))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # -- delivery -------------------------------------------------------------------

    async def _deliver(self, job: Job) -> None:
        chat_id = job.chat_id
        retry_in: float | None = None
        result: SendResult | None = None
        job.attempts += 1
        try:
            message = await self._call(job)
            result = result_for(job, "sent", message.message_id, None)
        except TelegramRetryAfter as exc:
            self._counters.retry_after += 1
            job.flood_waits += 1
            job.attempts -= 1  # flood control is not the message's fault
            wait = float(exc.retry_after)
            self._paused_until = max(self._paused_until, time.monotonic() + wait)
            log.warning("flood control: pausing sends for %.0fs (chat %s)", wait, chat_id)
            if job.flood_waits > self.max_flood_waits:
                result = result_for(job, "failed", None, "flood control persisted")
            else:
                retry_in = wait
        except TelegramForbiddenError as exc:
            result = result_for(job, "blocked", None, exc.message[:200])
        except (TelegramNetworkError, TelegramServerError, TimeoutError) as exc:
            if job.attempts >= self.max_attempts:
                result = result_for(job, "failed", None, describe(exc))
            else:
                self._counters.transient_retries += 1
                retry_in = min(self.backoff_max_s, self.backoff_base_s * 2 ** (job.attempts - 1))
                log.info("transient send error to %s (%s), retry in %.1fs", chat_id, exc, retry_in)
        except TelegramBadRequest as exc:
            result = result_for(job, "failed", None, describe(exc))
        except Exception as exc:  # never let one message kill the queue
            log.exception("unexpected error sending to chat %s", chat_id)
            result = result_for(job, "failed", None, describe(exc))
        finally:
            self._slots.release()
        now = time.monotonic()
        if retry_in is not None:
            heapq.heappush(self._chats.setdefault(chat_id, []), (*job.key(), job))
            self._next_allowed[chat_id] = now + retry_in
        else:
            self._next_allowed[chat_id] = now + self.per_chat_interval_s
        self._in_flight.discard(chat_id)
        self._schedule(chat_id)
        if result is not None:
            await self._finish(job, result)

    async def _call(self, job: Job) -> Message:
        bot = self._bot
        assert bot is not None
        extra: dict[str, Any] = {
            "reply_markup": job.reply_markup,
            "disable_notification": job.disable_notification,
        }
        if job.parse_mode is not None:  # otherwise the Bot's default (HTML) applies
            extra["parse_mode"] = job.parse_mode
        if job.photo is None:
            assert job.text is not None
            return await bot.send_message(chat_id=job.chat_id, text=job.text, **extra)
        photo = BufferedInputFile(job.photo, filename=job.photo_name)
        return await bot.send_photo(chat_id=job.chat_id, photo=photo, caption=job.text, **extra)

    async def _finish(self, job: Job, result: SendResult) -> None:
        c = self._counters
        if result.status == "sent":
            c.sent += 1
            if result.latency_ms is not None:
                c.latencies.append(result.latency_ms)
        elif result.status == "blocked":
            c.blocked += 1
            if self.on_blocked is not None:
                try:
                    await self.on_blocked(job.chat_id)
                except Exception:
                    log.exception("on_blocked hook failed for chat %s", job.chat_id)
        else:
            c.failed += 1
            log.warning("gave up sending to chat %s: %s", job.chat_id, result.error)
        if job.on_result is not None:
            try:
                await job.on_result(result)
            except Exception:
                log.exception("on_result hook failed for chat %s", job.chat_id)
        if not job.future.done():
            job.future.set_result(result)
        self._pending -= 1
        if self._pending == 0:
            self._idle.set()
