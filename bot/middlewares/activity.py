"""Counts updates in flight, so a scripted chat knows when the bot has finished."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update


class ActivityTracker(BaseMiddleware):
    """Outermost update middleware: records which updates are being and have been handled."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.last_finished_update_id = 0
        self.finished = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def wait_idle(self) -> None:
        """Return once no update is being handled (wrap in asyncio.timeout)."""
        await self._idle.wait()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self.in_flight += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()
            self.finished += 1
            if isinstance(event, Update):
                self.last_finished_update_id = max(self.last_finished_update_id, event.update_id)
