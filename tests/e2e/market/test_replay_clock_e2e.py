"""Replay with the clock at the end of all shared files (the default): one clock for
candles and prices, old series labelled and never traded, backtest periods taken
from the data that covers them (QA defects 2 and 6)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.scripted import ChatDriver


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "market_data": "replay",
        "replay_data_path": "../shared/data/ohlcv",
        "backtest_progress_interval_s": 0.5,
    }


async def test_old_series_is_labelled_and_not_issued(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    (card,) = await chat.send("/signal BTC/USDT 5m")
    assert "Old data: this series ends 35d" in card.text
    assert "the market data is stale" in card.text
    assert "NEUTRAL" in card.text
    assert not any("Paper" in b for b in card.buttons)


async def test_backtest_periods_use_the_data_that_covers_them(chat: ChatDriver) -> None:
    chat.timeout_s = 120
    replies = await chat.send("/backtest BTC/USDT 1h composite 90d")
    card = next(m for m in replies if m.text and "Backtest #1" in m.text and not m.photo)
    # 90 days ending at the 5m file's last complete hour, resampled to 1h.
    assert "Period: 2025-04-03 → 2025-07-02" in card.text and "Return:" in card.text
    replies = await chat.send("/backtest BTC/USDT 4h composite 2023-01-01..2023-06-30")
    card = next(m for m in replies if m.text and "Backtest #2" in m.text and not m.photo)
    assert "Period: 2023-01-01 → 2023-06-30" in card.text and "Return:" in card.text
