"""Reports through the emulator: the digest job with a fixed clock (photo + text,
never twice, not for users with nothing to report), /stats per trade mode with paper
and backfill never pooled, and /export as CSV documents."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.accounts.grammar import parse_deposit
from services.jobs import digests as digest_jobs
from services.paper.grammar import parse_trade
from services.reports.factory import build_reports
from tests.e2e.harness import USER_ID, ChatDriver
from tests.paper_exits import book_exit

OTHER = 1002


def services_of(chat: ChatDriver) -> Any:
    assert chat.app is not None
    return chat.app.services


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def paper_round_trip(chat: ChatDriver, fraction: str) -> Any:
    """Open a BTC position through the chat and book its exit at `fraction` x the
    entry (tests.paper_exits: /close only takes prices the market traded at)."""
    await chat.send("/trade BTC/USDT long 100 x2")
    (position,) = await services_of(chat).paper.queries.open_positions(USER_ID)
    price = (position.entry_price * Decimal(fraction)).quantize(Decimal("0.01"))
    closed = await book_exit(services_of(chat), USER_ID, position.id, price)
    assert closed.fill is not None
    return await services_of(chat).paper.queries.position(USER_ID, position.id)


def digests_for(chat: ChatDriver, user_id: int) -> list[Any]:
    return [m for m in chat.history(user_id) if m.photo is not None]


async def test_daily_digest_once_with_chart_and_figures(chat) -> None:
    await chat.send("/start", user_id=OTHER)  # nothing to report for this one
    await chat.send("/deposit 1000")
    loser = await paper_round_trip(chat, "0.9")
    await chat.send("/trade ETH/USDT long 50")  # stays open
    services = services_of(chat)
    today = datetime.fromtimestamp(loser.closed_ms / 1000, tz=UTC).date()
    fixed = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    services.reports.clock = lambda: ms(fixed.replace(hour=9, minute=30))

    await digest_jobs.run()
    await chat.wait_idle()
    (digest,) = [m for m in digests_for(chat, USER_ID) if "Daily digest" in m.text]
    assert digest.photo.data.startswith(b"\x89PNG")
    assert f"Daily digest — {today.isoformat()}" in digest.text
    assert "Trades closed: 1 (win rate 0.0%, profit factor 0.00)" in digest.text
    assert "Stops: 0 · Targets: 0" in digest.text and "Open positions: 1" in digest.text
    assert "Best:" not in digest.text
    # The day's PnL: the closed loser and the entry fee of the ETH position still open.
    (eth,) = await services.paper.queries.open_positions(USER_ID)
    day = (loser.net_pnl - eth.fees).quantize(Decimal("0.01"))
    assert f"PnL: {day:,.2f} USDT" in digest.text
    assert f"Worst: BTC/USDT {loser.net_pnl.quantize(Decimal('0.01')):,.2f} USDT" in digest.text
    assert digests_for(chat, OTHER) == []

    # Run again, and again from a freshly built report service (a restart): nothing new.
    await digest_jobs.run()
    services.reports = build_reports(services)
    services.reports.clock = lambda: ms(fixed.replace(hour=9, minute=45))
    await digest_jobs.run()
    await chat.wait_idle()
    assert len([m for m in digests_for(chat, USER_ID) if "Daily digest" in m.text]) == 1


async def test_no_digest_before_the_local_hour(chat) -> None:
    await chat.send("/deposit 1000")
    await chat.send("/trade BTC/USDT long 50")
    services = services_of(chat)
    await services.users.update_settings(USER_ID, timezone="Asia/Tokyo")  # UTC+9
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    early = datetime.combine(tomorrow, datetime.min.time(), UTC) - timedelta(minutes=31)
    run = await services.reports.run_digests(ms(early))  # 08:29 in Tokyo
    assert (run.sent, run.skipped, run.already) == (0, 0, 0)
    run = await services.reports.run_digests(ms(early + timedelta(minutes=32)))  # 09:01
    assert run.sent >= 1


async def test_stats_per_mode_never_pooled(chat) -> None:
    await chat.send("/deposit 1000")
    paper_trade = await paper_round_trip(chat, "0.95")
    services = services_of(chat)
    # A backfill run trades its own account with its own positions.
    await services.accounts.change(USER_ID, parse_deposit("2000"), "backfill")
    opened = await services.paper.open_trade(
        USER_ID, parse_trade("BTC/USDT long 200"), "bf-1", "backfill"
    )
    price = (opened.position.entry_price * Decimal("1.1")).quantize(Decimal("0.01"))
    closed = await book_exit(services, USER_ID, opened.position.id, price)
    backfill_trade = closed.position

    (both,) = await chat.send("/stats")
    paper_part, backfill_part = both.text.split("Statistics — backfill")
    assert "Statistics — paper" in paper_part and "live" not in paper_part
    assert "Trades: 1 (win rate 0.00%)" in paper_part
    assert "Trades: 1 (win rate 100.00%)" in backfill_part
    assert f"Net PnL: {paper_trade.net_pnl:,.2f} USDT" in paper_part
    assert f"Net PnL: +{backfill_trade.net_pnl:,.2f} USDT" in backfill_part
    assert "Trades: 2" not in both.text  # never pooled
    assert "Modes are never pooled" in both.text

    (paper_only,) = await chat.send("/stats paper")
    assert "Statistics — paper" in paper_only.text and "backfill" not in paper_only.text
    (backfill_only,) = await chat.send("/stats backfill")
    assert (
        "win rate 100.00%" in backfill_only.text and "Statistics — paper" not in backfill_only.text
    )
    (live,) = await chat.send("/stats live")
    assert "No closed live trades yet." in live.text
    (bad,) = await chat.send("/stats everything")
    assert "/stats paper" in bad.text


async def test_export_sends_trades_and_fills_as_csv(chat) -> None:
    (empty,) = await chat.send("/export")
    assert "no trades to export" in empty.text
    await chat.send("/deposit 1000")
    trade = await paper_round_trip(chat, "1.02")
    trades_doc, fills_doc = await chat.send("/export")
    assert trades_doc.document.filename == f"trades-{USER_ID}.csv"
    assert "(1 position, 2 fills)" in trades_doc.text
    (row,) = list(csv.DictReader(io.StringIO(trades_doc.document.data.decode())))
    assert row["symbol"] == "BTC/USDT" and row["trade_mode"] == "paper"
    assert Decimal(row["net_pnl"]) == trade.net_pnl and row["exit_reason"] == trade.exit_reason
    fills = list(csv.DictReader(io.StringIO(fills_doc.document.data.decode())))
    assert [f["kind"] for f in fills] == ["entry", "close"]
    assert sum(Decimal(f["pnl"]) - Decimal(f["fee"]) for f in fills) == trade.net_pnl


async def test_weekly_report_on_monday(chat) -> None:
    await chat.send("/deposit 1000")
    await paper_round_trip(chat, "1.05")
    await chat.send("/trade ETH/USDT long 50")  # open: the Sunday digest has something to say
    services = services_of(chat)
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())  # the next Monday, 1..7 days on
    at = datetime.combine(monday, datetime.min.time(), UTC).replace(hour=9, minute=5)
    run = await services.reports.run_digests(ms(at))
    assert (run.sent, run.skipped) == (2, 0)
    await chat.wait_idle()
    (weekly,) = [m for m in digests_for(chat, USER_ID) if "Weekly report" in m.text]
    first, last = monday - timedelta(days=7), monday - timedelta(days=1)
    assert f"Weekly report — {first.isoformat()} to {last.isoformat()}" in weekly.text
    assert "Trades closed: 1 (win rate 100.0%, profit factor ∞)" in weekly.text
    assert "Best: BTC/USDT +" in weekly.text and weekly.photo.data.startswith(b"\x89PNG")
    (daily,) = [m for m in digests_for(chat, USER_ID) if "Daily digest" in m.text]
    assert f"Daily digest — {last.isoformat()}" in daily.text
    assert (await services.reports.run_digests(ms(at))).already == 2
