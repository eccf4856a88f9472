"""Exactly one instance runs the scheduler.

`RUN_SCHEDULER=auto` with Redis: every instance starts its scheduler paused and
competes for a Redis lock (`SET NX PX`); the holder resumes its scheduler and
renews the lock every third of its TTL. If the holder dies its lock expires and
another instance takes over within one TTL; if the holder cannot renew (Redis
down, lock lost) it pauses its scheduler at once, so two schedulers never run
together while the lock is in doubt. Without Redis, "auto" means this (single)
instance runs it; "yes"/"no" force it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

# Compare-and-set on the owner token: only the holder may renew or release.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def instance_id() -> str:
    """host:pid:random, shown in logs and stored as the lock's value."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaderLock:
    def __init__(self, redis: Redis, key: str, ttl_s: float, owner: str | None = None) -> None:
        self.redis = redis
        self.key = key
        self.ttl_ms = int(ttl_s * 1000)
        self.owner = owner or instance_id()

    async def acquire(self) -> bool:
        """Take the lock if free, or renew it if we hold it. True while we hold it."""
        if await self.redis.set(self.key, self.owner, nx=True, px=self.ttl_ms):
            return True
        return bool(await self.redis.eval(_RENEW, 1, self.key, self.owner, self.ttl_ms))

    async def release(self) -> bool:
        return bool(await self.redis.eval(_RELEASE, 1, self.key, self.owner))

    async def holder(self) -> str | None:
        value = await self.redis.get(self.key)
        return value.decode() if isinstance(value, bytes) else value


OnLead = Callable[[], Awaitable[Any] | Any]


class SchedulerControl:
    """Starts, pauses and resumes the app's scheduler according to RUN_SCHEDULER."""

    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        *,
        mode: str,
        lock: LeaderLock | None = None,
        on_lead: OnLead | None = None,
    ) -> None:
        if mode == "leader" and lock is None:
            raise ValueError("leader mode needs a LeaderLock")
        self.scheduler = scheduler
        self.mode = mode  # "off" | "always" | "leader"
        self.lock = lock
        self.on_lead = on_lead
        self.leading = False
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        """The scheduler runs where it should: always/leader modes have a running
        scheduler, leader mode also a live election loop."""
        if self.mode == "off":
            return True
        if not self.scheduler.running:
            return False
        return self.mode == "always" or (self._task is not None and not self._task.done())

    async def start(self) -> None:
        if self.mode == "off":
            return
        if self.mode == "always":
            self.scheduler.start()
            await self._became_leader()
            return
        self.scheduler.start(paused=True)
        await self.step()
        self._task = asyncio.create_task(self._loop(), name="scheduler-leader")

    async def step(self) -> None:
        """One election round: acquire/renew, then resume or pause the scheduler."""
        assert self.lock is not None
        try:
            held = await self.lock.acquire()
            self.last_error = None
        except Exception as exc:  # Redis unreachable: we cannot prove we lead
            self.last_error = type(exc).__name__
            log.warning("leader lock: %s", self.last_error)
            held = False
        if held and not self.leading:
            log.info("scheduler leader: %s", self.lock.owner)
            self.scheduler.resume()
            await self._became_leader()
        elif not held and self.leading:
            log.warning("scheduler leadership lost: pausing the scheduler")
            self.scheduler.pause()
            self.leading = False

    async def _became_leader(self) -> None:
        self.leading = True
        if self.on_lead is not None:
            try:
                result = self.on_lead()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("on-leader hook failed")

    async def _loop(self) -> None:
        assert self.lock is not None
        interval = self.lock.ttl_ms / 3000
        while True:
            await asyncio.sleep(interval)
            await self.step()

    async def stop(self) -> None:
        """Stop electing and hand the lock over at once (the scheduler itself is shut
        down by the app)."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.leading and self.lock is not None:
            with suppress(Exception):
                await self.lock.release()
        if self.leading and self.scheduler.running:
            with suppress(Exception):
                self.scheduler.pause()
        self.leading = False
