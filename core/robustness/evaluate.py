"""One trial: build the strategy with a parameter set, backtest a window, score it.

Runs inside optimizer worker processes. The candle frame reaches each worker ONCE,
through the pool initializer (`init_worker`), and stays in a module global; a trial
message carries only its parameters and window bounds, which keeps the per-trial
overhead to the backtest itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.backtest import BacktestConfig, run_backtest
from core.metrics import compute_metrics
from core.strategies.pathsim import PathStrategy
from core.strategies.registry import get_strategy

Objective = Literal["sharpe", "calmar", "profit_factor", "return"]
OBJECTIVES: tuple[str, ...] = ("sharpe", "calmar", "profit_factor", "return")
# metric columns of a trial row (objective first)
SCORE_FIELDS = (
    "sharpe",
    "calmar",
    "profit_factor",
    "total_return",
    "max_drawdown",
    "trades",
    "win_rate",
    "final_equity",
)


@dataclass(frozen=True, slots=True)
class RunSpec:
    """What every trial of a run shares: the strategy, the simulation settings, the score."""

    strategy: str
    config: BacktestConfig = field(default_factory=BacktestConfig)
    objective: Objective = "sharpe"
    fixed: Mapping[str, Any] = field(default_factory=dict)  # params not being searched
    risk_free: float = 0.0
    min_trades: int = 0  # a trial with fewer closed trades scores NaN (ranked last)

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")


@dataclass(frozen=True, slots=True)
class Window:
    """Bars ``[start, end)`` are scored; bars from ``warmup`` on feed the indicators."""

    start: int
    end: int
    warmup: int = 0


def objective_value(metrics: Mapping[str, float], objective: str) -> float:
    key = "total_return" if objective == "return" else objective
    value = metrics.get(key, math.nan)
    return float(value) if value is not None else math.nan


def run_window(
    frame: pd.DataFrame,
    spec: RunSpec,
    params: Mapping[str, Any],
    window: Window | None = None,
    *,
    initial_cash: float | None = None,
) -> Any:
    """Backtest one parameter set on one window; returns the BacktestResult/PathResult."""
    strategy = get_strategy(spec.strategy, **{**spec.fixed, **params})
    cash = spec.config.initial_cash if initial_cash is None else initial_cash
    if window is None:
        window = Window(0, len(frame))
    if isinstance(strategy, PathStrategy):
        part = frame.iloc[window.start : window.end].reset_index(drop=True)
        return strategy.simulate(part, initial_cash=cash, fee_rate=spec.config.fee_rate)
    part = frame.iloc[window.warmup : window.end].reset_index(drop=True)
    start_ts = int(frame["timestamp"].iat[window.start])
    config = replace(spec.config, initial_cash=cash, start=start_ts, end=None)
    return run_backtest(part, strategy, config)


def score(result: Any, spec: RunSpec) -> dict[str, float]:
    """The trial's row: the metrics the tables show."""
    m = compute_metrics(result, risk_free=spec.risk_free, benchmark_close=np.empty(0))
    return {k: getattr(m, k) for k in SCORE_FIELDS}


def evaluate(
    frame: pd.DataFrame, spec: RunSpec, params: Mapping[str, Any], window: Window | None = None
) -> dict[str, Any]:
    """Score one trial; a parameter set the strategy refuses scores NaN with the reason."""
    try:
        result = run_window(frame, spec, params, window)
    except (ValueError, TypeError) as exc:
        return {"error": str(exc), "objective": math.nan}
    row = score(result, spec)
    row["objective"] = objective_value(row, spec.objective)
    if row["trades"] < spec.min_trades:
        row["objective"] = math.nan
        row["error"] = f"fewer than {spec.min_trades} trades"
    return row


_FRAME: pd.DataFrame | None = None
_SPEC: RunSpec | None = None


def init_worker(frame: pd.DataFrame, spec: RunSpec) -> None:
    """Pool initializer: keep the frame and the run settings for every later trial."""
    global _FRAME, _SPEC
    _FRAME, _SPEC = frame, spec


def run_trial(task: tuple[int, dict[str, Any], Window | None]) -> tuple[int, dict[str, Any]]:
    """Worker entry point: ``(trial id, params, window) -> (trial id, scores)``."""
    trial_id, params, window = task
    assert _FRAME is not None and _SPEC is not None, "init_worker was not run"
    return trial_id, evaluate(_FRAME, _SPEC, params, window)
