"""A restart during an exchange outage (QA defect 3): symbols the bot knows still
resolve (saved market list, else the candle cache), cached candles and a price
rebuilt from them are served stale with their age, and the universe stands in
unscreened and stale; a reachability probe still sees the outage."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.market.csv import read_candles
from services.market.base import DataUnavailable, ReplayClock
from services.market.factory import build_market_data
from services.market.store import CandleStore
from tests.integration.market.conftest import DATA, H, fast_settings

BTC_1H = read_candles(DATA / "binance_BTC-USDT_1h.csv.gz")
END = int(BTC_1H.timestamp.iloc[-1]) + H


async def test_cold_start_while_down_serves_what_is_cached(
    fake_exchange_factory, db, tmp_path: Path
) -> None:
    fake = await fake_exchange_factory(
        files=["binance_BTC-USDT_1h.csv.gz", "binance_ETH-USDT_1h.csv.gz"], now_ms=END
    )
    settings = fast_settings(exchange_url_overrides={"binance": fake.url}, data_dir=tmp_path)
    await CandleStore(db).insert("binance", "BTC/USDT", "1h", BTC_1H.iloc[-500:])
    clock = ReplayClock(END + 5 * H)
    fake.down = True
    hub = build_market_data(settings, db, clock=clock)
    try:
        # No saved list yet: the candle cache says which symbols exist.
        assert await hub.normalize("btc") == "BTC/USDT"
        with pytest.raises(DataUnavailable):
            await hub.chain.markets(retries=0, fallback=False)  # the probe's view
        candles = await hub.ohlcv("BTC/USDT", "1h", limit=100)
        assert candles.stale and candles.age_s == pytest.approx(5 * 3600)
        assert candles.frame.equals(BTC_1H.iloc[-100:].reset_index(drop=True))
        ticker = await hub.ticker("BTC/USDT")
        assert ticker.stale and ticker.last == float(BTC_1H.close.iloc[-1])
        assert ticker.ts_ms == END
        day = BTC_1H.iloc[-24:]
        assert ticker.quote_volume_24h == pytest.approx(float((day.volume * day.close).sum()))
        universe = await hub.universe.build(refresh=True)
        assert universe.stale and universe.symbols == ["BTC/USDT"]
    finally:
        await hub.aclose()

    # Once the exchange has answered, its market list is kept on disk ...
    fake.down = False
    hub = build_market_data(settings, db, clock=clock)
    try:
        assert set(await hub.markets()) == {"BTC/USDT", "ETH/USDT"}
    finally:
        await hub.aclose()
    assert (tmp_path / "market" / "markets-binance.json").is_file()
    # ... so after a restart during an outage ETH (no cached candles) still resolves.
    fake.down = True
    hub = build_market_data(settings, db, clock=clock)
    try:
        assert await hub.normalize("eth/usdt") == "ETH/USDT"
        with pytest.raises(DataUnavailable):
            await hub.ticker("ETH/USDT")  # nothing cached to price it from
    finally:
        await hub.aclose()
