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
from handlers.render import format_duration
from services.container import Services
from services.i18n import Translator
from services.version import build_commit, package_version

router: Router = admin_router("common.admin")

COMMANDS = [CommandSpec("version", "cmd-version", admin=True)]


@router.message(Command("version"))
async def version(message: Message, i18n: Translator, services: Services) -> None:
    await message.answer(
        i18n(
            "version-info",
            version=package_version(),
            commit=build_commit(),
            uptime=format_duration(time.monotonic() - services.started_monotonic, i18n),
            python=platform.python_version(),
            aiogram=aiogram.__version__,
        )
    )
