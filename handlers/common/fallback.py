"""Whatever no other router took: unknown commands, plain text, stale buttons.

Attached last. Admin-only routers reject non-admins with a filter, so their
commands land here too and get exactly the unknown-command answer.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from handlers.render import escape
from services.i18n import Translator

router = Router(name="common.fallback")

COMMANDS: list = []


@router.message()
async def unknown(message: Message, i18n: Translator) -> None:
    text = message.text or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0].split("@", 1)[0]
        await message.answer(i18n("unknown-command", command=escape(command)))
    else:
        await message.answer(i18n("unknown-text"))


@router.callback_query()
async def stale_button(callback: CallbackQuery, i18n: Translator) -> None:
    await callback.answer(i18n("callback-expired"))
