"""The real ccxt client against the loopback fake Binance: paging and failure handling."""

from __future__ import annotations

import asyncio

import pytest

from core.market.csv import read_candles
from services.market.exchange import ExchangeSource, SourceConfig, SourceError
from services.market.factory import source_config
from services.market.resilience import BreakerState
from tests.integration.market.conftest import DATA, H, fast_settings

BTC_1H = read_candles(DATA / "binance_BTC-USDT_1h.csv.gz")
END = int(BTC_1H.timestamp.iloc[-1]) + H  # the last file candle has just closed


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make_source(fake, config: SourceConfig | None = None, name: str = "binance"):
    sleeps = Sleeps()
    source = ExchangeSource(
        name, config or source_config(fast_settings()), base_url=fake.url, sleep=sleeps
    )
    return source, sleeps


async def test_paginates_thousands_of_candles_exactly(fake_exchange_factory) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    source, _ = make_source(fake)
    try:
        since = int(BTC_1H.timestamp.iloc[-4500])
        frame = await source.fetch_ohlcv("BTC/USDT", "1h", since, END - H)
    finally:
        await source.close()
    expected = BTC_1H.iloc[-4500:].reset_index(drop=True)
    assert frame.equals(expected)  # same values, dtypes and gaps
    assert fake.count("/api/v3/klines") == 5  # 1000 per page
    assert source.client.enableRateLimit is False  # our limiter is the only throttle
    assert fake.count("/sapi/") == 0 and fake.count("/fapi/") == 0  # spot only


async def test_429_waits_for_retry_after_then_succeeds(fake_exchange_factory) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    source, sleeps = make_source(fake)
    try:
        await source.load_markets()
        fake.fail_next("429", retry_after=0.15, path="/klines")
        frame = await source.fetch_ohlcv("BTC/USDT", "1h", END - 10 * H, END - H)
    finally:
        await source.close()
    assert len(frame) == 10
    assert sleeps.delays == [pytest.approx(0.15)]  # Retry-After beats the 5 ms backoff
    assert source.stats.rate_limited == 1 and source.stats.retries == 1


async def test_timeouts_and_malformed_json_are_retried(fake_exchange_factory) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    source, sleeps = make_source(fake)
    try:
        await source.load_markets()
        fake.fail_next("timeout", delay_s=1.0, path="/klines")
        fake.fail_next("malformed", path="/klines")
        frame = await source.fetch_ohlcv("BTC/USDT", "1h", END - 24 * H, END - H)
    finally:
        await source.close()
    assert frame.equals(BTC_1H.iloc[-24:].reset_index(drop=True))
    assert source.stats.errors_by_kind == {"timeout": 1, "malformed": 1}
    assert len(sleeps.delays) == 2 and all(0 < d <= 0.005 for d in sleeps.delays)


async def test_5xx_burst_opens_breaker_then_half_open_probe_closes_it(
    fake_exchange_factory,
) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    config = source_config(fast_settings(market_retries=10, market_breaker_reset_s=0.3))
    source, _ = make_source(fake, config)
    try:
        await source.load_markets()
        fake.fail_next("5xx", times=3, status=502, path="/ticker")
        with pytest.raises(SourceError) as err:
            await source.fetch_ticker("BTC/USDT")
        assert err.value.kind == "unavailable"
        assert source.breaker.state is BreakerState.OPEN
        sent = len(fake.requests)
        with pytest.raises(SourceError) as err:
            await source.fetch_ticker("BTC/USDT")
        assert err.value.kind == "breaker_open"
        assert len(fake.requests) == sent  # an open breaker sends nothing
        await asyncio.sleep(0.35)
        ticker = await source.fetch_ticker("BTC/USDT")  # the half-open probe
        assert ticker.last == BTC_1H.close.iloc[-1]
        assert source.breaker.state is BreakerState.CLOSED
    finally:
        await source.close()


async def test_rejected_request_is_not_retried_nor_counted(fake_exchange_factory) -> None:
    fake = await fake_exchange_factory(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=END)
    source, sleeps = make_source(fake)
    try:
        await source.load_markets()
        with pytest.raises(SourceError) as err:
            await source.fetch_ticker("DOGE/USDT")  # not listed on this exchange
    finally:
        await source.close()
    assert err.value.kind == "rejected"
    assert sleeps.delays == [] and source.breaker.failures == 0


async def test_markets_tickers_depth_and_perps(fake_exchange_factory) -> None:
    fake = await fake_exchange_factory(
        files=["binance_BTC-USDT_1h.csv.gz", "binance_ETH-USDT_1h.csv.gz"], now_ms=END
    )
    config = source_config(fast_settings(exchange_market_types=["spot", "linear"]))
    source, _ = make_source(fake, config)
    try:
        markets = await source.load_markets()
        ticker = await source.fetch_ticker("BTC/USDT")
        depth = await source.fetch_depth("BTC/USDT", 1.0)
        tickers = await source.fetch_tickers()
        perp = await source.fetch_ohlcv("BTC/USDT:USDT", "1h", END - 5 * H, END - H)
    finally:
        await source.close()
    assert set(markets) == {"BTC/USDT", "ETH/USDT", "BTC/USDT:USDT", "ETH/USDT:USDT"}
    btc = markets["BTC/USDT"]
    assert btc.kind == "spot" and btc.active and btc.min_notional == 5.0
    assert markets["BTC/USDT:USDT"].kind == "perp"
    assert ticker.last == BTC_1H.close.iloc[-1]
    assert ticker.spread_pct == pytest.approx(0.02)
    day = BTC_1H.iloc[-24:]
    assert ticker.quote_volume_24h == pytest.approx((day.volume * day.close).sum())
    assert depth.bid_quote == pytest.approx(2_000_000) and depth.ask_quote == pytest.approx(2e6)
    assert {"BTC/USDT", "ETH/USDT", "BTC/USDT:USDT"} <= set(tickers)
    assert perp.equals(BTC_1H.iloc[-5:].reset_index(drop=True))
    assert fake.count("/fapi/v1/klines") == 1
