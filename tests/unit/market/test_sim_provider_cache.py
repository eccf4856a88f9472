"""The sim provider reuses what it generated: the results must be exactly what a
fresh generation gives, and a caller changing its frame must not change the next."""

from __future__ import annotations

import pandas as pd

from core.market.synthetic import DAY_MS
from services.market.base import ReplayClock
from services.market.sim import SimProvider

NOW = 20_000 * DAY_MS + 13 * 3_600_000 + 17 * 60_000 + 5_000


async def test_cached_ticker_and_frames_equal_fresh_ones() -> None:
    clock = ReplayClock(NOW)
    cached, fresh = SimProvider(7, clock), SimProvider(7, clock)
    first = await cached.ticker("BTC/USDT")
    assert await cached.ticker("BTC/USDT") == first
    frame = (await cached.ohlcv("ETH/USDT", "15m", limit=100)).frame
    frame.loc[:, "close"] = -1.0  # a caller's edit stays in its copy
    again = (await cached.ohlcv("ETH/USDT", "15m", limit=100)).frame
    pd.testing.assert_frame_equal(again, (await fresh.ohlcv("ETH/USDT", "15m", limit=100)).frame)
    assert len(again) == 100 and (again["close"] > 0).all()

    clock.set(NOW + 60_000)  # the next closed minute: a new price, as generated afresh
    later = await cached.ticker("BTC/USDT")
    assert later.ts_ms == first.ts_ms + 60_000
    assert later == await SimProvider(7, clock).ticker("BTC/USDT")
    later_frame = (await cached.ohlcv("ETH/USDT", "1m", limit=30)).frame
    assert int(later_frame["timestamp"].iloc[-1]) == (NOW + 60_000) // 60_000 * 60_000 - 60_000
