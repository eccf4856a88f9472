"""/version for admins: which build is running and for how long."""

from __future__ import annotations

import platform
import time

import aiogram
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from handlers.common.filters import admin_router
from handlers.registry import CommandSpec
from services.container import Services
from services.i18n import Translator
from services.version import build_commit, package_version

router: Router = admin_router("common.admin")

COMMANDS = [CommandSpec("version", "cmd-version", admin=True)]


def format_uptime(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s"


@router.message(Command("version"))
async def version(message: Message, i18n: Translator, services: Services) -> None:
    await message.answer(
        i18n(
            "version-info",
            version=package_version(),
            commit=build_commit(),
            uptime=format_uptime(time.monotonic() - services.started_monotonic),
            python=platform.python_version(),
            aiogram=aiogram.__version__,
        )
    )
