"""One database session per update, and the user behind it upserted and injected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

if TYPE_CHECKING:
    from services.container import Services


class DatabaseMiddleware(BaseMiddleware):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        from_user: User | None = data.get("event_from_user")
        async with self.services.db.session() as session:
            data["session"] = session
            if from_user is not None and not from_user.is_bot:
                data["user"] = await self.services.users.upsert(
                    from_user.id,
                    username=from_user.username,
                    first_name=from_user.first_name,
                    language_code=from_user.language_code,
                    session=session,
                )
                data["is_admin"] = from_user.id in self.services.settings.admin_ids
            else:
                data["user"] = None
                data["is_admin"] = False
            return await handler(event, data)
