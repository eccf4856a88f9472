"""Picks the reply language: the user's saved choice, else Telegram's language_code."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from services.users import resolve_language

if TYPE_CHECKING:
    from services.i18n import Catalog


class I18nMiddleware(BaseMiddleware):
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("user")
        if user is not None:
            locale = user.language
        else:
            from_user: User | None = data.get("event_from_user")
            code = from_user.language_code if from_user else None
            locale = resolve_language(code, self.catalog.locales, self.catalog.default_locale)
        data["i18n"] = self.catalog.translator(locale)
        return await handler(event, data)
