"""/status for everyone: is the bot healthy, and is data live, simulated or stale."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from handlers.admin.format import render_status
from handlers.registry import CommandSpec
from services.admin.health import collect
from services.container import Services
from services.i18n import Translator

router = Router(name="status")

COMMANDS = [CommandSpec("status", "cmd-status")]


@router.message(Command("status"))
async def status(message: Message, i18n: Translator, services: Services) -> None:
    await message.answer(render_status(await collect(services), i18n))
