"""A risk flag holds back signals: the /signal card says which flag and why instead
of a size, scheduled delivery skips the flagged user, and clearing restores both."""

from __future__ import annotations

from typing import Any

import pytest

from services.jobs import signals as signal_jobs
from tests.e2e.harness import ADMIN_ID, USER_ID, ChatDriver
from tests.integration.signals.conftest import LONG_CLOSE

OTHER = 1002


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "market_data": "replay",
        "replay_data_path": "../shared/data/ohlcv",
        "replay_start_ms": LONG_CLOSE,
        "signal_scan_delay_s": 0,
        "signal_symbols": ["BTC/USDT"],
        "send_chat_interval_s": 0.01,
    }


def pushed(chat: ChatDriver, user_id: int) -> list[Any]:
    return [m for m in chat.history(user_id) if "New signal" in (m.text or "")]


async def test_flag_blocks_signal_size_and_delivery_until_cleared(chat) -> None:
    for uid in (USER_ID, OTHER):
        await chat.send("/deposit 1000", user_id=uid)
        await chat.app.services.users.update_settings(uid, notify_mode="all", min_confidence=50)
    await chat.send(f"/flag set daily_loss_stop {USER_ID} manual test stop", user_id=ADMIN_ID)

    await signal_jobs.scan()
    await chat.wait_idle()
    assert len(pushed(chat, OTHER)) == 1
    assert pushed(chat, USER_ID) == []

    (card,) = await chat.send("/signal BTC/USDT")
    assert "risk flag daily_loss_stop is active: manual test stop" in card.text
    (other_card,) = await chat.send("/signal BTC/USDT", user_id=OTHER)
    assert "risk flag" not in other_card.text and "Size:" in other_card.text

    await chat.send(f"/flag clear daily_loss_stop {USER_ID}", user_id=ADMIN_ID)
    (card,) = await chat.send("/signal BTC/USDT")
    assert "risk flag" not in card.text and "Size:" in card.text


async def test_global_flag_holds_signals_for_everyone(chat) -> None:
    for uid in (USER_ID, OTHER):
        await chat.send("/deposit 1000", user_id=uid)
        await chat.app.services.users.update_settings(uid, notify_mode="all", min_confidence=50)
    await chat.send("/flag set emergency_stop exchange incident", user_id=ADMIN_ID)
    await signal_jobs.scan()
    await chat.wait_idle()
    assert pushed(chat, USER_ID) == [] and pushed(chat, OTHER) == []
    (card,) = await chat.send("/signal BTC/USDT", user_id=OTHER)
    assert "risk flag emergency_stop is active: exchange incident" in card.text


async def test_stats_show_signal_hit_rates_per_mode(chat) -> None:
    await chat.send("/deposit 1000")
    await chat.send("/signal BTC/USDT")
    services = chat.app.services
    services.market.clock.set(LONG_CLOSE + 30 * 3_600_000)  # 30 candles later
    await services.signals.monitor()
    # Asked for while the bot runs: a live signal even on replayed candles (only
    # `tradebot backfill` makes backfill signals); its figures stay in that mode.
    (row,) = await services.signals.signal_stats(user_id=USER_ID, trade_mode="live")
    assert row.closed == 1
    (stats,) = await chat.send("/stats")
    assert "Signal hit rates (live):" in stats.text
    tp1 = f"{row.tp1_share * 100:.2f}%"
    sl = f"{row.sl_share * 100:.2f}%"
    assert f"composite: 1 closed of 1, TP1 {tp1}, SL {sl}" in stats.text
    assert "paper" not in stats.text
