"""`compute_metrics`: every reported number of one backtest, from its result.

Works on anything shaped like `core.backtest.result.BacktestResult` (contracts section
10): the signal backtest and the path simulators (grid, dca, rebalance) are measured by
the same code.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from core.metrics import formulas as f
from core.metrics import trades as t


class ResultLike(Protocol):
    """The parts of a backtest result the metrics read."""

    trades: pd.DataFrame
    equity: np.ndarray
    timestamps: np.ndarray
    initial_cash: float


@dataclass(frozen=True, slots=True)
class Metrics:
    """One backtest's report. Fractions are fractions (0.12 = 12 %); money in quote."""

    start: int | None
    end: int | None
    initial_cash: float
    final_equity: float
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    sortino: float
    calmar: float
    max_drawdown: float
    max_drawdown_bars: int
    max_drawdown_days: float
    trades: int
    open_trades: int
    win_rate: float
    profit_factor: float
    expectancy: float
    avg_r: float
    exposure: float
    avg_duration_hours: float
    gross_profit: float
    gross_loss: float
    fees: float
    best_trade: dict[str, Any] | None
    worst_trade: dict[str, Any] | None
    long: dict[str, Any]
    short: dict[str, Any]
    exit_reasons: dict[str, dict[str, Any]]
    monthly_returns: dict[str, float]
    benchmark: dict[str, float] | None
    risk_free: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON values: ``nan`` -> null, ``inf`` -> null with a ``<name>_infinite``
        flag (see `formulas.json_safe`)."""
        return f.json_safe(asdict(self))  # type: ignore[return-value]


def monthly_returns(
    timestamps_ms: np.ndarray, equity: np.ndarray, initial: float
) -> dict[str, float]:
    """Return of each UTC calendar month (``"YYYY-MM"``), month close over previous close.

    The first month is measured from ``initial``; a month without bars carries the
    previous close (0 %).
    """
    ts = np.asarray(timestamps_ms, dtype=np.int64)
    if ts.size == 0:
        return {}
    idx = pd.to_datetime(ts, unit="ms", utc=True)
    month = (idx.year * 12 + idx.month - 1).to_numpy(dtype=np.int64)
    last = np.flatnonzero(np.diff(month, append=month[-1] + 1))
    present = month[last]
    allm = np.arange(present[0], present[-1] + 1)
    pos = np.searchsorted(present, allm, side="right") - 1
    closes = np.asarray(equity, dtype=np.float64)[last][pos]
    rets = f.simple_returns(closes, start=initial)
    return {f"{m // 12:04d}-{m % 12 + 1:02d}": float(r) for m, r in zip(allm, rets, strict=True)}


def _curve_stats(
    ts: np.ndarray, equity: np.ndarray, initial: float, risk_free: float
) -> dict[str, Any]:
    daily = f.daily_returns(ts, equity, initial)
    final = float(equity[-1]) if equity.size else initial
    years = f.period_years(ts)
    cagr = f.cagr(initial, final, years)
    mdd = f.max_drawdown(equity, initial)
    vol = float(daily.std(ddof=1)) * math.sqrt(f.YEAR_DAYS) if daily.size > 1 else math.nan
    return {
        "final_equity": final,
        "total_return": f.total_return(initial, final),
        "cagr": cagr,
        "volatility": vol,
        "sharpe": f.sharpe_ratio(daily, risk_free),
        "sortino": f.sortino_ratio(daily, risk_free),
        "calmar": f.calmar_ratio(cagr, mdd),
        "max_drawdown": mdd,
    }


def benchmark_stats(
    ts: np.ndarray, close: np.ndarray, initial: float, risk_free: float = 0.0
) -> dict[str, float]:
    """Buy-and-hold over the same bars: all capital at the first close, marked at closes."""
    c = np.asarray(close, dtype=np.float64)
    if c.size == 0 or not c[0] > 0:
        return {}
    curve = initial * c / c[0]
    s = _curve_stats(ts, curve, initial, risk_free)
    return {k: s[k] for k in ("total_return", "cagr", "sharpe", "sortino", "max_drawdown")}


def compute_metrics(
    result: ResultLike,
    *,
    risk_free: float = 0.0,
    benchmark_close: np.ndarray | None = None,
) -> Metrics:
    """Every metric of `Metrics` for one result; ``risk_free`` is an annual rate.

    Trade statistics count positions (exit fills of one ``position_id`` merged, see
    `trades.positions`); the exit-reason table counts exit fills. Without
    ``benchmark_close`` the result's own ``close`` (if it has one) is the benchmark.
    """
    ts = np.asarray(result.timestamps, dtype=np.int64)
    equity = np.asarray(result.equity, dtype=np.float64)
    initial = float(result.initial_cash)
    fills = result.trades if result.trades is not None else pd.DataFrame()
    trades = t.positions(fills)
    curve = _curve_stats(ts, equity, initial, risk_free)
    dd_bars, dd_ms = f.max_drawdown_duration(ts, equity, initial)
    summary = t.trade_summary(trades)
    closed = t.closed_trades(trades)
    best, worst = t.extreme_trades(closed)
    split = t.side_split(closed)
    if benchmark_close is None:
        benchmark_close = getattr(result, "close", None)
    bench = None
    if benchmark_close is not None:
        bench = benchmark_stats(ts, benchmark_close, initial, risk_free)
        if bench:
            bench["excess_return"] = curve["total_return"] - bench["total_return"]
    return Metrics(
        start=int(ts[0]) if ts.size else None,
        end=int(ts[-1]) if ts.size else None,
        initial_cash=initial,
        **curve,
        max_drawdown_bars=dd_bars,
        max_drawdown_days=dd_ms / f.DAY_MS,
        trades=summary["trades"],
        open_trades=summary["open_trades"],
        win_rate=summary["win_rate"],
        profit_factor=summary["profit_factor"],
        expectancy=summary["expectancy"],
        avg_r=t.average_r(closed),
        exposure=t.exposure(fills, int(ts.size)),
        avg_duration_hours=t.average_duration_hours(closed),
        gross_profit=summary["gross_profit"],
        gross_loss=summary["gross_loss"],
        fees=summary["fees"],
        best_trade=best,
        worst_trade=worst,
        long=split["long"],
        short=split["short"],
        exit_reasons=t.exit_reason_table(t.closed_trades(fills)),
        monthly_returns=monthly_returns(ts, equity, initial),
        benchmark=bench,
        risk_free=risk_free,
        extra=dict(getattr(result, "extra", None) or {}),
    )
