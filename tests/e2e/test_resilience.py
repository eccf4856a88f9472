"""Errors, long replies, flood waits, stale buttons and throttling."""

from __future__ import annotations

import io
import logging
import re

import pytest
from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from PIL import Image

from bot.emulator import ApiError
from tests.e2e.harness import ChatDriver

boom = Router(name="test.boom")


@boom.message(Command("boom"))
async def explode(message: Message) -> None:
    raise RuntimeError("secret internals must not reach the chat")


@boom.message(Command("boombutton"))
async def boom_button(message: Message) -> None:
    await message.answer(
        "press",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Explode", callback_data="boom:cb")]]
        ),
    )


@boom.callback_query(F.data == "boom:cb")
async def boom_callback(callback: CallbackQuery) -> None:
    raise ValueError("callback internals")


@boom.message(Command("long"))
async def long_reply(message: Message) -> None:
    lines = [f"{i:04d} " + "x" * 95 for i in range(50)]  # 50 lines x 100 = 5000 characters
    await message.answer("\n".join(lines))


@boom.message(F.text == "/photo_caption")
async def photo_caption(message: Message) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 3), "white").save(buffer, format="PNG")
    png = buffer.getvalue()
    caption = "\n".join(f"line {i} " + "y" * 60 for i in range(25))  # ~1700 characters
    await message.answer_photo(BufferedInputFile(png, "chart.png"), caption=caption)


@pytest.fixture
def extra_routers() -> list[Router]:
    return [boom]


async def test_handler_exception_gives_localized_reference_and_bot_keeps_serving(
    chat: ChatDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="tradebot.errors")
    replies = await chat.send("/boom", user_id=3001, lang="ru")

    assert len(replies) == 1
    text = replies[0].text
    assert text.startswith("Что-то пошло не так на моей стороне. Код ошибки: ")
    ref = re.search(r"Код ошибки: ([0-9a-f]{8})", text).group(1)
    assert "secret internals" not in text
    logged = [r for r in caplog.records if f"ref={ref}" in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError

    assert (await chat.send("/help", user_id=3001))[0].text.startswith("Команды")
    english = await chat.send("/boom")
    assert english[0].text.startswith("Something went wrong on my side. Reference: ")


async def test_failing_button_handler_answers_the_query_and_reports(chat: ChatDriver) -> None:
    await chat.send("/boombutton")
    replies = await chat.click("Explode")

    ref = re.search(r"Reference: <code>([0-9a-f]{8})</code>", replies[0].html).group(1)
    assert chat.last_answer.answered
    assert chat.last_answer.text == f"Something went wrong. Reference: {ref}"
    assert "internals" not in replies[0].text


async def test_5000_character_reply_arrives_as_two_messages(chat: ChatDriver) -> None:
    replies = await chat.send("/long")

    assert len(replies) == 2
    assert all(len(r.text) <= 4096 for r in replies)
    assert replies[0].text.splitlines()[0].startswith("0000 ")
    assert replies[1].text.splitlines()[-1].startswith("0049 ")
    assert len(replies[0].text.splitlines()) + len(replies[1].text.splitlines()) == 50


async def test_long_caption_is_cut_and_continued(chat: ChatDriver) -> None:
    replies = await chat.send("/photo_caption")

    assert replies[0].photo is not None and (replies[0].photo.width, replies[0].photo.height) == (
        2,
        3,
    )
    assert len(replies[0].text) <= 1024 and replies[0].text.startswith("line 0 ")
    assert replies[1].photo is None and replies[1].text.splitlines()[-1].startswith("line 24 ")


async def test_flood_wait_is_retried(chat: ChatDriver) -> None:
    chat.emulator.fail_next("sendMessage", ApiError(429, "Too Many Requests: retry after 1", 1))
    replies = await chat.send("/help")

    assert len(replies) == 1 and replies[0].text.startswith("Commands")
    assert chat.emulator.calls[-2:] == ["sendMessage", "sendMessage"]


async def test_every_callback_query_is_answered_even_when_stale(chat: ChatDriver) -> None:
    await chat.send("/help")
    store = chat.emulator.store
    message = store.messages[chat.default_user.user_id][-1]
    record = await chat.emulator.press(chat.default_user.user_id, message, "gone:button")
    await chat.wait_idle()

    assert record.answered and record.text == "This button is no longer active."


@pytest.mark.parametrize("settings_overrides", [{"throttle_burst": 3, "throttle_rate": 0.01}])
async def test_flooding_user_is_throttled_with_one_notice(chat: ChatDriver) -> None:
    answers = [await chat.send("hi") for _ in range(6)]

    texts = [[r.text for r in replies] for replies in answers]
    assert texts[:3] == [["I answer commands. Send /help to see them."]] * 3
    assert texts[3] == ["Too many messages at once. Please wait a second and try again."]
    assert texts[4:] == [[], []]
    # Another user is not affected.
    assert (await chat.send("hi", user_id=3002))[0].text.startswith("I answer commands")
