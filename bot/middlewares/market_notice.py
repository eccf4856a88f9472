"""Sets who is asking for market data during each message or button press, so the
market hub can tell that user once, before the first simulated answer, that the
exchange is unreachable (see `services.market.notice`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from services.market.notice import requested_by

if TYPE_CHECKING:
    from services.container import Services


class MarketNoticeMiddleware(BaseMiddleware):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user, chat, i18n, bot = (data.get(k) for k in ("user", "event_chat", "i18n", "bot"))
        if self.services.market is None or None in (user, chat, i18n, bot):
            return await handler(event, data)

        async def announce() -> object:
            return await bot.send_message(chat.id, i18n("market-fallback-notice"))

        with requested_by(user.id, announce):
            return await handler(event, data)
