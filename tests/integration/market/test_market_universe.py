"""Universe screening with DB-stored block/white lists, and the /top ranking."""

from __future__ import annotations

import pytest

from core.market.csv import read_candles
from core.market.symbols import UnknownSymbol
from services.market.base import ReplayClock
from services.market.factory import build_market_data
from services.market.universe import InvalidListKind
from tests.fakes.fake_exchange import FakeMarket
from tests.integration.market.conftest import DATA, H, fast_settings

ALTS = ["ETH", "SOL", "XRP", "DOGE", "ADA"]
ETH_1H = read_candles(DATA / "binance_ETH-USDT_1h.csv.gz")
NOW = int(ETH_1H.timestamp.iloc[-1]) + H


async def make_hub(fake_exchange_factory, db):
    fake = await fake_exchange_factory(
        files=[f"binance_{b}-USDT_1h.csv.gz" for b in ALTS],
        now_ms=NOW,
        extra_markets=[FakeMarket("LUNA/USDT", "LUNA", "USDT", status="BREAK")],
    )
    fake.markets["DOGE/USDT"].spread_pct = 0.6  # too wide
    fake.markets["SOL/USDT"].depth_quote = 20_000  # too thin
    settings = fast_settings(
        exchange_url_overrides={"binance": fake.url},
        universe_min_quote_volume=20_000_000,
        markets_ttl_s=0.0,
    )
    return fake, build_market_data(settings, db, clock=ReplayClock(NOW))


async def test_filters_and_lists_shape_the_universe(fake_exchange_factory, db) -> None:
    _fake, hub = await make_hub(fake_exchange_factory, db)
    try:
        universe = await hub.universe.build()
        assert set(universe.symbols) == {"ETH/USDT", "XRP/USDT", "ADA/USDT"}
        assert universe.excluded["DOGE/USDT"] == "spread"
        assert universe.excluded["SOL/USDT"] == "depth"
        assert "LUNA/USDT" not in universe.symbols  # inactive market
        assert not universe.simulated and universe.source == "binance"

        assert await hub.universe.add("block", "ethusdt", user_id=42, note="test")
        assert not await hub.universe.add("block", "ETH-USDT")  # already there
        assert await hub.universe.add("white", "sol/usdt")
        blocked = await hub.universe.list("block")
        assert [(i.symbol, i.added_by, i.note) for i in blocked] == [("ETH/USDT", 42, "test")]

        universe = await hub.universe.build()
        assert set(universe.symbols) == {"SOL/USDT", "XRP/USDT", "ADA/USDT"}
        assert universe.excluded["ETH/USDT"] == "blocked"
        assert next(e for e in universe.entries if e.symbol == "SOL/USDT").whitelisted

        assert await hub.universe.remove("block", "ETH/USDT")
        assert not await hub.universe.remove("block", "ETH/USDT")
        assert "ETH/USDT" in (await hub.universe.build()).symbols
        # A blocklist may name a market the exchange does not list; a whitelist may not.
        assert await hub.universe.add("block", "FOOUSDT")
        with pytest.raises(UnknownSymbol):
            await hub.universe.add("white", "FOOUSDT")
        with pytest.raises(InvalidListKind):
            await hub.universe.list("grey")
    finally:
        await hub.aclose()


async def test_top_ranks_by_trend_volume_volatility(fake_exchange_factory, db) -> None:
    fake, hub = await make_hub(fake_exchange_factory, db)
    try:
        top = await hub.universe.top(2, timeframe="4h")
        assert len(top.entries) == 2 and top.universe_size == 3
        assert [e.rank for e in top.entries] == [1, 2]
        assert top.entries[0].score >= top.entries[1].score
        assert not top.simulated and not top.stale
        for entry in top.entries:
            assert entry.direction in {"up", "down", "range"}
            assert 0 <= entry.efficiency <= 1 and entry.volatility_pct > 0
        # 4h candles came from the exchange (7 days = 42 bars + 1), cached afterwards.
        assert fake.count("/klines") == 3
        await hub.universe.top(2, timeframe="4h")
        assert fake.count("/klines") == 3
    finally:
        await hub.aclose()


async def test_ranking_is_cached_until_the_next_candle_or_a_list_change(
    fake_exchange_factory,
    db,
) -> None:
    fake = await fake_exchange_factory(
        files=[f"binance_{b}-USDT_1h.csv.gz" for b in ALTS], now_ms=NOW - 2 * H
    )
    clock = ReplayClock(NOW - 2 * H)
    settings = fast_settings(
        exchange_url_overrides={"binance": fake.url}, universe_min_quote_volume=20_000_000
    )
    hub = build_market_data(settings, db, clock=clock)
    try:
        assert not hub.universe.is_warm("1h")
        first = await hub.universe.top(3, timeframe="1h")
        assert hub.universe.is_warm("1h")
        sent = len(fake.requests)
        again = await hub.universe.top(5, timeframe="1h")
        assert len(fake.requests) == sent  # answered from the ranking cache
        assert again.entries[:3] == first.entries and len(again.entries) == 5

        await hub.universe.add("block", first.entries[0].symbol)
        assert not hub.universe.is_warm("1h")
        reranked = await hub.universe.top(5, timeframe="1h")
        assert first.entries[0].symbol not in [e.symbol for e in reranked.entries]

        fake.now_ms += H
        clock.advance(H)  # a new 1h candle closed: rank again, fetching only tails
        assert not hub.universe.is_warm("1h")
        before = fake.count("/klines")
        await hub.universe.top(5, timeframe="1h")
        tails = [r for r in fake.requests if r.path.endswith("/klines")][before:]
        assert len(tails) == 4 and all(int(r.params["startTime"]) == NOW - 2 * H for r in tails)
    finally:
        await hub.aclose()
