"""The emulator answers like Telegram: aiogram raises the same exceptions it would."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator import Emulator


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Emulator, Bot]]:
    emulator = await Emulator().start()
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    bot = Bot("4242:test-token", session=session, default=DefaultBotProperties(parse_mode="HTML"))
    me = await bot.get_me()
    assert me.id == 4242 and me.is_bot
    await emulator.user_message(1, "/start", first_name="Ann")
    yield emulator, bot
    await bot.session.close()
    await emulator.stop()


async def test_send_edit_delete_round_trip(pair: tuple[Emulator, Bot]) -> None:
    emulator, bot = pair
    sent = await bot.send_message(1, "<b>Hi</b> &lt;3")
    assert sent.text == "Hi <3" and sent.chat.id == 1
    edited = await bot.edit_message_text("Bye", chat_id=1, message_id=sent.message_id)
    assert edited.text == "Bye"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Bye", chat_id=1, message_id=sent.message_id)
    assert await bot.delete_message(1, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(1, sent.message_id)
    assert emulator.store.events == [("send", 1, 2), ("edit", 1, 2), ("delete", 1, 2)]


async def test_telegram_errors(pair: tuple[Emulator, Bot]) -> None:
    emulator, bot = pair
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "hello")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "&amp;" * 4096)  # counted after entity parsing: fits
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "1 < 2")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "<b>open")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            1,
            "pick",
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="d" * 65)]]
            ),
        )
    emulator.store.users[1].blocked_bot = True
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(1, "still there?")


async def test_callback_answered_once(pair: tuple[Emulator, Bot]) -> None:
    emulator, bot = pair
    sent = await bot.send_message(
        1,
        "pick",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]
        ),
    )
    message = emulator.store.messages[1][sent.message_id - 1]
    record = await emulator.press(1, message, "a")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].callback_query.data == "a"
    assert await bot.answer_callback_query(record.id, text="ok")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(record.id)
