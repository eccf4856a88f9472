"""`run_backtest`: the strategy's signal columns over the whole frame, then the kernel.

The strategy is the same object live signals use (design principle 1): its
``generate(frame)`` yields per-bar columns whose value at bar t depends only on bars
<= t, and the kernel acts on bar t's signal at bar t+1's open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.backtest import kernel as k
from core.backtest.config import BacktestConfig
from core.backtest.result import (
    BacktestResult,
    blocked_frame,
    open_position_rows,
    trades_frame,
)
from core.strategies.base import SignalFrame, Strategy

Progress = Callable[[int, int], None]  # (bars done, bars total)

CHUNK_BARS = 250_000
REQUIRED_COLUMNS = ("timestamp", "open", "high", "low", "close")


class BacktestInputError(ValueError):
    """The data or the period cannot be backtested; the message says why."""


def select_window(frame: pd.DataFrame, config: BacktestConfig) -> tuple[pd.DataFrame, int]:
    """Cut the frame at ``config.end``; return it and the first bar at/after ``start``.

    Bars before ``start`` stay in the frame so indicators are warm when the window opens.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise BacktestInputError(f"candle frame lacks columns: {', '.join(missing)}")
    ts = frame["timestamp"].to_numpy(dtype=np.int64)
    if len(ts) and np.any(np.diff(ts) <= 0):
        raise BacktestInputError("candle timestamps must be sorted and unique")
    stop = len(ts) if config.end is None else int(np.searchsorted(ts, config.end, side="right"))
    first = 0 if config.start is None else int(np.searchsorted(ts, config.start, side="left"))
    if first >= stop:
        raise BacktestInputError("no candles in the selected period")
    if stop < len(ts):
        frame = frame.iloc[:stop].reset_index(drop=True)
    return frame, first


def _signal_arrays(signals: SignalFrame, n: int) -> tuple[np.ndarray, ...]:
    if len(signals) != n:
        raise BacktestInputError(f"strategy returned {len(signals)} signal rows for {n} bars")
    direction = np.ascontiguousarray(signals.direction, dtype=np.int8)
    exit_ = np.ascontiguousarray(signals.exit, dtype=np.int8)
    levels = tuple(
        np.ascontiguousarray(getattr(signals, name), dtype=np.float64)
        for name in ("stop", "tp1", "tp2", "tp3")
    )
    return (direction, *levels, exit_)


def _atr_before_bar(
    frame: pd.DataFrame, config: BacktestConfig, atr: np.ndarray | None
) -> np.ndarray:
    """ATR of the previous (closed) bar at each bar, 0 where unknown: the slippage input."""
    n = len(frame)
    if atr is None:
        if config.slippage_atr <= 0:
            return np.zeros(n)
        from core.indicators import atr as atr_indicator

        atr = atr_indicator(
            frame["high"].to_numpy(np.float64),
            frame["low"].to_numpy(np.float64),
            frame["close"].to_numpy(np.float64),
            config.atr_period,
        )
    out = np.zeros(n)
    out[1:] = np.nan_to_num(np.asarray(atr, dtype=np.float64)[:-1], nan=0.0)
    return out


def _params(config: BacktestConfig, start: int) -> np.ndarray:
    p = np.zeros(k.N_PARAMS)
    p[k.K_FEE] = config.fee_rate
    p[k.K_SLIP_BPS] = config.slippage_bps
    p[k.K_SLIP_ATR] = config.slippage_atr
    p[k.K_LEVERAGE] = config.leverage
    p[k.K_MMR] = config.maintenance_margin
    p[k.K_SIZE_MODE] = k.SIZE_CODES[config.size_mode]
    p[k.K_SIZE] = config.size
    p[k.K_MAX_POS] = config.max_positions
    p[k.K_TRAIL] = config.trailing_stop
    p[k.K_ALLOW_LONG] = config.direction in ("long", "both")
    p[k.K_ALLOW_SHORT] = config.direction in ("short", "both")
    p[k.K_CLOSE_OPP] = config.close_on_opposite
    p[k.K_START] = start
    return p


def simulate_signals(
    frame: pd.DataFrame,
    signals: SignalFrame,
    config: BacktestConfig,
    *,
    start_bar: int = 0,
    atr: np.ndarray | None = None,
    progress: Progress | None = None,
    strategy_name: str = "",
    params: Mapping[str, Any] | None = None,
) -> BacktestResult:
    """Simulate precomputed signal columns over ``frame`` (bars before ``start_bar`` idle).

    ``atr`` overrides the ATR used for ATR-fraction slippage (value per bar; the kernel
    uses the previous bar's).
    """
    n = len(frame)
    direction, stop, tp1, tp2, tp3, exit_ = _signal_arrays(signals, n)
    col = {c: frame[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close")}
    timestamps = frame["timestamp"].to_numpy(dtype=np.int64)
    atr_prev = _atr_before_bar(frame, config, atr)
    n_signals = int(np.count_nonzero(direction[start_bar:]))
    pos, acct, trades, blocked, equity = k.new_state(
        config.max_positions, config.initial_cash, n_signals, n
    )
    p = _params(config, start_bar)
    for lo in range(0, n, CHUNK_BARS):
        hi = min(n, lo + CHUNK_BARS)
        k.simulate(
            lo,
            hi,
            col["open"],
            col["high"],
            col["low"],
            col["close"],
            atr_prev,
            direction,
            stop,
            tp1,
            tp2,
            tp3,
            exit_,
            p,
            pos,
            acct,
            trades,
            blocked,
            equity,
        )
        if progress is not None:
            progress(hi, n)
    closed = trades[: int(acct[k.A_TRADES])]
    still_open = open_position_rows(pos, n - 1, float(col["close"][-1]))
    window_ts = timestamps[start_bar:]
    return BacktestResult(
        trades=trades_frame(closed, still_open, timestamps, start_bar),
        equity=equity[start_bar:].copy(),
        timestamps=window_ts.copy(),
        params=dict(params or {}),
        initial_cash=float(config.initial_cash),
        close=col["close"][start_bar:].copy(),
        blocked=blocked_frame(blocked[: int(acct[k.A_BLOCKED])], timestamps, start_bar),
        strategy=strategy_name,
        config=config.to_dict(),
    )


def run_backtest(
    frame: pd.DataFrame,
    strategy: Strategy,
    config: BacktestConfig | None = None,
    *,
    progress: Progress | None = None,
) -> BacktestResult:
    """Backtest ``strategy`` on a candle frame (contracts section 6) under ``config``.

    Raises ``BacktestInputError`` for unusable data or an empty period.
    """
    config = config or BacktestConfig()
    frame, start_bar = select_window(frame, config)
    signals = strategy.generate(frame)
    params = getattr(strategy, "params", None)
    return simulate_signals(
        frame,
        signals,
        config,
        start_bar=start_bar,
        progress=progress,
        strategy_name=getattr(strategy, "name", type(strategy).__name__),
        params=params if isinstance(params, Mapping) else None,
    )
