"""Per-user flood control: a token bucket per user; excess updates are dropped.

The first dropped message of a burst gets a short localized notice, the rest are
silent, so a flooding client cannot make the bot flood back.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

MAX_TRACKED_USERS = 10_000


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        # user id -> (tokens, last refill time, already warned)
        self._buckets: OrderedDict[int, tuple[float, float, bool]] = OrderedDict()

    def allow(self, user_id: int, now: float | None = None) -> tuple[bool, bool]:
        """(allowed, warn): whether to handle the update, and whether to say so."""
        now = time.monotonic() if now is None else now
        tokens, last, warned = self._buckets.pop(user_id, (self.burst, now, False))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now, False)
            allowed, warn = True, False
        else:
            self._buckets[user_id] = (tokens, now, True)
            allowed, warn = False, not warned
        while len(self._buckets) > MAX_TRACKED_USERS:
            self._buckets.popitem(last=False)
        return allowed, warn

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        from_user = data.get("event_from_user")
        if from_user is None:
            return await handler(event, data)
        allowed, warn = self.allow(from_user.id)
        if allowed:
            return await handler(event, data)
        if warn:
            i18n = data["i18n"]
            if isinstance(event, Message):
                await event.answer(i18n("throttle-slow-down"))
            elif isinstance(event, CallbackQuery):
                await event.answer(i18n("throttle-slow-down"), show_alert=False)
        elif isinstance(event, CallbackQuery):
            await event.answer()
        return None
