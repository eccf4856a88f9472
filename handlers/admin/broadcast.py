"""/broadcast: compose -> preview -> confirm, then a progress message edited as the
send queue works through the recipients, ending with the delivered/failed report."""

from __future__ import annotations

import itertools
import logging

from aiogram import Bot
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.admin.keyboards import BroadcastAction
from handlers.common.filters import admin_router
from handlers.registry import notice_when_left
from handlers.render import escape, utf16_len
from services.admin.broadcast import MAX_TEXT, BroadcastProgress
from services.container import Services
from services.i18n import Translator

log = logging.getLogger(__name__)
router = admin_router("admin.broadcast")
_drafts = itertools.count(1)


class Compose(StatesGroup):
    text = State()


# A command sent while the text is awaited drops the draft: say so, then run it.
notice_when_left(Compose.text, "admin-broadcast-cancelled")


def preview_keyboard(i18n: Translator, draft: int, recipients: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("admin-broadcast-btn-send", count=recipients),
                   callback_data=BroadcastAction(action="send", draft=draft))  # fmt: skip
    builder.button(text=i18n("admin-broadcast-btn-cancel"),
                   callback_data=BroadcastAction(action="cancel", draft=draft))  # fmt: skip
    builder.adjust(2)
    return builder.as_markup()


async def preview(message: Message, text: str, state: FSMContext, i18n: Translator,
                  services: Services) -> None:  # fmt: skip
    text = text.strip()
    if not text:
        await message.answer(i18n("admin-broadcast-empty"))
        return
    if utf16_len(text) > MAX_TEXT:
        await message.answer(i18n("admin-broadcast-too-long", max=MAX_TEXT))
        return
    draft = next(_drafts)
    await state.set_state(None)
    await state.update_data(broadcast_draft=draft, broadcast_text=text)
    chats, skipped = await services.admin.broadcasts.recipients()
    await message.answer(
        i18n("admin-broadcast-preview", text=escape(text), count=len(chats), skipped=skipped),
        reply_markup=preview_keyboard(i18n, draft, len(chats)),
    )  # fmt: skip


@router.message(Command("broadcast"))
async def broadcast_command(message: Message, command: CommandObject, state: FSMContext,
                            i18n: Translator, services: Services) -> None:  # fmt: skip
    if services.sender is None:
        await message.answer(i18n("admin-broadcast-unavailable"))
        return
    if command.args and command.args.strip():
        await preview(message, command.args, state, i18n, services)
        return
    await state.set_state(Compose.text)
    await message.answer(i18n("admin-broadcast-compose"))


@router.message(StateFilter(Compose.text))
async def broadcast_text(message: Message, state: FSMContext, i18n: Translator,
                         services: Services) -> None:  # fmt: skip
    text = message.text or ""
    if text.startswith("/"):
        await state.set_state(None)
        await message.answer(i18n("admin-broadcast-cancelled"))
        return
    await preview(message, text, state, i18n, services)


def progress_text(i18n: Translator, p: BroadcastProgress) -> str:
    if p.done:
        return i18n("admin-broadcast-done", sent=p.sent, failed=p.failed,
                    blocked=p.blocked, skipped=p.skipped, total=p.total)  # fmt: skip
    return i18n("admin-broadcast-progress", done=p.processed, total=p.total,
                sent=p.sent, failed=p.failed, blocked=p.blocked)  # fmt: skip


@router.callback_query(BroadcastAction.filter())
async def broadcast_confirm(callback: CallbackQuery, callback_data: BroadcastAction,
                            state: FSMContext, bot: Bot, i18n: Translator,
                            services: Services) -> None:  # fmt: skip
    data = await state.get_data()
    if data.get("broadcast_draft") != callback_data.draft or not data.get("broadcast_text"):
        await callback.answer(i18n("callback-expired"), show_alert=True)
        return
    await state.update_data(broadcast_draft=None, broadcast_text=None)
    message = callback.message
    if callback_data.action == "cancel":
        await callback.answer()
        if message is not None:
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(i18n("admin-broadcast-cancelled"))
        return
    await callback.answer(i18n("admin-broadcast-started"))
    chat_id = callback.from_user.id
    if message is not None:
        await message.edit_reply_markup(reply_markup=None)
    progress = await bot.send_message(
        chat_id, i18n("admin-broadcast-progress", done="0", total="…", sent="0", failed="0",
                      blocked="0"),
    )  # fmt: skip
    shown = {"text": progress.text or ""}

    async def on_progress(p: BroadcastProgress) -> None:
        text = progress_text(i18n, p)
        if text == shown["text"]:
            return
        shown["text"] = text
        try:
            await bot.edit_message_text(text, chat_id=chat_id, message_id=progress.message_id)
        except Exception:  # a failed progress edit must not stop the broadcast
            log.warning("broadcast progress edit failed", exc_info=True)
            if p.done:
                await bot.send_message(chat_id, text)

    services.admin.broadcasts.start(chat_id, escape(data["broadcast_text"]), on_progress)
