"""`BacktestResult` (contracts section 10) and its construction from kernel buffers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.backtest import kernel as k
from core.fills import R_END, REASONS
from core.trade_columns import TRADE_COLUMNS

BLOCKED_COLUMNS: tuple[str, ...] = ("time", "bar", "side", "reason")


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """One simulated run.

    ``trades`` has one row per exit fill (a position closed at TP1, TP2 and a stop is
    three rows sharing ``position_id``; entry fees are split pro rata). ``pnl`` is net of
    both fees, so ``initial_cash + trades.pnl.sum() == equity[-1]``. A position still
    open at the end is one row with ``exit_time``/``exit_bar`` missing (nullable Int64),
    ``exit_price`` NaN, ``exit_reason`` "end" and its mark-to-market ``pnl``. Bars are
    indices into ``equity``/``timestamps`` (the simulated window).
    """

    trades: pd.DataFrame
    equity: np.ndarray
    timestamps: np.ndarray
    params: dict[str, Any]
    initial_cash: float
    close: np.ndarray  # close prices of the window (buy-and-hold benchmark)
    blocked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BLOCKED_COLUMNS))
    strategy: str = ""
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def final_equity(self) -> float:
        return float(self.equity[-1]) if len(self.equity) else self.initial_cash


def _side_names(sides: np.ndarray) -> np.ndarray:
    return np.where(sides > 0, "long", "short").astype(object)


def trades_frame(
    rows: np.ndarray, open_rows: np.ndarray, timestamps: np.ndarray, offset: int
) -> pd.DataFrame:
    """Contract-shaped trades from closed kernel rows plus still-open positions.

    ``offset`` is the first simulated bar: bars are re-based to the window.
    """
    allrows = np.vstack([rows, open_rows]) if len(open_rows) else rows
    n_closed = len(rows)
    entry_bar = allrows[:, k.T_ENTRY_BAR].astype(np.int64)
    exit_bar = allrows[:, k.T_EXIT_BAR].astype(np.int64)
    is_open = np.arange(len(allrows)) >= n_closed
    entry = allrows[:, k.T_ENTRY]
    qty = allrows[:, k.T_QTY]
    init_stop = allrows[:, k.T_INIT_STOP]
    risk = np.abs(entry - init_stop) * qty
    with np.errstate(divide="ignore", invalid="ignore"):
        r_mult = np.where((init_stop > 0) & (risk > 0), allrows[:, k.T_PNL] / risk, np.nan)
    exit_time = pd.array(
        np.where(is_open, 0, timestamps[np.where(is_open, 0, exit_bar)]), dtype="Int64"
    )
    exit_time[is_open] = pd.NA
    exit_bar_col = pd.array(exit_bar - offset, dtype="Int64")
    exit_bar_col[is_open] = pd.NA
    frame = pd.DataFrame(
        {
            "position_id": allrows[:, k.T_ID].astype(np.int64),
            "entry_time": timestamps[entry_bar].astype(np.int64),
            "exit_time": exit_time,
            "side": _side_names(allrows[:, k.T_SIDE]),
            "entry_price": entry,
            "exit_price": np.where(is_open, np.nan, allrows[:, k.T_EXIT]),
            "qty": qty,
            "fees": allrows[:, k.T_FEES],
            "pnl": allrows[:, k.T_PNL],
            "exit_reason": np.asarray(
                [REASONS[int(r)] for r in allrows[:, k.T_REASON]], dtype=object
            ),
            "r_multiple": r_mult,
            "entry_bar": entry_bar - offset,
            "exit_bar": exit_bar_col,
        },
        columns=list(TRADE_COLUMNS),
    )
    return frame


def open_position_rows(pos: np.ndarray, last_bar: int, last_close: float) -> np.ndarray:
    """Rows for positions still open after the last bar, marked to ``last_close``."""
    rows = []
    for p in np.flatnonzero(pos[:, k.P_ACTIVE] > 0):
        side, entry, rem = pos[p, k.P_SIDE], pos[p, k.P_ENTRY], pos[p, k.P_REM]
        entry_fee = pos[p, k.P_ENTRY_FEE] * rem / pos[p, k.P_QTY]
        row = np.zeros(k.N_TRADE_FIELDS)
        row[k.T_ID] = pos[p, k.P_ID]
        row[k.T_SIDE] = side
        row[k.T_ENTRY_BAR] = pos[p, k.P_ENTRY_BAR]
        row[k.T_EXIT_BAR] = last_bar
        row[k.T_ENTRY] = entry
        row[k.T_EXIT] = last_close
        row[k.T_QTY] = rem
        row[k.T_FEES] = entry_fee
        row[k.T_PNL] = side * (last_close - entry) * rem - entry_fee
        row[k.T_REASON] = R_END
        row[k.T_INIT_STOP] = pos[p, k.P_INIT_STOP]
        rows.append(row)
    return np.asarray(rows).reshape(-1, k.N_TRADE_FIELDS)


def blocked_frame(rows: np.ndarray, timestamps: np.ndarray, offset: int) -> pd.DataFrame:
    bars = rows[:, k.B_BAR].astype(np.int64)
    return pd.DataFrame(
        {
            "time": timestamps[bars].astype(np.int64) if len(rows) else np.zeros(0, np.int64),
            "bar": bars - offset,
            "side": _side_names(rows[:, k.B_SIDE]),
            "reason": np.asarray(
                [k.BLOCK_REASONS[int(r)] for r in rows[:, k.B_REASON]], dtype=object
            ),
        },
        columns=list(BLOCKED_COLUMNS),
    )
