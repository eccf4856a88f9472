"""Trading statistics of one trade mode, from its own positions and fills only.

Design principle 5: `live`, `paper` and `backfill` are computed separately and never
pooled. The formulas are `core.metrics`' (see docs/architecture.md, Metrics), fed
with the mode's daily series:
- daily net PnL per UTC calendar day from the first to the last day with a fill
  (days without fills count as 0), net = gross PnL of exit fills − every fee, with
  entry fees on the day they were paid;
- returns `r_d = pnl_d / E_{d-1}` from the account's deposit (`returns_from_pnl`),
  annualised Sharpe and Sortino over them;
- max drawdown on the equity after every fill, starting from the deposit;
- trades = closed positions; win rate and profit factor on their net PnL;
- trading days = days with at least one fill; average daily PnL = net PnL / those days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from core.metrics.formulas import (
    max_drawdown,
    profit_factor,
    returns_from_pnl,
    sharpe_ratio,
    sortino_ratio,
    win_rate,
)
from services.paper.dto import FillDTO, PositionDTO

DAY_MS = 86_400_000
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ModeStats:
    mode: str
    trades: int
    win_rate: float  # nan without trades
    profit_factor: float  # inf with no loser, nan without trades
    net_pnl: Decimal
    trading_days: int
    avg_daily_pnl: Decimal
    sharpe: float
    sortino: float
    max_drawdown: float  # fraction

    @property
    def empty(self) -> bool:
        return self.trades == 0 and self.trading_days == 0


def daily_pnl(fills: Sequence[FillDTO]) -> dict[int, Decimal]:
    """Net PnL per UTC day (day index = ms // DAY_MS)."""
    days: dict[int, Decimal] = defaultdict(Decimal)
    for f in fills:
        days[f.time_ms // DAY_MS] += f.pnl - f.fee
    return dict(sorted(days.items()))


def mode_stats(
    mode: str, deposit: Decimal, closed: Sequence[PositionDTO], fills: Sequence[FillDTO]
) -> ModeStats:
    trade_pnl = np.array([float(p.net_pnl) for p in closed], dtype=np.float64)
    by_day = daily_pnl(fills)
    net = sum(by_day.values(), ZERO)
    if by_day:
        first, last = min(by_day), max(by_day)
        calendar = np.array(
            [float(by_day.get(d, ZERO)) for d in range(first, last + 1)], dtype=np.float64
        )
        returns = returns_from_pnl(calendar, float(deposit))
        ordered = sorted(fills, key=lambda f: (f.time_ms, f.id))
        equity = float(deposit) + np.cumsum([float(f.pnl - f.fee) for f in ordered])
        sharpe, sortino = sharpe_ratio(returns), sortino_ratio(returns)
        max_dd = max_drawdown(equity, float(deposit)) if deposit > 0 else float("nan")
    else:
        sharpe = sortino = max_dd = float("nan")
    days = len(by_day)
    return ModeStats(
        mode=mode,
        trades=len(closed),
        win_rate=win_rate(trade_pnl),
        profit_factor=profit_factor(trade_pnl),
        net_pnl=net,
        trading_days=days,
        avg_daily_pnl=net / days if days else ZERO,
        sharpe=sharpe,
        sortino=sortino,
        max_drawdown=max_dd,
    )
