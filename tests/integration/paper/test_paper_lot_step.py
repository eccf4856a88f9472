"""Partial take-profits close whole lots (review R1: 812 DOGE closed 243.6 at TP2).
The simulated market's DOGE/USDT trades in whole coins; bars are fed to the monitor
by hand so each target fills on its own bar."""

from __future__ import annotations

from decimal import Decimal

from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.db.engine import Database
from services.market.base import ReplayClock
from services.market.sim import SimProvider
from services.paper.config import PaperConfig
from services.paper.grammar import parse_trade
from services.paper.service import PaperService

D = Decimal
USER = 101
MINUTE = 60_000


async def test_partial_targets_round_to_the_lot_and_the_last_takes_the_rest(
    db: Database, clock: ReplayClock
) -> None:
    market = SimProvider(7, clock)
    assert (await market.markets())["DOGE/USDT"].amount_precision == 1.0
    accounts = AccountService(db, clock.now_ms)
    paper = PaperService(db, market, accounts, PaperConfig())
    await accounts.change(USER, DepositCommand("set", D(1000)))
    last = D(str((await market.ticker("DOGE/USDT")).last))
    stop, tp1, tp2, tp3 = (last * D(k) for k in ("0.5", "1.1", "1.2", "1.3"))
    line = f"DOGE/USDT long 149 sl {stop:.6f} tp {tp1:.6f},{tp2:.6f},{tp3:.6f}"
    opened = (await paper.open_trade(USER, parse_trade(line), "k")).position
    qty = opened.qty
    assert qty == qty.to_integral_value() and (qty * D("0.3")) % 1 != 0, qty
    start = (opened.opened_ms // MINUTE + 1) * MINUTE
    bars = [
        (start + i * MINUTE, level, level, level, level)
        for i, level in enumerate((opened.targets[0], opened.targets[1], opened.targets[2]))
    ]
    events = await paper.monitor.apply_bars(opened.id, bars)
    assert [e.fill.kind for e in events] == ["tp1", "tp2", "tp3"]
    sizes = [e.fill.qty for e in events]
    assert sizes == [(qty * D("0.5")) // 1, (qty * D("0.3")) // 1, qty - sum(sizes[:2])]
    assert all(s == s.to_integral_value() for s in sizes)
    assert events[-1].position.status == "closed" and events[-1].position.remaining_qty == 0
