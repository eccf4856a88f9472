"""Replay: a movable clock over the shared files (or the DB); nothing after "now"."""

from __future__ import annotations

import numpy as np
import pytest

from core.market.csv import read_candles
from core.market.timeframes import resample
from services.market.base import DataUnavailable, ReplayClock
from services.market.replay import DbFrames, FileFrames, ReplayProvider
from services.market.store import CandleStore
from tests.integration.market.conftest import DATA, H

BTC_1H = read_candles(DATA / "binance_BTC-USDT_1h.csv.gz")
BTC_4H = read_candles(DATA / "binance_BTC-USDT_4h.csv.gz")
T = 1_650_000_000_000  # 2022-04-15 05:20 UTC: before the 4h/1d files begin


def replay(clock: ReplayClock) -> ReplayProvider:
    return ReplayProvider(FileFrames(DATA, exchange="binance"), clock)


async def test_nothing_after_now_and_the_open_candle_is_excluded() -> None:
    clock = ReplayClock(T)
    provider = replay(clock)
    result = await provider.ohlcv("BTC/USDT", "1h", limit=5)
    # 05:20 -> the 05:00 candle is open; the newest closed one opened at 04:00.
    assert int(result.frame.timestamp.iloc[-1]) == T // H * H - H
    assert result.frame.timestamp.max() + H <= T
    assert result.age_s == pytest.approx(20 * 60)
    assert (result.source, result.simulated, result.stale) == ("replay", False, False)
    # `until` in the future and `since` ranges never leak either.
    wide = await provider.ohlcv("BTC/USDT", "1h", since=T // H * H - 50 * H, until=T + 100 * H)
    assert wide.frame.timestamp.max() + H <= T and len(wide.frame) == 50


async def test_moving_the_clock_reveals_candles_in_order() -> None:
    clock = ReplayClock(T)
    provider = replay(clock)
    seen: list[int] = []
    for _ in range(30):
        result = await provider.ohlcv("BTC/USDT", "1h", limit=1)
        last = int(result.frame.timestamp.iloc[-1])
        if not seen or last != seen[-1]:
            seen.append(last)
        clock.advance(20 * 60_000)
    assert seen == sorted(seen) and np.all(np.diff(seen) == H)
    assert len(seen) == 11  # the 04:00 candle, then one more per hour until 15:00


async def test_higher_timeframes_resampled_when_no_file_covers_the_clock() -> None:
    clock = ReplayClock(T)
    provider = replay(clock)
    four = await provider.ohlcv("BTC/USDT", "4h", limit=6)
    expected = resample(BTC_1H[BTC_1H.timestamp < T], "4h").iloc[-6:].reset_index(drop=True)
    assert four.frame.equals(expected)
    assert int(four.frame.timestamp.iloc[-1]) == T // (4 * H) * 4 * H - 4 * H  # 00:00 bar
    # Once the clock is inside the 4h file's range, the exchange's own bars are used.
    clock.set(int(BTC_4H.timestamp.iloc[500]) + 4 * H)
    native = await provider.ohlcv("BTC/USDT", "4h", limit=3)
    assert native.frame.equals(BTC_4H.iloc[498:501].reset_index(drop=True))


async def test_ticker_from_last_visible_candle() -> None:
    clock = ReplayClock(T)
    provider = replay(clock)
    ticker = await provider.ticker("BTC/USDT")
    visible = BTC_1H[BTC_1H.timestamp + H <= T]
    assert ticker.last == visible.close.iloc[-1]
    day = visible.iloc[-24:]
    assert ticker.quote_volume_24h == pytest.approx((day.volume * day.close).sum())
    assert ticker.ts_ms == int(visible.timestamp.iloc[-1]) + H and not ticker.stale
    assert await provider.normalize("btcusdt") == "BTC/USDT"
    before = ReplayProvider(FileFrames(DATA), ReplayClock(1_000_000_000_000))
    with pytest.raises(DataUnavailable):
        await before.ticker("BTC/USDT")


async def test_single_file_and_database_sources(db) -> None:
    single = ReplayProvider(FileFrames(DATA / "binance_ETH-USDT_1h.csv.gz"), ReplayClock(T))
    assert list(await single.markets()) == ["ETH/USDT"]
    store = CandleStore(db)
    await store.insert("binance", "BTC/USDT", "1h", BTC_1H.iloc[-3000:])
    clock = ReplayClock(int(BTC_1H.timestamp.iloc[-100]))
    from_db = ReplayProvider(DbFrames(store, "binance"), clock)
    result = await from_db.ohlcv("BTC/USDT", "1h", limit=10)
    assert result.frame.equals(BTC_1H.iloc[-110:-100].reset_index(drop=True))
    await from_db.start_at_data_end()
    assert clock.now_ms() == int(BTC_1H.timestamp.iloc[-1]) + H


async def test_tickers_list_only_markets_trading_at_the_clock() -> None:
    clock = ReplayClock(T)
    provider = replay(clock)
    at_t = await provider.tickers()
    assert set(at_t) == {f"{b}/USDT" for b in ("BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA")}
    clock.set(int(BTC_4H.timestamp.iloc[-1]) + 4 * H)  # only the 4h/1d files reach here
    assert set(await provider.tickers()) == {"BTC/USDT", "ETH/USDT", "SOL/USDT"}


BTC_5M = read_candles(DATA / "binance_BTC-USDT_5m.csv.gz")


async def test_one_clock_a_series_that_ends_early_is_stale_and_labelled_old() -> None:
    """At the end of all files (the 4h file's last bar) the 1h and 5m series stop
    weeks earlier: candles say so (stale, age), the price comes from the same clock."""
    clock = ReplayClock(0)
    provider = replay(clock)
    await provider.start_at_data_end()
    now = clock.now_ms()
    assert now == int(BTC_4H.timestamp.iloc[-1]) + 4 * H
    five = await provider.ohlcv("BTC/USDT", "5m", limit=50)
    assert five.stale and five.age_s is not None and five.age_s > 30 * 86_400
    # 1h is resampled from the 5m file (the newest data), not the 2024 1h file.
    hour = await provider.ohlcv("BTC/USDT", "1h", limit=24)
    expected = resample(BTC_5M, "1h").iloc[-24:].reset_index(drop=True)
    assert hour.frame.equals(expected) and hour.stale
    ticker = await provider.ticker("BTC/USDT")
    assert ticker.ts_ms == now and not ticker.stale
    assert ticker.last == float(BTC_4H.close.iloc[-1])
    four = await provider.ohlcv("BTC/USDT", "4h", limit=5)
    assert not four.stale and four.last_close == ticker.last


async def test_a_window_is_served_by_the_series_that_covers_it() -> None:
    """4h for 2023 comes from the 1h file although the 4h file covers the clock; a
    relative period ends where the symbol's data ends, not at the global clock."""
    clock = ReplayClock(0)
    provider = replay(clock)
    await provider.start_at_data_end()
    start, end = 1_672_531_200_000, 1_688_169_599_999  # 2023-01-01 .. 2023-06-30
    four = await provider.ohlcv("BTC/USDT", "4h", since=start, until=end)
    in_range = BTC_1H[(BTC_1H.timestamp >= start) & (BTC_1H.timestamp < end)]
    assert four.frame.equals(resample(in_range, "4h").reset_index(drop=True))
    assert len(four.frame) > 1000 and not four.stale
    last_5m_close = int(BTC_5M.timestamp.iloc[-1]) + 5 * 60_000
    assert await provider.data_end("BTC/USDT", "1h") == last_5m_close // H * H
    assert await provider.data_end("BTC/USDT", "4h") == clock.now_ms()
    # ETH's newest series (15m) ends 2024-04-09 23:45: the last complete hour closes
    # at 23:00, where a relative ETH 1h period ends.
    eth_15m = read_candles(DATA / "binance_ETH-USDT_15m.csv.gz")
    eth_end = await provider.data_end("ETH/USDT", "1h")
    assert eth_end == (int(eth_15m.timestamp.iloc[-1]) + 15 * 60_000) // H * H
