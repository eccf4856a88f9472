"""A send rate shared by every instance (Telegram's ~30 messages/s is per bot, not
per process).

Fixed one-second windows counted in Redis (`INCR` + `EXPIRE`): an instance that
finds the current second full waits for the next one. Two instances therefore
never exceed the rate together, where two in-process limiters would allow twice
it. If Redis is unreachable the limiter falls back to a local limiter of the same
rate rather than stopping delivery.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from aiolimiter import AsyncLimiter

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from services.ops.redis import Keys

log = logging.getLogger(__name__)


class SharedRateLimiter:
    def __init__(self, redis: Redis, keys: Keys, rate_per_s: float, name: str = "send") -> None:
        self.redis = redis
        self.keys = keys
        self.rate = max(1, int(rate_per_s))
        self.name = name
        self.waits = 0
        self._local = AsyncLimiter(rate_per_s, 1.0)

    async def acquire(self) -> None:
        while True:
            now = time.time()
            second = int(now)
            key = self.keys.rate(self.name, second)
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, 5)
                    count, _ = await pipe.execute()
            except Exception as exc:
                log.warning("shared rate limit unavailable (%s): limiting locally", exc)
                await self._local.acquire()
                return
            if int(count) <= self.rate:
                return
            self.waits += 1
            await asyncio.sleep(second + 1 - now + 0.001)

    async def aclose(self) -> None:
        await self.redis.aclose()
