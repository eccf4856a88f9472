"""The paper monitor on whatever candles exist: MARKET_DATA=replay over the shared
hourly BTC/USDT file with default settings (PAPER_MONITOR_TIMEFRAME=1m)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.config import Settings
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.db.engine import Database
from services.market.factory import build_market_data
from services.paper.config import PaperConfig
from services.paper.grammar import parse_trade
from services.paper.monitor import realigned_checked_ms
from services.paper.service import PaperService

D = Decimal
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
START_MS = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000  # 2023-11-14 22:00 UTC
HOUR = 3_600_000
MINUTE = 60_000
USER = 101


def test_realigned_checked_ms_skips_nothing_and_repeats_nothing() -> None:
    # last 1m candle seen opened 10:37 -> the next unseen starts 10:38 -> first 1h is 11:00
    seen = 10 * HOUR + 37 * MINUTE
    assert realigned_checked_ms(seen, "1m", "1h") + HOUR == 11 * HOUR
    assert realigned_checked_ms(10 * HOUR - MINUTE, "1m", "1h") + HOUR == 10 * HOUR
    assert realigned_checked_ms(None, "1m", "1h") is None


async def test_default_monitor_falls_back_to_hourly_replay_and_closes_at_tp(
    db: Database,
) -> None:
    settings = Settings(
        _env_file=None,
        market_data="replay",
        replay_data_path=str(DATA / "binance_BTC-USDT_1h.csv.gz"),
        replay_start_ms=START_MS,
    )
    assert settings.paper_monitor_timeframe == "1m"  # the default under test
    hub = build_market_data(settings, db)
    clock = hub.clock
    accounts = AccountService(db, clock.now_ms)
    paper = PaperService(db, hub, accounts, PaperConfig.from_settings(settings))
    await accounts.change(USER, DepositCommand("set", D(1000)))
    price = D(str((await hub.ticker("BTC/USDT")).last))
    tp = (price * D("1.004")).quantize(D("0.01"))
    stop = (price * D("0.8")).quantize(D("0.01"))
    opened = await paper.open_trade(USER, parse_trade(f"BTC/USDT long 100 sl {stop} tp {tp}"), "f1")
    assert opened.position.timeframe == "1m"
    events = []
    for _ in range(96):
        clock.advance(HOUR)
        events = await paper.monitor.run_once()
        if events:
            break
    assert [e.fill.kind for e in events] == ["tp1"], events
    position = events[0].position
    assert position.status == "closed" and position.exit_reason == "tp1"
    assert events[0].fill.price >= tp
    assert events[0].fill.bar_ms % HOUR == 0  # an hourly candle filled it
    (row,) = await paper.queries.closed_positions(USER)
    assert row.timeframe == "1h"  # the timeframe actually used is recorded
    # a new position goes straight to the known fallback, and nothing is re-applied
    await paper.open_trade(USER, parse_trade("BTC/USDT long 100"), "f2")
    clock.advance(HOUR)
    await paper.monitor.run_once()
    (still_open,) = await paper.queries.open_positions(USER)
    assert still_open.timeframe == "1h"
    await hub.aclose()
