"""Backfill: the real services (market replay, signals scan, paper trading, risk hook)
stepped over 36 hours of shared BTC/USDT 1h candles, and the CLI's input checks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bot.app import build_services, close_services
from bot.cli import main
from services.db.migrate import upgrade
from services.paper.backfill import run_backfill
from tests.e2e.harness import harness_settings

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
BTC_1H = DATA / "binance_BTC-USDT_1h.csv.gz"
USER = 4242


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


async def test_backfill_trades_like_paper_in_its_own_mode(tmp_path: Path) -> None:
    start, end = ms("2024-03-03T18:00"), ms("2024-03-05T06:00")
    settings = harness_settings(
        tmp_path,
        market_data="replay",
        replay_data_path=str(BTC_1H),
        replay_start_ms=start,
        paper_monitor_timeframe="1h",
    )
    services = await build_services(settings, {"sender": None})
    try:
        await upgrade(services.db)
        await services.users.upsert(USER)
        kwargs = {
            "user_id": USER,
            "start_ms": start,
            "end_ms": end,
            "preset": "composite",
            "timeframe": "1h",
            "symbols": ["BTC/USDT"],
            "deposit": Decimal(1000),
        }
        report = await run_backfill(services, **kwargs)
        assert report.steps == 37 and report.signals >= report.opened > 0
        assert report.closed > 0
        queries = services.paper.queries
        closed = await queries.closed_positions(USER, "backfill")
        assert {p.trade_mode for p in closed} == {"backfill"}
        assert {p.source for p in closed} == {"signal"}
        assert all(p.timeframe == "1h" and p.signal_id for p in closed)
        assert {p.exit_reason for p in closed} <= {
            "stop", "breakeven", "tp1", "tp2", "tp3", "liquidation",
        }  # fmt: skip
        # entries happen at a candle boundary, exits are stamped with the fill candle
        assert all(p.opened_ms % 3_600_000 == 0 for p in closed)
        fills = await queries.fills(USER, "backfill")
        account = await services.accounts.get(USER, "backfill")
        assert account.balance == Decimal(1000) + sum(f.pnl - f.fee for f in fills)
        assert report.balance == account.balance
        # the paper account and paper statistics are untouched
        assert not (await services.accounts.get(USER, "paper")).exists
        assert await queries.closed_positions(USER, "paper") == []
        assert await queries.fills(USER, "paper") == []
        # running the same span again opens nothing new
        services.market.clock.set(start)
        again = await run_backfill(services, **kwargs)
        assert again.opened == 0
        assert len(await queries.fills(USER, "backfill")) == len(fills)
    finally:
        await close_services(services)


def test_cli_refuses_bad_input(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = str(BTC_1H)
    cases = [
        (["--data", data, "--from", "yesterday", "--to", "2024-03-02"], "not an ISO time"),
        (["--data", data, "--from", "2024-03-02", "--to", "2024-03-01"], "after --from"),
        (["--data", str(tmp_path / "none"), "--from", "2024-03-01", "--to", "2024-03-02"],
         "no such file"),
        (["--data", data, "--from", "2024-03-01", "--to", "2024-03-02", "--deposit", "-5"],
         "positive"),
        (["--data", data, "--from", "2024-03-01", "--to", "2024-03-02", "--preset", "nope"],
         "unknown preset"),
    ]  # fmt: skip
    for argv, expected in cases:
        assert main(["backfill", *argv, "--user", "1"]) == 2
        assert expected in capsys.readouterr().err
