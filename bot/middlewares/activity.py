"""Counts updates in flight, so a scripted chat knows when the bot has finished
and a shutdown can wait for running handlers.

It wraps `Dispatcher.feed_update` itself rather than sitting in the middleware
chain, so it also covers aiogram's error middleware: the error reply to a failed
update is part of that update's work.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update


class ActivityTracker:
    def __init__(self) -> None:
        self.in_flight = 0
        self.finished = 0
        self.last_finished_update_id = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def begin(self) -> None:
        self.in_flight += 1
        self._idle.clear()

    def end(self, update: Update) -> None:
        self.in_flight -= 1
        self.finished += 1
        self.last_finished_update_id = max(self.last_finished_update_id, update.update_id)
        if not self.in_flight:
            self._idle.set()

    async def wait_idle(self) -> None:
        """Return once no update is being handled (wrap in asyncio.timeout)."""
        await self._idle.wait()


class TrackingDispatcher(Dispatcher):
    def __init__(self, *, activity: ActivityTracker, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activity = activity

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        self.activity.begin()
        try:
            return await super().feed_update(bot, update, **kwargs)
        finally:
            self.activity.end(update)
