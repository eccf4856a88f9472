"""The exchange down for an hour: signals pause (the data is marked stale and scans
skip it), positions are not touched meanwhile, and when it is back the paper
monitor applies every missed candle in order (TP1 in one, TP2 in a later one).

The real ccxt client talks to the loopback fake Binance; the market clock and the
fake's "now" move together in 15-minute steps.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bot.app import build_services, close_services
from core.config import Settings
from services.accounts.grammar import parse_deposit
from services.db.engine import Database
from services.db.migrate import upgrade
from services.db.models.trading import Fill
from services.market.base import ReplayClock
from services.market.factory import build_market_data
from services.paper.grammar import parse_trade
from tests.fakes.fake_exchange import FakeExchange

M15 = 15 * 60_000
T0 = int(datetime(2023, 6, 1, tzinfo=UTC).timestamp() * 1000)  # a 00:00 candle opens
USER = 777


async def test_exchange_down_for_an_hour_then_back(tmp_path: Path) -> None:
    fake = FakeExchange(
        ["binance_BTC-USDT_1h.csv.gz", "binance_BTC-USDT_15m.csv.gz"], now_ms=T0 + 60_000
    )
    await fake.start()
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'down.db'}",
        data_dir=tmp_path / "data",
        market_data="exchange",
        exchange_url_overrides={"binance": fake.url},
        exchange_timeout_ms=500,
        market_retries=0,
        market_breaker_failures=2,
        market_breaker_reset_s=0,  # probe again on every call
        market_stale_bars=1,
        ticker_ttl_s=0,
        paper_monitor_timeframe="15m",
        signal_symbols=["BTC/USDT"],
        scheduler_enabled=False,
        anthropic_api_key=None,
    )
    db = Database(settings.database_url)
    clock = ReplayClock(T0 + 60_000)
    hub = build_market_data(settings, db, clock=clock)
    services = await build_services(settings, {"db": db, "market": hub})

    def advance(ms: int) -> None:
        clock.set(clock.now_ms() + ms)
        fake.now_ms = clock.now_ms()

    try:
        await upgrade(db)
        await services.users.upsert(USER, first_name="Down", language_code="en")
        await services.accounts.change(USER, parse_deposit("1000"))
        # Short near 27 210: TP1 27 100 is reached by the 00:30 candle, TP2 27 040
        # by the 00:45 one; the stop (27 400, then breakeven) is never touched.
        opened = await services.paper.open_trade(
            USER, parse_trade("BTC/USDT short 100 sl 27400 tp 27100,27040,26000"), "down-1"
        )
        position_id = opened.position.id
        before = await services.signals.analyse("BTC/USDT", "1h")
        assert not before.stale

        fake.down = True
        for _ in range(4):  # an hour of 15-minute candles the bot cannot see
            advance(M15)
            await services.paper.monitor.run_once(("paper",))
        during = await services.signals.analyse("BTC/USDT", "1h")
        assert during.stale  # the card says so; sizes are not offered on old data
        report = await services.signals.scan(force=True)
        assert report.skipped.get("stale", 0) + report.skipped.get("error", 0) >= 1
        assert report.evaluated == 0 and report.deliveries == 0  # signals paused
        async with db.sessions() as session:
            exits = (
                await session.scalars(
                    select(Fill).where(Fill.position_id == position_id, Fill.kind != "entry")
                )
            ).all()
        assert exits == []

        fake.down = False
        advance(M15)  # the exchange is back: the monitor catches up
        with suppress(Exception):
            await hub.ticker("BTC/USDT")  # the breaker's probe
        await services.paper.monitor.run_once(("paper",))
        async with db.sessions() as session:
            exits = (
                await session.scalars(
                    select(Fill)
                    .where(Fill.position_id == position_id, Fill.kind != "entry")
                    .order_by(Fill.id)
                )
            ).all()
        assert [(f.kind, f.bar_ms) for f in exits] == [
            ("tp1", T0 + 2 * M15),
            ("tp2", T0 + 3 * M15),
        ]
        assert [f.price for f in exits] == [Decimal("27100"), Decimal("27040")]
        after = await services.signals.analyse("BTC/USDT", "1h")
        assert not after.stale
        resumed = await services.signals.scan(force=True)
        assert resumed.evaluated == 1 and "stale" not in resumed.skipped
    finally:
        await close_services(services)
        await fake.close()
