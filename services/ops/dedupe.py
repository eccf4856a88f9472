"""Webhook updates handled exactly once across instances and restarts.

Telegram re-sends an update until some instance answers 2xx, and a load balancer
may retry a request on another instance. Each update id is claimed before it is
handled (`SET NX` with a short TTL), marked done afterwards (kept a day), and the
claim is dropped if handling failed, so:
- a duplicate of a handled update is acknowledged and skipped;
- a duplicate arriving while another instance is still handling it is refused
  with 503, so Telegram tries again later (rather than being told "done" for work
  that may yet fail);
- an update whose instance died mid-handling becomes claimable again once its
  claim expires, so the retry is handled instead of lost.
Without Redis there is one instance and an in-memory table does the same job.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from enum import Enum
from typing import TYPE_CHECKING

from services.ops.leader import instance_id

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from services.ops.redis import Keys

DONE = b"done"
_ABANDON = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class Claim(Enum):
    NEW = "new"  # ours to handle
    DONE = "done"  # handled before: acknowledge, skip
    BUSY = "busy"  # someone is handling it right now: ask Telegram to retry


class _Deduper:
    def __init__(self, *, done_ttl_s: int, claim_ttl_s: float) -> None:
        self.done_ttl_s = done_ttl_s
        self.claim_ttl_s = claim_ttl_s
        self.owner = f"busy:{instance_id()}".encode()


class RedisDeduper(_Deduper):
    def __init__(self, redis: Redis, keys: Keys, **kwargs: float) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.redis = redis
        self.keys = keys

    async def claim(self, bot_id: int, update_id: int) -> Claim:
        key = self.keys.update(bot_id, update_id)
        if await self.redis.set(key, self.owner, nx=True, px=int(self.claim_ttl_s * 1000)):
            return Claim.NEW
        value = await self.redis.get(key)
        if value is None:  # expired between the two calls: try once more
            ok = await self.redis.set(key, self.owner, nx=True, px=int(self.claim_ttl_s * 1000))
            return Claim.NEW if ok else Claim.BUSY
        return Claim.DONE if value == DONE else Claim.BUSY

    async def done(self, bot_id: int, update_id: int) -> None:
        await self.redis.set(self.keys.update(bot_id, update_id), DONE, ex=self.done_ttl_s)

    async def abandon(self, bot_id: int, update_id: int) -> None:
        await self.redis.eval(_ABANDON, 1, self.keys.update(bot_id, update_id), self.owner)


class MemoryDeduper(_Deduper):
    MAX_ENTRIES = 100_000

    def __init__(self, **kwargs: float) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._seen: OrderedDict[tuple[int, int], tuple[bytes, float]] = OrderedDict()

    def _live(self, key: tuple[int, int]) -> bytes | None:
        entry = self._seen.get(key)
        if entry is None:
            return None
        if entry[1] < time.monotonic():
            del self._seen[key]
            return None
        return entry[0]

    def _put(self, key: tuple[int, int], value: bytes, ttl_s: float) -> None:
        self._seen[key] = (value, time.monotonic() + ttl_s)
        self._seen.move_to_end(key)
        while len(self._seen) > self.MAX_ENTRIES:
            self._seen.popitem(last=False)

    async def claim(self, bot_id: int, update_id: int) -> Claim:
        value = self._live((bot_id, update_id))
        if value is None:
            self._put((bot_id, update_id), self.owner, self.claim_ttl_s)
            return Claim.NEW
        return Claim.DONE if value == DONE else Claim.BUSY

    async def done(self, bot_id: int, update_id: int) -> None:
        self._put((bot_id, update_id), DONE, self.done_ttl_s)

    async def abandon(self, bot_id: int, update_id: int) -> None:
        if self._live((bot_id, update_id)) == self.owner:
            del self._seen[(bot_id, update_id)]


UpdateDeduper = RedisDeduper | MemoryDeduper
