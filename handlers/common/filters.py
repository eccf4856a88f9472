"""Admin-only routers.

`admin_router("name")` returns a Router whose messages and button presses pass
only for ADMIN_IDS; for everyone else the update falls through to the fallback,
which answers exactly as it does for an unknown command.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import TelegramObject


class AdminFilter(Filter):
    async def __call__(self, event: TelegramObject, is_admin: bool = False) -> bool:
        return is_admin


def admin_router(name: str) -> Router:
    router = Router(name=name)
    router.message.filter(AdminFilter())
    router.callback_query.filter(AdminFilter())
    return router
