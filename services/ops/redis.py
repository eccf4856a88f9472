"""One Redis client per process, and the key layout every ops feature shares.

All keys start with `REDIS_PREFIX` so several bots, or parallel test runs, can
share one Redis server without seeing each other's locks, claims or FSM state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from core.config import Settings


def make_redis(url: str) -> Redis:
    from redis.asyncio import Redis

    return Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)


class Keys:
    """`<prefix>:<area>:<name>`; the FSM uses aiogram's own builder under `<prefix>:fsm`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def leader(self) -> str:
        return f"{self.prefix}:leader:scheduler"

    def update(self, bot_id: int, update_id: int) -> str:
        return f"{self.prefix}:update:{bot_id}:{update_id}"

    def rate(self, name: str, second: int) -> str:
        return f"{self.prefix}:rate:{name}:{second}"

    @property
    def fsm(self) -> str:
        return f"{self.prefix}:fsm"


def fsm_storage_and_isolation(settings: Settings) -> tuple[object, object] | None:
    """aiogram `RedisStorage` and `RedisEventIsolation` sharing one connection pool,
    or None without REDIS_URL (the caller keeps memory storage and no isolation)."""
    if not settings.redis_url:
        return None
    from aiogram.fsm.storage.base import DefaultKeyBuilder
    from aiogram.fsm.storage.redis import RedisStorage

    builder = DefaultKeyBuilder(prefix=Keys(settings.redis_prefix).fsm, with_bot_id=True)
    storage = RedisStorage(make_redis(settings.redis_url), key_builder=builder)
    return storage, storage.create_isolation()
