"""The send queue against the local Bot API emulator: flood waits, ordering, blocks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from bot.app import EMULATOR_TOKEN, create_bot
from bot.emulator.server import Emulator
from bot.emulator.store import ApiError, EmuUser
from core.config import Settings
from services.notify import Priority, Sender

CHATS = [501, 502, 503, 504, 505]


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = await Emulator().start()
    store = emu.ensure_store(int(EMULATOR_TOKEN.split(":")[0]))
    for chat in CHATS:
        store.add_user(EmuUser(chat, f"user{chat}"))
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    bot = create_bot(Settings(_env_file=None, bot_token=None), api_url=emulator.base_url)
    try:
        yield bot
    finally:
        await bot.session.close()


def _texts(emulator: Emulator, chat: int) -> list[str]:
    assert emulator.store is not None
    return [m.text or "" for m in emulator.store.messages[chat]]


async def test_flood_storm_backs_off_and_delivers_everything(emulator, bot) -> None:
    emulator.fail_next(
        "sendMessage", ApiError(429, "Too Many Requests: retry after 1", retry_after=1), times=3
    )
    sender = Sender(bot, per_chat_interval_s=0.01)
    started = time.monotonic()
    futures = [sender.enqueue(chat, f"m{i}") for i in range(4) for chat in CHATS]
    results = await asyncio.gather(*futures)
    elapsed = time.monotonic() - started
    await sender.aclose()
    assert all(r.ok for r in results)
    for chat in CHATS:
        assert _texts(emulator, chat) == ["m0", "m1", "m2", "m3"]
    stats = sender.stats()
    assert stats.sent == 20 and stats.retry_after == 3 and stats.failed == 0
    # Each 429 asked for a 1 s pause of all sending; the queue honoured it.
    assert elapsed >= 1.0
    assert sender.is_idle()


async def test_one_message_per_chat_interval_in_order(emulator, bot) -> None:
    sender = Sender(bot, per_chat_interval_s=0.25)
    sent_at: dict[str, int] = {}

    async def note(result) -> None:
        sent_at[result.tag] = result.sent_wall_ms

    futures = [sender.enqueue(501, f"n{i}", tag=f"n{i}", on_result=note) for i in range(4)]
    other = sender.enqueue(502, "other", tag="other", on_result=note)
    await asyncio.gather(*futures, other)
    await sender.aclose()
    assert _texts(emulator, 501) == ["n0", "n1", "n2", "n3"]
    gaps = [sent_at[f"n{i + 1}"] - sent_at[f"n{i}"] for i in range(3)]
    assert min(gaps) >= 240  # ms; one chat never gets more than one message per interval
    # Another chat is not held up behind the first one's pacing.
    assert sent_at["other"] - sent_at["n0"] < 200


async def test_priority_goes_first_within_a_chat(emulator, bot) -> None:
    sender = Sender(None, per_chat_interval_s=0.0)  # not bound yet: everything waits
    low = sender.enqueue(501, "digest", priority=Priority.LOW)
    normal = sender.enqueue(501, "signal", priority=Priority.NORMAL)
    high = sender.enqueue(501, "reply", priority=Priority.HIGH)
    sender.bind(bot)
    await asyncio.gather(low, normal, high)
    await sender.aclose()
    assert _texts(emulator, 501) == ["reply", "signal", "digest"]


async def test_blocked_user_is_reported_and_not_retried(emulator, bot) -> None:
    assert emulator.store is not None
    emulator.store.users[503].blocked_bot = True
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    sender = Sender(bot, on_blocked=on_blocked, per_chat_interval_s=0.0)
    result = await sender.send(503, "hello")
    ok = await sender.send(504, "hello")
    await sender.aclose()
    assert (result.status, result.attempts, blocked) == ("blocked", 1, [503])
    assert ok.ok and ok.message_id is not None
    assert emulator.calls.count("sendMessage") == 2


async def test_transient_errors_retry_then_give_up(emulator, bot) -> None:
    emulator.fail_next("sendMessage", ApiError(500, "Internal Server Error"), times=2)
    sender = Sender(bot, backoff_base_s=0.01, per_chat_interval_s=0.0, max_attempts=3)
    first = await sender.send(501, "eventually")
    assert (first.status, first.attempts) == ("sent", 3)
    emulator.fail_next("sendMessage", ApiError(502, "Bad Gateway"), times=3)
    second = await sender.send(501, "never")
    await sender.aclose()
    assert (second.status, second.attempts) == ("failed", 3)
    assert "Bad Gateway" in (second.error or "")
    assert _texts(emulator, 501) == ["eventually"]


async def test_photo_with_caption_and_latency(emulator, bot) -> None:
    import pandas as pd

    from services.charts import render_signal_chart  # a real PNG

    frame = pd.read_csv("../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz", nrows=60)
    png = render_signal_chart(frame, timeframe_ms=3_600_000, title="t", size_px=(400, 300))
    sender = Sender(bot, per_chat_interval_s=0.0)
    origin = time.time_ns() // 1_000_000 - 5_000  # the candle closed 5 s ago
    result = await sender.send(502, "<b>chart</b>", photo=png, origin_wall_ms=origin)
    await sender.aclose()
    assert result.ok and 5_000 <= (result.latency_ms or 0) < 10_000
    assert emulator.store is not None
    message = emulator.store.messages[502][-1]
    assert message.photo is not None and message.caption == "chart"
