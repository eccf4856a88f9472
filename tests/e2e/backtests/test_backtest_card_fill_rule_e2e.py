"""The backtest card states the fill rule of the strategy that ran: a grid fills limit
orders at its levels, it does not enter at the next candle's open (QA defect 24)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.scripted import ChatDriver


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"backtest_progress_interval_s": 0.2}


async def card_of(chat: ChatDriver, text: str) -> str:
    replies = await chat.send(text)
    return next(m.text for m in replies if m.text and "Backtest #" in m.text and not m.photo)


async def test_grid_and_signal_cards_describe_their_own_fills(chat: ChatDriver) -> None:
    chat.timeout_s = 120
    grid = await card_of(chat, "/backtest BTC/USDT 1h grid 30d")
    assert "grid orders are limit orders filled at their levels" in grid
    assert "next candle's open" not in grid
    signal = await card_of(chat, "/backtest BTC/USDT 1h ema_cross 30d")
    assert "entries at the next candle's open" in signal
    ru = await chat.send("/backtest BTC/USDT 1h grid 30d", user_id=3003, lang="ru")
    card = next(m.text for m in ru if m.text and "#" in m.text and not m.photo)
    assert "ордера сетки лимитные" in card
