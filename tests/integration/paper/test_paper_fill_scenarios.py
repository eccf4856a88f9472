"""The shared fill scenario tables (BACKTEST's) through the paper Decimal path.

Each scenario opens a position with the real Opener at bar 1's open and feeds the
bars to the real PaperMonitor, against a real SQLite database, then compares the
stored fill rows with the table: same bars, kinds, reasons, quantities, prices and
fees as the backtest engine, plus the balance identity on the stored totals.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.db.engine import Database
from services.db.models.trading import Fill
from services.market.base import ReplayClock
from services.paper.config import PaperConfig
from services.paper.dto import TradeError
from services.paper.monitor import PaperMonitor
from services.paper.opening import Opener, OpenSpec, Quote
from tests.unit.backtest.fill_scenarios import SCENARIOS, FillScenario

T0 = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000
HOUR = 3_600_000
USER = 101
DEPOSIT = Decimal(1_000_000)
# Paper trading refuses an order whose stop is already crossed at the entry price;
# the backtest enters and stops out on the same bar. Checked separately below.
REFUSED = {"stop_beyond_open_at_entry"}


def D(x: float) -> Decimal:
    return Decimal(str(x))


def _bars(sc: FillScenario) -> list[tuple[int, Decimal, Decimal, Decimal, Decimal]]:
    return [(T0 + i * HOUR, *(D(v) for v in bar)) for i, bar in enumerate(sc.bars)]  # type: ignore[misc]


async def _open(db: Database, accounts: AccountService, sc: FillScenario) -> int:
    config = PaperConfig(
        spot_fee=D(sc.fee_rate),
        futures_fee=D(sc.fee_rate),
        slippage_bps=D(sc.slippage_bps),
        mmr=D(sc.mmr),
        monitor_timeframe="1h",
    )
    clock = ReplayClock(T0 + HOUR)
    opener = Opener(db, accounts, config, clock.now_ms)
    await accounts.change(USER, DepositCommand("set", DEPOSIT))
    targets = tuple(D(t) for t in (sc.tp1, sc.tp2, sc.tp3) if t)
    spec = OpenSpec(
        symbol="TEST/USDT",
        side="long" if sc.side == 1 else "short",
        leverage=int(sc.leverage),
        qty=D(sc.qty),
        stop=D(sc.stop) if sc.stop else None,
        targets=targets,
        timeframe="1h",
        atr=D(sc.atr),
        atr_fraction=D(sc.atr_fraction),
        trail=D(sc.trail),
    )
    quote = Quote(price=D(sc.bars[1][0]), time_ms=T0 + HOUR)
    result = await opener.open(USER, spec, quote, request_key=f"scenario:{sc.name}")
    return result.position.id


@pytest.mark.parametrize(
    "sc", [s for s in SCENARIOS if s.name not in REFUSED], ids=lambda s: s.name
)
async def test_scenario_through_paper_path(
    sc: FillScenario, db: Database, accounts: AccountService
) -> None:
    pid = await _open(db, accounts, sc)
    monitor = PaperMonitor(db, None, ReplayClock(T0 + len(sc.bars) * HOUR).now_ms)
    await monitor.apply_bars(pid, _bars(sc))
    async with db.session() as s:
        rows = list(await s.scalars(select(Fill).where(Fill.position_id == pid).order_by(Fill.id)))
    assert len(rows) == len(sc.fills), [(r.kind, r.price, r.qty) for r in rows]
    for row, exp in zip(rows, sc.fills, strict=True):
        bar = 1 if row.bar_ms is None else (row.bar_ms - T0) // HOUR
        assert bar == exp.bar, (sc.name, row.kind)
        expected_kind = "entry" if exp.kind == "entry" else exp.reason
        assert row.kind == expected_kind
        assert row.qty == D(exp.qty_fraction) * D(sc.qty)
        assert math.isclose(float(row.price), exp.price, rel_tol=1e-9), (row.price, exp.price)
        assert row.fee == (row.price * row.qty * D(sc.fee_rate)).quantize(Decimal("1e-10"))
    net = sum((r.pnl - r.fee for r in rows), Decimal(0))
    if sc.net_pnl is not None:
        assert net == D(sc.net_pnl)
    account = await accounts.get(USER)
    assert account.balance == DEPOSIT + net
    assert account.realized_pnl == sum((r.pnl for r in rows), Decimal(0))


async def test_second_pass_over_same_bars_books_nothing(
    db: Database, accounts: AccountService
) -> None:
    sc = next(s for s in SCENARIOS if s.name == "tp1_then_breakeven_stop")
    pid = await _open(db, accounts, sc)
    monitor = PaperMonitor(db, None, ReplayClock(T0 + 10 * HOUR).now_ms)
    first = await monitor.apply_bars(pid, _bars(sc)[:2])
    assert [e.fill.kind for e in first] == ["tp1"]
    assert first[0].position.stop == Decimal(100)  # breakeven from the next bar
    again = await monitor.apply_bars(pid, _bars(sc))  # bar 1 again, then bar 2
    assert [e.fill.kind for e in again] == ["stop"]
    assert again[0].position.exit_reason == "breakeven"
    assert await monitor.apply_bars(pid, _bars(sc)) == []


async def test_stop_already_crossed_at_entry_is_refused(
    db: Database, accounts: AccountService
) -> None:
    sc = next(s for s in SCENARIOS if s.name == "stop_beyond_open_at_entry")
    with pytest.raises(TradeError) as err:
        await _open(db, accounts, sc)
    assert err.value.key == "trade-err-stop-side"
    assert (await accounts.get(USER)).fees == 0
