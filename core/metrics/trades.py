"""Statistics over a trades table (contracts section 10 columns).

Only closed trades (with an exit time) count towards win rate, profit factor, expectancy
and the tables; a position still open at the end is reported in ``open_trades`` and its
mark-to-market value is already in the equity curve.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.formulas import expectancy, profit_factor, win_rate

HOUR_MS = 3_600_000


def f64(values: pd.Series) -> np.ndarray:
    """A column as float64 with missing values (None, NaN, pd.NA) as NaN."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def positions(trades: pd.DataFrame) -> pd.DataFrame:
    """One row per position.

    The backtest writes one row per exit fill (TP1, TP2 and a stop of one position are
    three rows sharing ``position_id``). A position's pnl and fees are the sums, its
    quantity the total, its exit price and R multiple the quantity-weighted means, its
    exit the last fill; it is open while any of its rows is.
    """
    if trades is None or len(trades) == 0 or "position_id" not in trades:
        return trades
    if not trades["position_id"].duplicated().any():
        return trades
    df = trades.assign(
        _open=trades["exit_time"].isna(),
        _qexit=f64(trades["exit_price"]) * f64(trades["qty"]),
        _qr=f64(trades["r_multiple"]) * f64(trades["qty"]),
        _exit_time=f64(trades["exit_time"]),
        _exit_bar=f64(trades["exit_bar"]),
    )
    g = df.groupby("position_id", sort=False)
    qty = g["qty"].sum()
    out = pd.DataFrame(
        {
            "position_id": qty.index,
            "entry_time": g["entry_time"].first().to_numpy(),
            "exit_time": g["_exit_time"].max().to_numpy(),
            "side": g["side"].first().to_numpy(),
            "entry_price": g["entry_price"].first().to_numpy(),
            "exit_price": (g["_qexit"].sum(min_count=1) / qty).to_numpy(),
            "qty": qty.to_numpy(),
            "fees": g["fees"].sum().to_numpy(),
            "pnl": g["pnl"].sum().to_numpy(),
            "exit_reason": g["exit_reason"].last().to_numpy(),
            "r_multiple": (g["_qr"].sum(min_count=1) / qty).to_numpy(),
            "entry_bar": g["entry_bar"].first().to_numpy(),
            "exit_bar": g["_exit_bar"].max().to_numpy(),
        }
    )
    still_open = g["_open"].any().to_numpy()
    out.loc[still_open, ["exit_time", "exit_bar", "exit_price"]] = np.nan
    return out


def closed_trades(trades: pd.DataFrame) -> pd.DataFrame:
    """Rows with an exit (``exit_time`` not null)."""
    if trades is None or len(trades) == 0:
        return pd.DataFrame(columns=["pnl"])
    return trades[trades["exit_time"].notna()]


def group_stats(pnl: np.ndarray) -> dict[str, float | int]:
    """Count, win rate, net PnL and profit factor of one group of trades."""
    return {
        "trades": int(pnl.size),
        "win_rate": win_rate(pnl),
        "pnl": float(pnl.sum()) if pnl.size else 0.0,
        "profit_factor": profit_factor(pnl),
    }


def side_split(closed: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    """Stats for longs and shorts separately."""
    out: dict[str, dict[str, float | int]] = {}
    for side in ("long", "short"):
        part = closed[closed["side"] == side] if len(closed) else closed
        out[side] = group_stats(f64(part["pnl"]))
    return out


def exit_reason_table(closed: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    """Stats per exit reason, in order of frequency."""
    if len(closed) == 0:
        return {}
    counts = closed["exit_reason"].astype(str).value_counts(sort=True)
    return {
        str(reason): group_stats(
            f64(closed.loc[closed["exit_reason"].astype(str) == reason, "pnl"])
        )
        for reason in counts.index
    }


def average_r(closed: pd.DataFrame) -> float:
    """Mean R multiple over closed trades with a defined R (a stop was set)."""
    if len(closed) == 0 or "r_multiple" not in closed:
        return math.nan
    r = f64(closed["r_multiple"])
    r = r[np.isfinite(r)]
    return float(r.mean()) if r.size else math.nan


def average_duration_hours(closed: pd.DataFrame) -> float:
    """Mean ``exit_time - entry_time`` of closed trades, in hours."""
    if len(closed) == 0:
        return math.nan
    d = f64(closed["exit_time"]) - f64(closed["entry_time"])
    return float(d.mean()) / HOUR_MS


def trade_return(row: Any) -> float:
    """Net PnL as a fraction of the entry notional."""
    notional = float(row["entry_price"]) * float(row["qty"])
    return float(row["pnl"]) / notional if notional else math.nan


def extreme_trades(closed: pd.DataFrame) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The best and the worst closed trade by net PnL."""
    if len(closed) == 0:
        return None, None
    pnl = f64(closed["pnl"])

    def describe(i: int) -> dict[str, Any]:
        row = closed.iloc[i]
        return {
            "pnl": float(row["pnl"]),
            "return": trade_return(row),
            "side": str(row["side"]),
            "entry_time": int(row["entry_time"]),
            "exit_time": int(row["exit_time"]),
            "exit_reason": str(row["exit_reason"]),
        }

    return describe(int(np.argmax(pnl))), describe(int(np.argmin(pnl)))


def exposure(trades: pd.DataFrame, n_bars: int) -> float:
    """Share of bars with a position: the union of ``[entry_bar, exit_bar)`` over trades.

    A trade opened and closed on the same bar counts that bar; a position still open at
    the end is held to the last bar.
    """
    if n_bars <= 0 or trades is None or len(trades) == 0:
        return 0.0
    held = np.zeros(n_bars + 1, dtype=np.int64)
    entry = f64(trades["entry_bar"])
    exit_ = f64(trades["exit_bar"])
    exit_ = np.where(np.isnan(exit_), n_bars, exit_)
    start = np.clip(entry.astype(np.int64), 0, n_bars)
    stop = np.clip(np.maximum(exit_.astype(np.int64), start + 1), 0, n_bars)
    np.add.at(held, start, 1)
    np.add.at(held, stop, -1)
    return float((np.cumsum(held[:n_bars]) > 0).mean())


def trade_summary(trades: pd.DataFrame) -> dict[str, float | int]:
    """Counts and the per-trade formulas over closed trades (one row per position)."""
    closed = closed_trades(trades)
    pnl = f64(closed["pnl"])
    total = 0 if trades is None else len(trades)
    fees = float(trades["fees"].sum()) if total and "fees" in trades else 0.0
    return {
        "trades": len(closed),
        "open_trades": int(total - len(closed)),
        "win_rate": win_rate(pnl),
        "profit_factor": profit_factor(pnl),
        "expectancy": expectancy(pnl),
        "gross_profit": float(pnl[pnl > 0].sum()),
        "gross_loss": float(pnl[pnl < 0].sum()),
        "fees": fees,
    }
