"""Monte Carlo on a backtest's closed trades: how much of the result was the order of luck.

Two resamplings of the net PnL of closed trades (in exit order):

* ``shuffle``: the same trades in random order. The final equity is unchanged (sums do
  not depend on order) — what moves is the path, so the drawdown bands show how deep
  the same trades could have dug.
* ``bootstrap``: as many trades drawn with replacement. Both the final equity and the
  drawdown move.

With ``compounding=True`` each trade is replayed as its return on the equity it was
taken with (``pnl_i / equity_before_i``) and paths multiply, which suits %-of-equity
sizing; otherwise PnL adds up, which suits fixed size. Seeded: same seed, same bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.metrics.trades import closed_trades, f64, positions

Method = Literal["shuffle", "bootstrap"]
PERCENTILES = (5, 50, 95)


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    """Percentile bands over simulated paths (keys 5, 50, 95)."""

    method: Method
    n_sims: int
    n_trades: int
    seed: int
    initial_cash: float
    final_equity: dict[int, float]
    max_drawdown: dict[int, float]
    p_loss: float  # share of paths ending below the initial cash
    original_final_equity: float
    original_max_drawdown: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "n_sims": self.n_sims,
            "n_trades": self.n_trades,
            "seed": self.seed,
            "initial_cash": self.initial_cash,
            "final_equity": {str(k): v for k, v in self.final_equity.items()},
            "max_drawdown": {str(k): v for k, v in self.max_drawdown.items()},
            "p_loss": self.p_loss,
            "original_final_equity": self.original_final_equity,
            "original_max_drawdown": self.original_max_drawdown,
        }


def closed_pnl(trades: pd.DataFrame) -> np.ndarray:
    """Net PnL of closed positions (exit fills merged) in the order they were closed."""
    if trades is None or len(trades) == 0:
        return np.empty(0, dtype=np.float64)
    closed = closed_trades(positions(trades))
    order = np.argsort(f64(closed["exit_time"]), kind="stable")
    return f64(closed["pnl"])[order]


def path_equity(steps: np.ndarray, initial: float, compounding: bool) -> np.ndarray:
    """Equity after each trade, rows = paths; column 0 is the initial cash."""
    steps = np.atleast_2d(steps)
    start = np.full((steps.shape[0], 1), initial, dtype=np.float64)
    if compounding:
        body = initial * np.cumprod(1.0 + steps, axis=1)
    else:
        body = initial + np.cumsum(steps, axis=1)
    return np.hstack([start, body])


def path_max_drawdown(paths: np.ndarray) -> np.ndarray:
    """Max drawdown (fraction of the running peak) of each row."""
    peak = np.maximum.accumulate(paths, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(peak > 0.0, 1.0 - paths / peak, 0.0)
    return dd.max(axis=1)


def trade_steps(pnl: np.ndarray, initial: float, compounding: bool) -> np.ndarray:
    """What one trade contributes: its PnL, or its return on the equity before it."""
    if not compounding:
        return pnl
    before = initial + np.concatenate(([0.0], np.cumsum(pnl)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before > 0.0, pnl / before, -1.0)


def run_monte_carlo(
    pnl: np.ndarray | pd.DataFrame,
    initial_cash: float,
    *,
    method: Method = "shuffle",
    n_sims: int = 1000,
    seed: int = 0,
    compounding: bool = False,
) -> MonteCarloResult:
    """Resample the trades ``n_sims`` times; ``pnl`` is an array or a trades table."""
    if isinstance(pnl, pd.DataFrame):
        pnl = closed_pnl(pnl)
    pnl = np.asarray(pnl, dtype=np.float64)
    if method not in ("shuffle", "bootstrap"):
        raise ValueError(f"unknown Monte Carlo method: {method!r}")
    if n_sims < 1:
        raise ValueError("n_sims must be at least 1")
    steps = trade_steps(pnl, initial_cash, compounding)
    original = path_equity(steps, initial_cash, compounding)
    rng = np.random.default_rng(seed)
    n = steps.size
    if n == 0:
        sims = np.full((n_sims, 1), initial_cash)
    elif method == "shuffle":
        sims = path_equity(
            rng.permuted(np.tile(steps, (n_sims, 1)), axis=1), initial_cash, compounding
        )
    else:
        sims = path_equity(steps[rng.integers(0, n, size=(n_sims, n))], initial_cash, compounding)
    finals = sims[:, -1]
    mdd = path_max_drawdown(sims)
    return MonteCarloResult(
        method=method,
        n_sims=n_sims,
        n_trades=n,
        seed=seed,
        initial_cash=float(initial_cash),
        final_equity={p: float(np.percentile(finals, p)) for p in PERCENTILES},
        max_drawdown={p: float(np.percentile(mdd, p)) for p in PERCENTILES},
        p_loss=float((finals < initial_cash).mean()),
        original_final_equity=float(original[0, -1]),
        original_max_drawdown=float(path_max_drawdown(original)[0]),
    )
