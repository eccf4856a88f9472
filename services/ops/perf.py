"""Keeps aiogram's parametrized `Response[T]` models alive.

aiogram validates every Bot API reply with `Response[method.__returning__]`.
pydantic caches parametrized generics in a `WeakValueDictionary`, and nothing else
holds those classes, so the garbage collector drops them and the next call builds
the model again: 10-30 ms of schema generation per API call on this machine,
i.e. most of a /trade's latency. Holding one strong reference per return type
makes every later lookup a cache hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

_PINNED: dict[Any, type] = {}


def pin_response_type(returning: Any) -> None:
    if returning not in _PINNED:
        _PINNED[returning] = Response[returning]  # type: ignore[valid-type]


class PinResponseTypes(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        pin_response_type(method.__returning__)
        return await make_request(bot, method)
