"""The Redis pieces of scale-out on the real server (TEST_REDIS_URL): the leader
lock and the scheduler it gates, webhook update claims, the shared send rate and
the FSM storage's key prefix."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import StorageKey
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis

from core.config import Settings
from services.ops.dedupe import Claim, RedisDeduper
from services.ops.leader import LeaderLock, SchedulerControl
from services.ops.ratelimit import SharedRateLimiter
from services.ops.redis import Keys, fsm_storage_and_isolation, make_redis
from tests.backends import RedisTarget


@pytest.fixture
async def redis(redis_target: RedisTarget) -> AsyncIterator[Redis]:
    client = make_redis(redis_target.url)
    yield client
    await client.aclose()


async def test_leader_lock_is_exclusive_renewable_and_expires(
    redis: Redis, redis_target: RedisTarget
) -> None:
    key = Keys(redis_target.prefix).leader()
    a = LeaderLock(redis, key, ttl_s=0.5, owner="a")
    b = LeaderLock(redis, key, ttl_s=0.5, owner="b")
    assert await a.acquire() is True
    assert await b.acquire() is False
    await asyncio.sleep(0.3)
    assert await a.acquire() is True  # renewed: still a's after the first TTL
    await asyncio.sleep(0.3)
    assert await b.acquire() is False and await a.holder() == "a"
    assert await b.release() is False  # only the holder may release
    assert await a.release() is True
    assert await b.acquire() is True
    await asyncio.sleep(0.7)  # b dies without renewing: the lock expires
    assert await a.acquire() is True and await a.holder() == "a"


async def test_exactly_one_scheduler_runs_and_another_takes_over(
    redis: Redis, redis_target: RedisTarget
) -> None:
    runs: Counter[str] = Counter()
    controls = []
    for name in ("one", "two", "three"):
        scheduler = AsyncIOScheduler()

        async def tick(name: str = name) -> None:
            runs[name] += 1

        scheduler.add_job(tick, "interval", seconds=0.05, id="tick")
        lock = LeaderLock(redis, Keys(redis_target.prefix).leader(), ttl_s=0.6, owner=name)
        controls.append(SchedulerControl(scheduler, mode="leader", lock=lock))
    try:
        for control in controls:
            await control.start()
        await asyncio.sleep(0.5)
        leaders = [c for c in controls if c.leading]
        assert len(leaders) == 1 and all(c.alive for c in controls)
        first = leaders[0]
        assert set(runs) == {first.lock.owner} and runs[first.lock.owner] >= 3

        await first.stop()  # hands the lock over
        before = dict(runs)
        await asyncio.sleep(0.8)  # one renewal interval (ttl/3) and some ticks
        leaders = [c for c in controls if c.leading]
        assert len(leaders) == 1 and leaders[0] is not first
        assert runs[first.lock.owner] == before[first.lock.owner]
        assert runs[leaders[0].lock.owner] >= 3
    finally:
        for control in controls:
            await control.stop()
            control.scheduler.shutdown(wait=False)


async def test_scheduler_pauses_when_redis_cannot_confirm_the_lock(
    redis_target: RedisTarget,
) -> None:
    scheduler = AsyncIOScheduler()
    scheduler.add_job(lambda: None, "interval", seconds=60, id="noop")
    client = make_redis(redis_target.url)
    lock = LeaderLock(client, Keys(redis_target.prefix).leader(), ttl_s=1)
    control = SchedulerControl(scheduler, mode="leader", lock=lock)
    await control.start()
    assert control.leading
    await client.aclose()
    lock.redis = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)  # unreachable
    await control.step()
    assert not control.leading and control.last_error
    assert scheduler.state == 2  # STATE_PAUSED: no job runs while the lock is in doubt
    await control.stop()
    scheduler.shutdown(wait=False)
    await lock.redis.aclose()


async def test_update_claims_across_instances(redis: Redis, redis_target: RedisTarget) -> None:
    keys = Keys(redis_target.prefix)
    a = RedisDeduper(redis, keys, done_ttl_s=60, claim_ttl_s=0.3)
    b = RedisDeduper(redis, keys, done_ttl_s=60, claim_ttl_s=0.3)
    assert await a.claim(1, 10) is Claim.NEW
    assert await b.claim(1, 10) is Claim.BUSY  # a is still handling it
    await a.done(1, 10)
    assert await b.claim(1, 10) is Claim.DONE
    assert await b.claim(2, 10) is Claim.NEW  # another bot's update 10
    # A failed handler gives the update back at once.
    assert await a.claim(1, 11) is Claim.NEW
    await b.abandon(1, 11)  # not b's claim: no effect
    assert await b.claim(1, 11) is Claim.BUSY
    await a.abandon(1, 11)
    assert await b.claim(1, 11) is Claim.NEW
    # An instance that died mid-update: its claim expires and a retry is handled.
    assert await a.claim(1, 12) is Claim.NEW
    await asyncio.sleep(0.4)
    assert await b.claim(1, 12) is Claim.NEW


async def test_shared_rate_limit_holds_across_instances(redis_target: RedisTarget) -> None:
    keys = Keys(redis_target.prefix)
    limiters = [SharedRateLimiter(make_redis(redis_target.url), keys, 10) for _ in range(2)]
    stamps: list[int] = []

    async def take(limiter: SharedRateLimiter) -> None:
        await limiter.acquire()
        stamps.append(int(time.time()))

    try:
        await asyncio.gather(*(take(limiters[i % 2]) for i in range(25)))
    finally:
        for limiter in limiters:
            await limiter.aclose()
    per_second = Counter(stamps)
    assert len(stamps) == 25
    assert max(per_second.values()) <= 10  # two local limiters would allow 20
    assert len(per_second) >= 3
    assert sum(limiter.waits for limiter in limiters) > 0


async def test_fsm_storage_uses_the_prefix(redis: Redis, redis_target: RedisTarget) -> None:
    settings = Settings(
        _env_file=None, redis_url=redis_target.url, redis_prefix=redis_target.prefix
    )
    shared = fsm_storage_and_isolation(settings)
    assert shared is not None
    storage, isolation = shared
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    try:
        await storage.set_state(key, "Form:amount")  # type: ignore[attr-defined]
        async with isolation.lock(key):  # type: ignore[attr-defined]
            assert await storage.get_state(key) == "Form:amount"  # type: ignore[attr-defined]
        found = [k async for k in redis.scan_iter(match=f"{redis_target.prefix}:fsm:*")]
        assert found and all(k.decode().startswith(f"{redis_target.prefix}:fsm:") for k in found)
    finally:
        await storage.close()  # type: ignore[attr-defined]
