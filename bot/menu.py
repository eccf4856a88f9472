"""Telegram's command menu, generated from the same registry as /help."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from handlers.registry import CommandSpec, visible_commands
from services.container import Services
from services.i18n import Translator


def bot_commands(commands: list[CommandSpec], i18n: Translator, *, admin: bool) -> list[BotCommand]:
    return [
        BotCommand(command=spec.name, description=i18n(spec.description_key)[:256])
        for spec in visible_commands(commands, is_admin=admin)
    ]


async def publish_commands(bot: Bot, commands: list[CommandSpec], services: Services) -> None:
    """Default menu per language (and without a language, in the default one); admins
    get their own chat-scoped menu that includes admin commands."""
    catalog = services.i18n
    await bot.set_my_commands(
        bot_commands(commands, catalog.translator(None), admin=False),
        scope=BotCommandScopeDefault(),
    )
    for locale in catalog.locales:
        await bot.set_my_commands(
            bot_commands(commands, catalog.translator(locale), admin=False),
            scope=BotCommandScopeDefault(),
            language_code=locale,
        )
    for admin_id in services.settings.admin_ids:
        user = await services.users.get(admin_id)
        i18n = catalog.translator(user.language if user else None)
        await bot.set_my_commands(
            bot_commands(commands, i18n, admin=True), scope=BotCommandScopeChat(chat_id=admin_id)
        )
