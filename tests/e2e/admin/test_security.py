"""Security hardening end to end: crafted buttons for someone else's position or
signal, oversize input, and no secret in logs or replies of a whole session."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import func, select

from bot.logging_setup import configure_logging
from bot.scripted import BotMessage, ChatDriver
from services.db.models.audit import AuditEntry
from services.db.models.signals import SignalRecord
from services.db.models.trading import Fill, Position
from tests.e2e.harness import ADMIN_ID, USER_ID

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
SIGNAL_AT = int(datetime(2024, 4, 17, 17, tzinfo=UTC).timestamp() * 1000)
OTHER = 2002
TOKEN = "123456789:AAFakeTokenForRedactionTest_abcdefghijkl"
API_KEY = "sk-ant-api03-FakeKeyForRedactionTest-0123456789abcdef"
FOREIGN_TOKEN = "987654321:AAOtherBotTokenNeverConfigured_xyz123456"


def texts(replies: list[Any]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def press(chat: ChatDriver, user_id: int, data: str) -> list[BotMessage]:
    """Press a button with arbitrary callback data on the user's latest message."""
    store = chat.emulator.store
    assert store is not None
    before = len(chat.history(user_id))
    chat.last_answer = await chat.emulator.press(user_id, store.messages[user_id][-1], data)
    await chat.wait_idle()
    return chat.history(user_id)[before:]


class TestCraftedCallbacks:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {
            "market_data": "replay",
            "replay_data_path": str(DATA / "binance_BTC-USDT_1h.csv.gz"),
            "replay_start_ms": SIGNAL_AT,
            "paper_monitor_timeframe": "1h",
        }

    async def test_someone_elses_position_and_signal_are_not_found(self, chat: ChatDriver) -> None:
        assert chat.app is not None
        services = chat.app.services
        await chat.send("/deposit 1000")
        assert "Paper position #" in texts(await chat.send("/trade BTC/USDT long 100"))
        await chat.send("/signal BTC/USDT 1h")
        async with services.db.sessions() as s:
            position = await s.scalar(select(Position).where(Position.user_id == USER_ID))
            signal_id = await s.scalar(select(func.max(SignalRecord.id)))
            fills = await s.scalar(select(func.count()).select_from(Fill))
            audited = await s.scalar(select(func.count()).select_from(AuditEntry))
        assert position is not None and signal_id is not None

        await chat.send("/start", user_id=OTHER)
        for data in (f"pos:close:{position.id}", f"pos:be:{position.id}"):
            replies = await press(chat, OTHER, data)
            assert f"No open position matches {position.id}" in texts(replies), data
        for data in (f"sig:chart:{signal_id}", f"sig:explain:{signal_id}"):
            await press(chat, OTHER, data)
            assert chat.last_answer is not None
            assert chat.last_answer.text == "This signal is no longer available.", data
        replies = await press(chat, OTHER, f"ptr:ok:{signal_id}")
        assert "no longer available" in texts(replies) + (chat.last_answer.text or "")
        # an admin button pressed by a non-admin does not exist for them
        await press(chat, OTHER, f"adu:block:{USER_ID}:-1")
        assert chat.last_answer.text == "This button is no longer active."
        # junk that does not even parse
        await press(chat, OTHER, "pos:close:not-a-number")

        async with services.db.sessions() as s:
            after = await s.get(Position, position.id)
            assert after is not None and after.status == "open"
            assert after.remaining_qty == position.remaining_qty and after.stop == position.stop
            assert await s.scalar(select(func.count()).select_from(Fill)) == fills
            assert await s.scalar(select(func.count()).select_from(AuditEntry)) == audited
            others = await s.scalar(
                select(func.count()).select_from(Position).where(Position.user_id == OTHER)
            )
        assert others == 0
        assert not services.admin.blocks.is_blocked(USER_ID)


class TestInputCaps:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"max_command_args_len": 64, "max_text_len": 200}

    async def test_oversize_input_is_refused_once_and_changes_nothing(
        self, chat: ChatDriver
    ) -> None:
        reply = texts(await chat.send("/deposit " + "9" * 65))
        assert reply == "That is too long for me: at most 64 characters. Please shorten it."
        assert chat.app is not None
        assert not (await chat.app.services.accounts.get(USER_ID)).exists
        reply = texts(await chat.send("x" * 201))
        assert "at most 200 characters" in reply
        ru = texts(await chat.send("/users " + "я" * 80, user_id=3003, lang="ru"))
        assert "Слишком длинно" in ru
        # within the caps everything works as before
        assert "Deposit set to" in texts(await chat.send("/deposit 1000"))
        # admins may send long texts (a broadcast), but not long command arguments
        assert "Send the text" in texts(await chat.send("/broadcast", user_id=ADMIN_ID))
        assert "Preview" in texts(await chat.send("long text " * 40, user_id=ADMIN_ID))


boom = Router(name="test.boom")


@boom.message(Command("boom"))
async def _boom(message: Message) -> None:
    raise RuntimeError(
        f"failed calling https://api.telegram.org/bot{TOKEN}/sendMessage "
        f"with x-api-key: {API_KEY} and {FOREIGN_TOKEN}"
    )


class TestRedaction:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"bot_token": TOKEN, "anthropic_api_key": API_KEY, "log_level": "DEBUG"}

    @pytest.fixture
    def extra_routers(self) -> list[Router]:
        return [boom]

    async def test_no_secret_in_logs_or_replies_of_a_session(
        self, chat: ChatDriver, capsys: pytest.CaptureFixture[str], restore_logging: None
    ) -> None:
        assert chat.app is not None
        configure_logging(chat.app.settings)  # the handler writes to the captured stderr
        log = logging.getLogger("tradebot.test")
        replies: list[BotMessage] = []
        replies += await chat.send("/start")
        replies += await chat.send("/settings")
        replies += await chat.send(f"/deposit {TOKEN}")
        replies += await chat.send("/boom")
        replies += await chat.send("/admin", user_id=ADMIN_ID)
        replies += await chat.send("/status")
        log.warning("configured with token %s and key %s", TOKEN, API_KEY)
        log.info("pasted %s", FOREIGN_TOKEN)
        try:
            raise ValueError(f"inside a traceback: {API_KEY}")
        except ValueError:
            log.exception("failure")
        err = capsys.readouterr().err
        assert "unhandled error ref=" in err and "RuntimeError" in err and "***" in err
        assert "inside a traceback" in err
        shown = texts(replies)
        assert "Reference:" in shown
        for secret in (TOKEN, API_KEY, FOREIGN_TOKEN, TOKEN.split(":")[1], API_KEY[8:]):
            assert secret not in err, secret
            assert secret not in shown, secret
        assert chat.app.services.admin.errors.recent(1)[0].kind == "RuntimeError"
        assert TOKEN not in chat.app.services.admin.errors.recent(1)[0].message
