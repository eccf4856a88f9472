"""Guards every incoming message and button press, and times every send.

`GuardMiddleware` (message and callback outer middleware, after the database and
i18n middlewares):
- names the actor of audit rows written while handling the update (`user:ID` or
  `admin:ID`, see services/audit/context.py);
- drops updates from users an admin blocked (no reply: a reply would invite retries);
- caps input centrally: command arguments over `max_command_args_len` and plain text
  over `max_text_len` characters get one localized answer and reach no handler
  (admins may send up to Telegram's own 4096 either way, e.g. `/broadcast TEXT`).
`SendLatency` (Bot session request middleware) records how long each Bot API send
or edit takes, for /admin.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import (
    EditMessageCaption,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject

from services.audit.context import acting_as

if TYPE_CHECKING:
    from services.container import Services

_TIMED = (SendMessage, SendPhoto, SendDocument, EditMessageText, EditMessageCaption)
ADMIN_TEXT_LIMIT = 4096


def oversize(text: str, *, args_limit: int, text_limit: int) -> bool:
    """True when a command's arguments or a plain text are longer than allowed."""
    if text.startswith("/"):
        _, _, args = text.partition(" ")
        return len(args.strip()) > args_limit
    return len(text) > text_limit


class GuardMiddleware(BaseMiddleware):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        from_user = data.get("event_from_user")
        if from_user is None:
            return await handler(event, data)
        is_admin = bool(data.get("is_admin"))
        admin = self.services.admin
        if not is_admin and admin is not None and admin.blocks.is_blocked(from_user.id):
            return None
        if isinstance(event, Message):
            settings = self.services.settings
            text = event.text or event.caption or ""
            limit = ADMIN_TEXT_LIMIT if is_admin else settings.max_text_len
            args_limit = ADMIN_TEXT_LIMIT if is_admin else settings.max_command_args_len
            if oversize(text, args_limit=args_limit, text_limit=limit):
                await event.answer(
                    data["i18n"](
                        "admin-input-too-long",
                        limit=args_limit if text.startswith("/") else limit,
                    )
                )
                return None
        elif isinstance(event, CallbackQuery) and len(event.data or "") > 64:
            return None  # Telegram never sends more; a forged update gets nothing
        with acting_as(f"{'admin' if is_admin else 'user'}:{from_user.id}"):
            return await handler(event, data)


class SendLatency(BaseRequestMiddleware):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        admin = self.services.admin
        if admin is None or not isinstance(method, _TIMED):
            return await make_request(bot, method)
        started = time.perf_counter()
        ok = False
        try:
            response = await make_request(bot, method)
            ok = True
            return response
        finally:
            admin.send_latency.record((time.perf_counter() - started) * 1000, ok=ok)
