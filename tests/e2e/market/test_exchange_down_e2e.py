"""The exchange down from the start, with candles already cached (QA defect 3): the
bot still knows the symbol, shows the cached analysis labelled stale with its age,
issues no signal, fills no order at the old price, and backtests cached history."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.market.csv import read_candles
from tests.e2e.harness import ChatDriver
from tests.fakes.fake_exchange import SHARED_OHLCV, FakeExchange

H = 3_600_000
BTC_1H = read_candles(SHARED_OHLCV / "binance_BTC-USDT_1h.csv.gz")


@pytest.fixture
async def fake() -> AsyncIterator[FakeExchange]:
    async with FakeExchange(["binance_BTC-USDT_1h.csv.gz"], now_ms=0) as exchange:
        exchange.down = True
        yield exchange


@pytest.fixture
def settings_overrides(fake: FakeExchange) -> dict[str, Any]:
    return {
        "market_data": "exchange",
        "exchange_url_overrides": {"binance": fake.url},
        "market_retries": 0,
        "exchange_timeout_ms": 300,
    }


async def test_cached_candles_are_served_stale_when_the_exchange_is_down(
    chat: ChatDriver,
) -> None:
    assert chat.app is not None
    now = time.time_ns() // 1_000_000
    frame = BTC_1H.iloc[-3000:].copy()
    # the cache ends 3 hours before the current hour
    frame["timestamp"] += now // H * H - 3 * H - (int(frame.timestamp.iloc[-1]) + H)
    await chat.app.services.market.store.insert("binance", "BTC/USDT", "1h", frame)

    (card,) = await chat.send("/signal BTC/USDT")
    assert "Exchange unreachable: cached data, 3h" in card.text
    assert "the market data is stale" in card.text and "NEUTRAL" in card.text
    assert "  " not in card.text

    (nothing,) = await chat.send("/signal BTC/USDT 15m")  # no 15m candles cached
    assert nothing.text.startswith("There are no candles for BTC/USDT 15m right now.")

    await chat.send("/deposit 100")
    (refused,) = await chat.send("/trade BTC/USDT long 20")
    assert "out of date" in refused.text

    chat.timeout_s = 120
    replies = await chat.send("/backtest BTC/USDT 1h composite 60d")
    card = next(m for m in replies if m.text and "Backtest #1" in m.text and not m.photo)
    assert "Return:" in card.text and "data: binance" in card.text
