"""Candle-by-candle fill scenarios shared by the backtest engine and paper trading.

Import with ``from tests.unit.backtest.fill_scenarios import SCENARIOS, run_scenario``.
Numbers are written as short decimals so ``Decimal(str(x))`` is exact; expected prices
that are not finite decimals (liquidation) are compared with a relative tolerance.

Bar 0 of every scenario is the signal bar: the position enters at bar 1's open (next
open) and bar 1 is already checked for stop/TP after the entry. Levels are absolute
prices (0 = not set) as a strategy computes them on the signal bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.fills import Fill, open_position, step_position

Bar = tuple[float, float, float, float]  # open, high, low, close


@dataclass(frozen=True)
class ExpectedFill:
    bar: int  # index into FillScenario.bars
    kind: str  # "entry" | "exit"
    reason: str  # "" for entries; "stop", "tp1", "tp2", "tp3", "liquidation"
    qty_fraction: float  # of the initial quantity
    price: float


@dataclass(frozen=True)
class FillScenario:
    name: str
    side: int  # 1 long, -1 short
    bars: tuple[Bar, ...]
    fills: tuple[ExpectedFill, ...]
    stop: float = 0
    tp1: float = 0
    tp2: float = 0
    tp3: float = 0
    qty: float = 1
    leverage: float = 1
    fee_rate: float = 0
    slippage_bps: float = 0
    atr: float = 0  # ATR known before each bar, for ATR-fraction slippage
    atr_fraction: float = 0
    mmr: float = 0.005
    trail: float = 0
    net_pnl: float | None = None  # sum of gross PnL minus every fee, when checked
    note: str = field(default="", compare=False)


def _e(bar: int, price: float, frac: float = 1) -> ExpectedFill:
    return ExpectedFill(bar, "entry", "", frac, price)


def _x(bar: int, reason: str, frac: float, price: float) -> ExpectedFill:
    return ExpectedFill(bar, "exit", reason, frac, price)


SIG: Bar = (99.0, 100.5, 98.5, 100.0)  # signal bar (close 100)

SCENARIOS: tuple[FillScenario, ...] = (
    FillScenario(
        "entry_at_next_open",
        1,
        (SIG, (101, 102, 100.5, 101.5), (101.5, 103, 101, 102)),
        (_e(1, 101),),
        stop=95,
        tp1=110,
        note="enters at bar 1's open (101), not the signal close (100)",
    ),
    FillScenario(
        "tp1_then_breakeven_stop",
        1,
        (SIG, (100, 105, 99, 104), (104, 106, 99.5, 100)),
        (_e(1, 100), _x(1, "tp1", 0.5, 104), _x(2, "stop", 0.5, 100)),
        stop=95,
        tp1=104,
        tp2=108,
        tp3=112,
        note="bar 1 dips to 99 after TP1 but breakeven applies only from bar 2",
    ),
    FillScenario(
        "tp1_tp2_tp3_one_bar",
        1,
        (SIG, (100, 113, 99.5, 112.5)),
        (_e(1, 100), _x(1, "tp1", 0.5, 104), _x(1, "tp2", 0.3, 108), _x(1, "tp3", 0.2, 112)),
        stop=95,
        tp1=104,
        tp2=108,
        tp3=112,
    ),
    FillScenario(
        "two_tps_last_takes_rest",
        1,
        (SIG, (100, 105, 99.5, 104.5), (104.5, 109, 104, 108.5)),
        (_e(1, 100), _x(1, "tp1", 0.5, 104), _x(2, "tp2", 0.5, 108)),
        stop=95,
        tp1=104,
        tp2=108,
        note="without TP3 the last set level closes the remainder",
    ),
    FillScenario(
        "gap_through_stop_fills_at_open",
        1,
        (SIG, (100, 101, 99, 100), (93, 94, 92, 93.5)),
        (_e(1, 100), _x(2, "stop", 1, 93)),
        stop=95,
        tp1=110,
    ),
    FillScenario(
        "gap_through_tp_fills_at_open",
        1,
        (SIG, (100, 101, 99, 100), (106, 107, 105, 106.5)),
        (_e(1, 100), _x(2, "tp1", 1, 106)),
        stop=95,
        tp1=104,
        note="favourable gap: the resting limit order is matched at the open",
    ),
    FillScenario(
        "stop_wins_when_bar_touches_both",
        1,
        (SIG, (100, 106, 94, 100)),
        (_e(1, 100), _x(1, "stop", 1, 95)),
        stop=95,
        tp1=105,
    ),
    FillScenario(
        "stop_beyond_open_at_entry",
        1,
        (SIG, (97, 98, 96, 97.5)),
        (_e(1, 97), _x(1, "stop", 1, 97)),
        stop=98,
        tp1=104,
        note="the next open is already below the stop set on the signal bar",
    ),
    FillScenario(
        "liquidation_before_stop",
        1,
        (SIG, (100, 101, 99, 100), (98, 99, 88, 89)),
        (_e(1, 100), _x(2, "liquidation", 1, 90.45226130653266)),
        stop=85,
        leverage=10,
        note="10x long: liquidation 100*0.9/0.995 lies above the stop at 85",
    ),
    FillScenario(
        "stop_before_liquidation",
        1,
        (SIG, (100, 101, 99, 100), (98, 99, 88, 89)),
        (_e(1, 100), _x(2, "stop", 1, 92)),
        stop=92,
        leverage=10,
    ),
    FillScenario(
        "gap_through_liquidation_fills_at_open",
        1,
        (SIG, (100, 101, 99, 100), (89, 90, 85, 86)),
        (_e(1, 100), _x(2, "liquidation", 1, 89)),
        stop=92,
        leverage=10,
        note="an open beyond the liquidation price liquidates at the open",
    ),
    FillScenario(
        "fees_on_both_sides",
        1,
        (SIG, (100, 101, 99, 100), (104, 111, 103, 110)),
        (_e(1, 100, 1), _x(2, "tp1", 1, 110)),
        stop=95,
        tp1=110,
        qty=2,
        fee_rate=0.001,
        net_pnl=19.58,
        note="gross 20, entry fee 0.2, exit fee 0.22",
    ),
    FillScenario(
        "short_tp1_then_breakeven_stop",
        -1,
        (SIG, (100, 101, 95, 96), (96, 100.5, 95, 100)),
        (_e(1, 100), _x(1, "tp1", 0.5, 96), _x(2, "stop", 0.5, 100)),
        stop=105,
        tp1=96,
        tp2=92,
        tp3=88,
    ),
    FillScenario(
        "short_tp1_tp2_tp3_one_bar",
        -1,
        (SIG, (100, 100.5, 87, 87.5)),
        (_e(1, 100), _x(1, "tp1", 0.5, 96), _x(1, "tp2", 0.3, 92), _x(1, "tp3", 0.2, 88)),
        stop=105,
        tp1=96,
        tp2=92,
        tp3=88,
    ),
    FillScenario(
        "short_gap_through_stop",
        -1,
        (SIG, (100, 101, 99, 100), (107, 108, 106, 107.5)),
        (_e(1, 100), _x(2, "stop", 1, 107)),
        stop=105,
        tp1=90,
    ),
    FillScenario(
        "short_gap_through_tp",
        -1,
        (SIG, (100, 101, 99, 100), (93, 94, 92, 93)),
        (_e(1, 100), _x(2, "tp1", 1, 93)),
        stop=105,
        tp1=95,
    ),
    FillScenario(
        "short_stop_wins",
        -1,
        (SIG, (100, 106, 94, 100)),
        (_e(1, 100), _x(1, "stop", 1, 105)),
        stop=105,
        tp1=95,
    ),
    FillScenario(
        "short_liquidation",
        -1,
        (
            SIG,
            (101, 121, 100, 120),
        ),
        (_e(1, 101), _x(1, "liquidation", 1, 120.5970149253731)),
        leverage=5,
        note="5x short at 101: liquidation 101*1.2/1.005",
    ),
    FillScenario(
        "short_fees_on_both_sides",
        -1,
        (SIG, (100, 101, 99, 100), (96, 97, 89, 90)),
        (_e(1, 100), _x(2, "tp1", 1, 90)),
        stop=105,
        tp1=90,
        qty=2,
        fee_rate=0.001,
        net_pnl=19.62,
        note="gross 20, entry fee 0.2, exit fee 0.18",
    ),
    FillScenario(
        "slippage_bps_on_market_fills_not_on_tp",
        1,
        (SIG, (100, 101, 99, 100), (100, 111, 99, 110)),
        (_e(1, 100.1), _x(2, "tp1", 1, 110)),
        stop=95,
        tp1=110,
        slippage_bps=10,
    ),
    FillScenario(
        "slippage_bps_on_stop",
        1,
        (SIG, (100, 101, 99, 100), (99, 99.5, 94, 94.5)),
        (_e(1, 100.1), _x(2, "stop", 1, 94.905)),
        stop=95,
        tp1=110,
        slippage_bps=10,
    ),
    FillScenario(
        "slippage_atr_fraction_short",
        -1,
        (SIG, (100, 101, 99, 100), (101, 106, 100, 105)),
        (_e(1, 99.8), _x(2, "stop", 1, 105.2)),
        stop=105,
        tp1=90,
        atr=2,
        atr_fraction=0.1,
        note="0.1 ATR (0.2) against the trader on entry (sell) and stop (buy)",
    ),
    FillScenario(
        "trailing_stop",
        1,
        (SIG, (100, 110, 99, 108), (108, 109, 104, 105)),
        (_e(1, 100), _x(2, "stop", 1, 104.5)),
        stop=90,
        trail=0.05,
        note="bar 1's high 110 trails the stop to 104.5 from bar 2",
    ),
)


def _num(x: Any, num: type) -> Any:
    return Decimal(str(x)) if num is Decimal else float(x)


def run_scenario(sc: FillScenario, num: type = float) -> list[tuple[int, Fill]]:
    """Drive ``core.fills`` through a scenario in ``float`` or ``Decimal``."""
    bars = [tuple(_num(v, num) for v in bar) for bar in sc.bars]
    atr = _num(sc.atr, num)
    state, entry = open_position(
        sc.side,
        bars[1][0],
        _num(sc.qty, num),
        stop=_num(sc.stop, num),
        tp1=_num(sc.tp1, num),
        tp2=_num(sc.tp2, num),
        tp3=_num(sc.tp3, num),
        leverage=_num(sc.leverage, num),
        fee_rate=_num(sc.fee_rate, num),
        slippage_bps=_num(sc.slippage_bps, num),
        atr=atr,
        atr_fraction=_num(sc.atr_fraction, num),
        mmr=_num(sc.mmr, num),
        trail=_num(sc.trail, num),
    )
    out = [(1, entry)]
    for i in range(1, len(bars)):
        o, h, low, c = bars[i]
        out.extend((i, f) for f in step_position(state, o, h, low, c, atr=atr))
    return out
