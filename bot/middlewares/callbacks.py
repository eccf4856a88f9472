"""Every callback query gets exactly one answer, so no button spins forever.

Handlers may call `callback.answer(...)` themselves; `AnsweredCallbacks` (a request
middleware) notes every answer that goes out, and `CallbackAutoAnswer` answers
whatever is left after the handler returns or when nothing handled it. When the
handler fails, the error handler answers with the error reference instead.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, TelegramObject

log = logging.getLogger(__name__)


class AnsweredCallbacks(BaseRequestMiddleware):
    def __init__(self, keep: int = 4096) -> None:
        self.keep = keep
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, callback_id: str) -> bool:
        return callback_id in self._ids

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery):
            self._ids[method.callback_query_id] = None
            while len(self._ids) > self.keep:
                self._ids.popitem(last=False)
        return await make_request(bot, method)


class CallbackAutoAnswer(BaseMiddleware):
    def __init__(self, answered: AnsweredCallbacks) -> None:
        self.answered = answered

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        result = await handler(event, data)  # on error, the error handler answers
        if event.id not in self.answered:
            text = data["i18n"]("callback-expired") if result is UNHANDLED else None
            try:
                await event.answer(text)
            except Exception:  # the query may have expired meanwhile
                log.warning("could not answer callback query %s", event.id, exc_info=True)
        return result
