"""The shared fill scenario tables through the numba backtest kernel.

tests/unit/test_fills_scenarios.py runs the same tables through the plain-Python
``core.fills.step_position``; both must produce the same fills.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig, simulate_signals
from core.strategies.base import SignalFrame
from tests.unit.backtest.fill_scenarios import SCENARIOS, FillScenario, run_scenario


def scenario_frame(sc: FillScenario) -> pd.DataFrame:
    bars = np.asarray(sc.bars, dtype=np.float64)
    return pd.DataFrame(
        {
            "timestamp": np.arange(len(bars), dtype=np.int64) * 60_000,
            "open": bars[:, 0],
            "high": bars[:, 1],
            "low": bars[:, 2],
            "close": bars[:, 3],
            "volume": np.ones(len(bars)),
        }
    )


def scenario_signals(sc: FillScenario, n: int) -> SignalFrame:
    sig = SignalFrame.empty(n)
    sig.direction[0] = sc.side
    for name in ("stop", "tp1", "tp2", "tp3"):
        value = getattr(sc, name)
        getattr(sig, name)[0] = value if value else np.nan
    return sig


def run_kernel(sc: FillScenario):
    frame = scenario_frame(sc)
    config = BacktestConfig(
        initial_cash=1e9,
        fee_rate=sc.fee_rate,
        slippage_bps=sc.slippage_bps,
        slippage_atr=sc.atr_fraction,
        size_mode="fixed_qty",
        size=sc.qty,
        leverage=max(1.0, sc.leverage),
        maintenance_margin=sc.mmr,
        trailing_stop=sc.trail,
    )
    atr = np.full(len(frame), float(sc.atr))
    return simulate_signals(frame, scenario_signals(sc, len(frame)), config, atr=atr)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_through_kernel(sc: FillScenario) -> None:
    result = run_kernel(sc)
    trades = result.trades
    entries = [e for e in sc.fills if e.kind == "entry"]
    exits = [e for e in sc.fills if e.kind == "exit"]
    assert len(entries) == 1
    assert (trades["entry_bar"] == entries[0].bar).all()
    assert all(_close(p, entries[0].price) for p in trades["entry_price"])
    closed = trades[trades["exit_time"].notna()]
    assert len(closed) == len(exits), trades
    for (_, row), exp in zip(closed.iterrows(), exits, strict=True):
        assert int(row["exit_bar"]) == exp.bar
        assert row["exit_reason"] == exp.reason
        assert _close(row["qty"], exp.qty_fraction * sc.qty)
        assert _close(row["exit_price"], exp.price)
    if sc.net_pnl is not None:
        assert _close(float(closed["pnl"].sum()), sc.net_pnl)
    # Cash bookkeeping: final equity is the initial cash plus every trade's net PnL.
    assert _close(result.equity[-1], 1e9 + float(trades["pnl"].sum()))


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_kernel_matches_python_step(sc: FillScenario) -> None:
    """Fees and net PnL per exit agree between the kernel and ``step_position``."""
    py = [f for _, f in run_scenario(sc) if f.kind == "exit"]
    entry_fee = run_scenario(sc)[0][1].fee
    closed = run_kernel(sc).trades
    closed = closed[closed["exit_time"].notna()]
    for (_, row), f in zip(closed.iterrows(), py, strict=True):
        share = entry_fee * f.qty / sc.qty
        assert _close(row["fees"], f.fee + share)
        assert _close(row["pnl"], f.pnl - f.fee - share)
