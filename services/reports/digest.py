"""What a daily or weekly digest says, computed from one user's paper fills.

Pure: takes positions and fills, returns a `Digest` (or None when there is nothing
to report: no fill in the period and no open position).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from core.metrics.formulas import max_drawdown, profit_factor, win_rate
from services.paper.dto import FillDTO, PositionDTO

ZERO = Decimal(0)
CHART_DAYS = 30
DAY_MS = 86_400_000
TP_KINDS = frozenset({"tp1", "tp2", "tp3"})


@dataclass(frozen=True, slots=True)
class Digest:
    kind: str  # daily | weekly
    start_ms: int
    end_ms: int
    trades: int
    win_rate: float
    profit_factor: float
    pnl: Decimal
    pnl_pct: Decimal | None
    drawdown: float  # largest fall inside the period, fraction
    winners: list[tuple[str, Decimal]]
    losers: list[tuple[str, Decimal]]
    sl_count: int
    tp_count: int
    open_positions: int
    curve_ms: list[int] = field(default_factory=list)
    curve: list[float] = field(default_factory=list)


def build_digest(
    kind: str,
    start_ms: int,
    end_ms: int,
    *,
    deposit: Decimal,
    closed: Sequence[PositionDTO],
    fills: Sequence[FillDTO],
    open_positions: int,
) -> Digest | None:
    """`closed`: positions closed in [start, end); `fills`: every fill before `end`."""
    ordered = sorted((f for f in fills if f.time_ms < end_ms), key=lambda f: (f.time_ms, f.id))
    inside = [f for f in ordered if f.time_ms >= start_ms]
    if not inside and not open_positions:
        return None
    before = sum((f.pnl - f.fee for f in ordered if f.time_ms < start_ms), ZERO)
    start_equity = deposit + before
    pnl = sum((f.pnl - f.fee for f in inside), ZERO)
    equity_inside = float(start_equity) + np.cumsum([float(f.pnl - f.fee) for f in inside])
    dd = max_drawdown(equity_inside, float(start_equity)) if inside else 0.0
    by_symbol: dict[str, Decimal] = defaultdict(Decimal)
    for p in closed:
        by_symbol[p.symbol] += p.net_pnl
    ranked = sorted(by_symbol.items(), key=lambda kv: (kv[1], kv[0]))
    trade_pnl = np.array([float(p.net_pnl) for p in closed], dtype=np.float64)
    curve_ms, curve = equity_curve(ordered, deposit, end_ms)
    return Digest(
        kind=kind,
        start_ms=start_ms,
        end_ms=end_ms,
        trades=len(closed),
        win_rate=win_rate(trade_pnl),
        profit_factor=profit_factor(trade_pnl),
        pnl=pnl,
        pnl_pct=pnl / start_equity * 100 if start_equity > 0 else None,
        drawdown=float(dd),
        winners=[kv for kv in reversed(ranked) if kv[1] > 0][:3],
        losers=[kv for kv in ranked if kv[1] < 0][:3],
        sl_count=sum(1 for f in inside if f.kind == "stop"),
        tp_count=sum(1 for f in inside if f.kind in TP_KINDS),
        open_positions=open_positions,
        curve_ms=curve_ms,
        curve=curve,
    )


def equity_curve(
    ordered: Sequence[FillDTO], deposit: Decimal, end_ms: int, days: int = CHART_DAYS
) -> tuple[list[int], list[float]]:
    """Realized equity (deposit + net PnL) after each fill of the last `days` days up to
    `end_ms`, starting from its value at the window start and ending at `end_ms`."""
    window_start = end_ms - days * DAY_MS
    equity = deposit
    first_ms = None
    times: list[int] = []
    values: list[float] = []
    for f in ordered:
        equity += f.pnl - f.fee
        if f.time_ms < window_start:
            continue
        if first_ms is None:
            first_ms = f.time_ms
            times.append(max(window_start, f.time_ms - 1))
            values.append(float(equity - (f.pnl - f.fee)))
        times.append(f.time_ms)
        values.append(float(equity))
    if not times:
        times.append(window_start)
        values.append(float(equity))
    times.append(end_ms)
    values.append(float(equity))
    return times, values
