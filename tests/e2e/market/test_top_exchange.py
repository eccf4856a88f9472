"""/top against the loopback fake Binance (real ccxt), as on a live exchange."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.market.csv import read_candles
from tests.e2e.harness import ChatDriver
from tests.fakes.fake_exchange import SHARED_OHLCV, FakeExchange

H = 3_600_000
ALTS = ("ETH", "SOL", "XRP", "DOGE", "ADA")


@pytest.fixture
async def fake() -> AsyncIterator[FakeExchange]:
    end = int(read_candles(SHARED_OHLCV / "binance_ETH-USDT_1h.csv.gz").timestamp.iloc[-1]) + H
    now = time.time_ns() // 1_000_000
    shift = now // H * H - end  # the recorded market ends at the current hour
    async with FakeExchange(
        [f"binance_{b}-USDT_1h.csv.gz" for b in ALTS], now_ms=now, shift_ms=shift
    ) as exchange:
        yield exchange


@pytest.fixture
def settings_overrides(fake: FakeExchange) -> dict[str, Any]:
    return {
        "market_data": "exchange",
        "exchange_url_overrides": {"binance": fake.url},
        "universe_min_quote_volume": 20_000_000,
        "top_timeframe": "1h",
    }


async def test_top_from_exchange_is_unlabelled_and_cached(
    chat: ChatDriver, fake: FakeExchange
) -> None:
    replies = await chat.send("/top 3", user_id=3201, lang="en")
    texts = [r.text for r in replies]
    assert texts[0].startswith("Screening the market")
    body = texts[-1]
    assert body.startswith("Top 3 of 5 liquid coins · 1h candles, last 7 days")
    assert "Simulated" not in body and "⚠️" not in body
    ranked = [line for line in body.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert len(ranked) == 3 and all("/USDT" in line for line in ranked)

    sent = len(fake.requests)
    again = await chat.send("/top 3", user_id=3202, lang="ru")
    assert len(again) == 1 and again[0].text.startswith("Топ 3 из 5 ликвидных монет")
    assert len(fake.requests) == sent  # the ranking cache answered
