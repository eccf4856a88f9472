"""Request middlewares on the Bot session: Telegram's limits and flood waits.

`LimitsMiddleware` makes every outgoing text fit: a message over 4096 characters
goes out as several messages split on line boundaries (keyboard on the last), a
caption over 1024 keeps what fits and sends the rest as a follow-up message.
`RetryMiddleware` waits out `TelegramRetryAfter` and retries brief server errors.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods import (
    EditMessageCaption,
    EditMessageText,
    SendAnimation,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVideo,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from handlers.render import CAPTION_LIMIT, MESSAGE_LIMIT, split_caption, split_text, utf16_len

log = logging.getLogger(__name__)

_CAPTIONED = (SendPhoto, SendDocument, SendAnimation, SendVideo)


class LimitsMiddleware(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, SendMessage) and utf16_len(method.text) > MESSAGE_LIMIT:
            parts = split_text(method.text)
            response = None
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                piece = method.model_copy(
                    update={
                        "text": part,
                        "reply_markup": method.reply_markup if last else None,
                        "reply_parameters": method.reply_parameters if index == 0 else None,
                    }
                )
                response = await make_request(bot, piece)  # type: ignore[arg-type]
            return response  # type: ignore[return-value]
        if isinstance(method, EditMessageText) and utf16_len(method.text) > MESSAGE_LIMIT:
            log.warning("edited text over %s characters was cut", MESSAGE_LIMIT)
            method = method.model_copy(update={"text": split_text(method.text)[0]})
        if (
            isinstance(method, (*_CAPTIONED, EditMessageCaption))
            and method.caption
            and utf16_len(method.caption) > CAPTION_LIMIT
        ):
            head, rest = split_caption(method.caption)
            response = await make_request(bot, method.model_copy(update={"caption": head}))
            chat_id = getattr(method, "chat_id", None)
            if rest and chat_id is not None:
                for part in split_text(rest):
                    await make_request(bot, SendMessage(chat_id=chat_id, text=part))
            return response
        return await make_request(bot, method)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, *, max_attempts: int = 3, max_wait_s: float = 60.0) -> None:
        self.max_attempts = max_attempts
        self.max_wait_s = max_wait_s

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt >= self.max_attempts or error.retry_after > self.max_wait_s:
                    raise
                log.warning(
                    "flood wait %ss on %s (attempt %s)",
                    error.retry_after,
                    type(method).__name__,
                    attempt,
                )
                await asyncio.sleep(error.retry_after)
            except TelegramServerError:
                if attempt >= self.max_attempts:
                    raise
                await asyncio.sleep(0.5 * attempt)
            attempt += 1
