"""RUN_SCHEDULER resolution, the in-memory update deduper of a single instance, and
the scheduler control without Redis."""

from __future__ import annotations

import asyncio

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.config import Settings
from services.ops.dedupe import Claim, MemoryDeduper
from services.ops.leader import SchedulerControl
from services.ops.runtime import scheduler_mode


@pytest.mark.parametrize(
    ("enabled", "run", "redis", "mode"),
    [
        (True, "auto", None, "always"),  # one instance, no Redis: it runs the jobs
        (True, "auto", "redis://127.0.0.1:6379/0", "leader"),
        (True, "yes", "redis://127.0.0.1:6379/0", "always"),
        (True, "no", None, "off"),
        (False, "yes", None, "off"),  # SCHEDULER_ENABLED=false wins
    ],
)
def test_scheduler_mode(enabled: bool, run: str, redis: str | None, mode: str) -> None:
    settings = Settings(
        _env_file=None, scheduler_enabled=enabled, run_scheduler=run, redis_url=redis
    )
    assert scheduler_mode(settings) == mode


async def test_memory_deduper_claims_once_and_expires() -> None:
    dedupe = MemoryDeduper(done_ttl_s=60, claim_ttl_s=0.05)
    assert await dedupe.claim(1, 5) is Claim.NEW
    assert await dedupe.claim(1, 5) is Claim.BUSY
    await dedupe.done(1, 5)
    assert await dedupe.claim(1, 5) is Claim.DONE
    assert await dedupe.claim(1, 6) is Claim.NEW
    await dedupe.abandon(1, 6)
    assert await dedupe.claim(1, 6) is Claim.NEW
    await asyncio.sleep(0.06)  # claim expired: a died handler's update is handled again
    assert await dedupe.claim(1, 6) is Claim.NEW


async def test_control_without_redis() -> None:
    ran: list[int] = []
    always = AsyncIOScheduler()
    always.add_job(lambda: ran.append(1), "interval", seconds=0.02, id="tick")
    control = SchedulerControl(always, mode="always")
    await control.start()
    await asyncio.sleep(0.1)
    assert control.leading and control.alive and ran
    await control.stop()
    always.shutdown(wait=False)

    off = SchedulerControl(AsyncIOScheduler(), mode="off")
    await off.start()
    assert off.alive and not off.leading and not off.scheduler.running
    with pytest.raises(ValueError):
        SchedulerControl(AsyncIOScheduler(), mode="leader")
