"""/admin: the live health picture."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from handlers.admin.format import render_health
from handlers.common.filters import admin_router
from services.admin.health import collect
from services.container import Services
from services.i18n import Translator

router = admin_router("admin.health")


@router.message(Command("admin"))
async def admin_health(message: Message, i18n: Translator, services: Services) -> None:
    await message.answer(render_health(await collect(services), i18n))
