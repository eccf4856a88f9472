"""/backtest and /backtests through the emulator: progress edits, card, chart, CSV,
cancel, one run per user, a full queue, bad input.

Runs go through the real process pool (spawn), on the labelled sim market or on the
shared candle files replayed; progress is polled every 0.2 s here.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.scripted import BotMessage, ChatDriver
from tests.e2e.harness import USER_ID

OTHER = 2002
RUN = "/backtest BTC/USDT 1h composite 90d"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"backtest_progress_interval_s": 0.2}


def edits_of(chat: ChatDriver, message: BotMessage) -> int:
    store = chat.emulator.store
    assert store is not None
    return store.messages[message.chat_id][message.message_id - 1].edits


async def runs_of(chat: ChatDriver, user_id: int) -> list[Any]:
    assert chat.app is not None
    return await chat.app.services.backtests.list_runs(user_id)


async def first_reply(chat: ChatDriver, user_id: int, text: str) -> BotMessage:
    """Send without waiting for the bot to be idle (a run may be going on)."""
    before = len(chat.history(user_id))
    await chat.emulator.user_message(user_id, text, first_name="U", language_code="en")
    async with asyncio.timeout(30):
        while len(chat.history(user_id)) == before:  # noqa: ASYNC110 - no event to wait on
            await asyncio.sleep(0.01)
    return chat.history(user_id)[before]


async def test_backtest_shows_progress_then_card_chart_and_csv(chat: ChatDriver) -> None:
    chat.timeout_s = 120
    replies = await chat.send(RUN)
    card = next(m for m in replies if m.text and "Backtest #1" in m.text and not m.photo)
    # the progress message was edited while running and became the card
    assert edits_of(chat, card) >= 2
    assert "Return:" in card.text and "Max drawdown:" in card.text
    assert "Simulated market" in card.text  # sim prices are labelled
    assert "data: sim" in card.text
    assert card.buttons == ["📄 Trades CSV"]
    photo = next(m for m in replies if m.photo)
    assert photo.photo.data.startswith(PNG)
    assert len(photo.text or "") <= 1024

    (run,) = await runs_of(chat, USER_ID)
    assert run.status == "done" and run.simulated and run.source == "sim"
    assert run.period_days == 90 and run.bars and 2000 < run.bars <= 2160
    assert run.metrics["trades"] >= 0 and run.finished_at is not None
    assert f"Trades: {run.metrics['trades']} " in card.text

    docs = [m for m in await chat.click("Trades CSV") if m.document]
    assert len(docs) == 1
    csv = docs[0].document.data.decode()
    header, *rows = csv.strip().splitlines()
    assert header.startswith("position_id,entry_time,exit_time,side,entry_price")
    assert len(rows) >= run.metrics["trades"]

    listing = await chat.send("/backtests")
    assert "#1" in listing[0].text and "BTC/USDT 1h composite 90d" in listing[0].text
    assert listing[0].buttons == ["Card #1"]
    again = await chat.click("Card #1")
    assert any(m.text == card.text for m in again)
    assert any(m.photo for m in again)


@pytest.fixture
def one_slot(settings_overrides: dict[str, Any]) -> None:
    settings_overrides.update(backtest_workers=1, backtest_queue=0)


@pytest.mark.usefixtures("one_slot")
async def test_cancel_one_per_user_and_full_queue(chat: ChatDriver) -> None:
    chat.timeout_s = 120
    started = asyncio.create_task(chat.send(RUN))
    async with asyncio.timeout(30):
        while not chat.history(USER_ID):  # noqa: ASYNC110 - no event to wait on
            await asyncio.sleep(0.01)
    progress = chat.history(USER_ID)[0]
    assert "Backtest #1" in progress.text and progress.buttons == ["⏹ Cancel"]

    busy = await first_reply(chat, USER_ID, "/backtest ETH/USDT 1h composite 30d")
    assert "#1 is still running" in busy.text
    full = await first_reply(chat, OTHER, "/backtest ETH/USDT 1h composite 30d")
    assert "All 1 backtest places are taken" in full.text
    # nothing was stored for the refused requests
    assert len(await runs_of(chat, USER_ID)) == 1 and await runs_of(chat, OTHER) == []
    # the cancel button is checked against the pressing user
    assert chat.app is not None
    assert await chat.app.services.backtests.cancel(1, OTHER) is False

    await chat.click("Cancel")
    assert chat.last_answer is not None and "Stopping" in (chat.last_answer.text or "")
    await started
    final = chat.history(USER_ID)[0]
    assert "Cancelled" in final.text and final.buttons == []
    assert not any(m.photo for m in chat.history(USER_ID))
    (run,) = await runs_of(chat, USER_ID)
    assert run.status == "cancelled" and run.metrics is None

    # the slot is free again: the other user is accepted now
    assert chat.app.services.backtests.runner.busy == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/backtest", "Send /backtest SYMBOL"),
        ("/backtest BTC/USDT 1h moonshot", "There is no preset called moonshot"),
        ("/backtest XYZ/USDT", "I do not know the symbol XYZ/USDT. Did you mean: XRP/USDT"),
        ("/backtest BTC/USDT 7m", "The timeframe 7m is not supported"),
        ("/backtest BTC/USDT 1h composite 90x", "I cannot read the period 90x"),
        (
            "/backtest BTC/USDT 1h composite 2024-03-01..2024-01-01",
            "The period starts (2024-03-01) after it ends (2024-01-01)",
        ),
        ("/backtest BTC/USDT 1h composite 50y", "A period of 18,250 days is too long"),
        ("/backtest BTC/USDT 5m composite 4y", "the limit is 200,000"),
    ],
)
async def test_bad_input_is_answered_and_changes_nothing(
    chat: ChatDriver, text: str, expected: str
) -> None:
    replies = await chat.send(text)
    assert len(replies) == 1
    assert expected in replies[0].text
    assert await runs_of(chat, USER_ID) == []
    assert chat.app is not None and chat.app.services.backtests.runner._pool is None


async def test_russian_user_gets_russian_errors(chat: ChatDriver) -> None:
    replies = await chat.send("/backtest BTC/USDT 1h moonshot", lang="ru")
    assert "Пресета moonshot нет" in replies[0].text
    # Counts reach Fluent as numbers: grouped, with the plural form they need.
    replies = await chat.send("/backtest BTC/USDT 1h composite 50y", lang="ru")
    assert "Период в 18,250 дней слишком длинный; предел — 1,825 дней." in replies[0].text
    replies = await chat.send("/backtest BTC/USDT 5m composite 4y", lang="ru")
    assert "около 420,480 свечей; предел — 200,000." in replies[0].text
    assert "Бэктестов пока нет" in (await chat.send("/backtests", lang="ru"))[0].text


@pytest.fixture
def replay(settings_overrides: dict[str, Any]) -> None:
    settings_overrides.update(market_data="replay", replay_data_path="../shared/data/ohlcv")


@pytest.mark.usefixtures("replay")
async def test_period_without_candles_on_replayed_files(chat: ChatDriver) -> None:
    replies = await chat.send("/backtest BTC/USDT 1h composite 2015-01-01..2015-03-01")
    assert "There are not enough candles for BTC/USDT 1h between 2015-01-01 and" in replies[0].text
    assert await runs_of(chat, USER_ID) == []
