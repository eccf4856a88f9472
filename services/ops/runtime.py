"""What one running app needs to be one of several: built by `bot.app.create_app`.

`Ops` holds the metrics registry, the shared Redis client (None without
REDIS_URL), the scheduler control (RUN_SCHEDULER) and the webhook update
deduper. The bot layer adds the HTTP routes (`bot/ops_web.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.jobs.context import set_current_services
from services.ops.dedupe import MemoryDeduper, RedisDeduper, UpdateDeduper
from services.ops.leader import LeaderLock, SchedulerControl, instance_id
from services.ops.metrics import OpsMetrics
from services.ops.redis import Keys, make_redis

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from redis.asyncio import Redis

    from core.config import Settings
    from services.container import Services

log = logging.getLogger(__name__)


def scheduler_mode(settings: Settings) -> str:
    """off | always | leader, from SCHEDULER_ENABLED, RUN_SCHEDULER and REDIS_URL."""
    if not settings.scheduler_enabled or settings.run_scheduler == "no":
        return "off"
    if settings.run_scheduler == "yes" or not settings.redis_url:
        return "always"
    return "leader"


@dataclass
class Ops:
    services: Services
    metrics: OpsMetrics
    keys: Keys
    redis: Redis | None
    control: SchedulerControl
    deduper: UpdateDeduper
    instance: str
    on_lead: list[Callable[[], Awaitable[Any]]]

    @classmethod
    def build(cls, settings: Settings, services: Services, scheduler: AsyncIOScheduler) -> Ops:
        keys = Keys(settings.redis_prefix)
        redis = make_redis(settings.redis_url) if settings.redis_url else None
        instance = instance_id()
        mode = scheduler_mode(settings)
        lock = (
            LeaderLock(redis, keys.leader(), settings.leader_lock_ttl_s, owner=instance)
            if mode == "leader" and redis is not None
            else None
        )
        ttl = {"done_ttl_s": settings.update_dedupe_ttl_s,
               "claim_ttl_s": settings.update_claim_ttl_s}  # fmt: skip
        deduper: UpdateDeduper = (
            RedisDeduper(redis, keys, **ttl) if redis is not None else MemoryDeduper(**ttl)
        )
        ops = cls(
            services=services,
            metrics=OpsMetrics(services),
            keys=keys,
            redis=redis,
            control=SchedulerControl(scheduler, mode=mode, lock=lock),
            deduper=deduper,
            instance=instance,
            on_lead=[],
        )
        ops.control.on_lead = ops._lead
        return ops

    async def _lead(self) -> None:
        # Jobs reach the app through current_services(); the leader's must be the
        # one they see (several apps can share a process in tests).
        set_current_services(self.services)
        for hook in self.on_lead:
            try:
                await hook()
            except Exception:
                log.exception("leader hook failed")

    async def start(self) -> None:
        await self.control.start()

    async def stop(self) -> None:
        await self.control.stop()

    async def aclose(self) -> None:
        await self.stop()
        if self.redis is not None:
            await self.redis.aclose()
            self.redis = None

    async def scrape(self) -> bytes:
        await self.metrics.refresh(leading=self.control.leading)
        return self.metrics.render()
