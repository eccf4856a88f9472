"""The sources hub: cache, incremental backfill, fallback, stale serving, auto mode."""

from __future__ import annotations

import pytest

from core.market.csv import read_candles
from services.market.base import DataUnavailable, ReplayClock
from services.market.factory import build_market_data
from tests.integration.market.conftest import DATA, H, fast_settings

BTC_1H = read_candles(DATA / "binance_BTC-USDT_1h.csv.gz")
END = int(BTC_1H.timestamp.iloc[-1]) + H
START = END - 400 * H  # the fake exchange's "now" starts 400 hours before the data ends


async def test_repeat_requests_hit_the_cache_and_backfill_fetches_only_the_tail(
    fake_exchange_factory,
    db,
) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=START)
    clock = ReplayClock(START + 20 * 60_000)  # 20 minutes into an open candle
    hub = build_market_data(
        fast_settings(exchange_url_overrides={"binance": fake.url}), db, clock=clock
    )
    try:
        first = await hub.ohlcv("BTC/USDT", "1h", limit=300)
        closed = BTC_1H[BTC_1H.timestamp < START].iloc[-300:].reset_index(drop=True)
        assert first.frame.equals(closed)  # the open candle the fake served is dropped
        assert (first.source, first.stale, first.simulated) == ("binance", False, False)
        assert first.age_s == pytest.approx(20 * 60)
        assert fake.count("/klines") == 1

        again = await hub.ohlcv("BTC/USDT", "1h", limit=300)
        assert again.frame.equals(first.frame) and fake.count("/klines") == 1

        fake.now_ms += 10 * H
        clock.advance(10 * H)
        later = await hub.ohlcv("BTC/USDT", "1h", limit=300)
        tail = [r for r in fake.requests if r.path.endswith("/klines")][-1]
        assert int(tail.params["startTime"]) == int(first.frame.timestamp.iloc[-1]) + H
        assert fake.count("/klines") == 2
        expected = BTC_1H[BTC_1H.timestamp < START + 10 * H].iloc[-300:].reset_index(drop=True)
        assert later.frame.equals(expected)
        info = await hub.store.info("binance", "BTC/USDT", "1h")
        assert info is not None and info.rows == 310  # upserts never duplicate
        stats = hub.stats()["binance"]
        assert stats["cache_hits"] == 1 and stats["cache_misses"] == 2
    finally:
        await hub.aclose()


async def test_fallback_to_second_exchange_then_stale_when_all_down(
    fake_exchange_factory,
    db,
) -> None:
    primary = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    backup = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    clock = ReplayClock(END)
    settings = fast_settings(
        fallback_exchanges=["binanceus"],
        exchange_url_overrides={"binance": primary.url, "binanceus": backup.url},
        ticker_ttl_s=0.0,
    )
    hub = build_market_data(settings, db, clock=clock)
    try:
        primary.down = True
        result = await hub.ohlcv("BTC/USDT", "1h", limit=50)
        assert result.source == "binanceus" and not result.stale
        assert result.frame.equals(BTC_1H.iloc[-50:].reset_index(drop=True))
        assert (await hub.ticker("BTC/USDT")).source == "binanceus"
        assert primary.count("/api/v3/") > 0  # it was tried first

        backup.down = True
        clock.advance(5 * H)
        stale = await hub.ohlcv("BTC/USDT", "1h", limit=50)
        assert stale.stale and stale.source == "binanceus"
        assert stale.frame.equals(result.frame)
        assert stale.age_s == pytest.approx(5 * 3600)
        ticker = await hub.ticker("BTC/USDT")
        assert ticker.stale and ticker.last == BTC_1H.close.iloc[-1]
        with pytest.raises(DataUnavailable):
            await hub.ohlcv("BTC/USDT", "4h", limit=5)  # nothing cached to fall back on
        assert hub.stats()["binanceus"]["stale_served"] == 1
    finally:
        await hub.aclose()


async def test_auto_mode_uses_sim_while_exchange_is_down_and_tells_each_user_once(
    fake_exchange_factory,
    db,
) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    fake.down = True
    clock = ReplayClock(END)
    settings = fast_settings(market_data="auto", exchange_url_overrides={"binance": fake.url})
    hub = build_market_data(settings, db, clock=clock)
    try:
        result = await hub.ohlcv("ETH/USDT", "4h", limit=10)
        assert result.simulated and result.source == "sim" and len(result.frame) == 10
        assert fake.count("/exchangeInfo") == 1  # one quick probe, no retries
        assert hub.fallback_notice_needed(1) is True
        assert hub.fallback_notice_needed(1) is False
        assert hub.fallback_notice_needed(2) is True
        assert (await hub.ticker("BTC/USDT")).simulated

        fake.down = False  # the exchange is back; the probe interval is 0 s here
        real = await hub.ohlcv("BTC/USDT", "1h", limit=10)
        assert not real.simulated and real.source == "binance"
        assert real.frame.equals(BTC_1H.iloc[-10:].reset_index(drop=True))
        assert hub.fallback_notice_needed(3) is False
    finally:
        await hub.aclose()


async def test_normalize_uses_exchange_markets(fake_exchange_factory, db) -> None:
    fake = await fake_exchange_factory(
        files=["binance_BTC-USDT_1h.csv.gz", "binance_ETH-USDT_1h.csv.gz"], now_ms=END
    )
    settings = fast_settings(
        exchange_url_overrides={"binance": fake.url}, exchange_market_types=["spot", "linear"]
    )
    hub = build_market_data(settings, db, clock=ReplayClock(END))
    try:
        assert await hub.normalize("ethusdt") == "ETH/USDT"
        assert await hub.normalize("BTCUSDT.P") == "BTC/USDT:USDT"
        from core.market.symbols import UnknownSymbol

        with pytest.raises(UnknownSymbol) as err:
            await hub.normalize("ETHUSTD")
        assert err.value.suggestions[0] == "ETH/USDT"
    finally:
        await hub.aclose()


async def test_broken_exchange_candles_become_gaps_not_data(
    fake_exchange_factory,
    db,
    caplog,
) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    broken = BTC_1H.copy()
    broken.loc[len(broken) - 5, "high"] = 1.0  # high below open and close
    broken.loc[len(broken) - 3, "close"] = float("nan")
    fake.markets["BTC/USDT"].frames["1h"] = broken
    hub = build_market_data(
        fast_settings(exchange_url_overrides={"binance": fake.url}), db, clock=ReplayClock(END)
    )
    try:
        result = await hub.ohlcv("BTC/USDT", "1h", limit=10)
    finally:
        await hub.aclose()
    good = BTC_1H.drop(index=[len(BTC_1H) - 5, len(BTC_1H) - 3]).iloc[-8:]
    assert result.frame.equals(good.reset_index(drop=True))
    info = await hub.store.info("binance", "BTC/USDT", "1h")
    assert info is not None and [g.missing for g in info.gaps] == [1, 1]
    assert "dropped 2 invalid candles" in caplog.text
