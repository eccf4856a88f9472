"""Walk-forward analysis: optimise in-sample, trade the winner out-of-sample, roll on.

Windows of ``train_bars`` in-sample (IS) followed by ``test_bars`` out-of-sample (OOS),
moved forward by ``step_bars`` (default ``test_bars``, so OOS windows tile the data);
``anchored=True`` keeps every IS window starting at bar 0. Each IS window is searched
with the optimizer (one process pool serves every window; the frame is sent to the
workers once). The best IS parameters are then run on the OOS window, with the bars
before it (up to ``warmup_bars``, default ``train_bars``) only warming the indicators.

Stitching: each OOS window starts flat with the previous window's final equity (a
position open at a window's end is valued at that close), so the OOS equity curves join
into one curve whose metrics are the honest estimate; trades are concatenated with bars
re-based to the stitched curve. IS and OOS scores stand side by side per window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.metrics import Metrics, compute_metrics, json_safe
from core.robustness.evaluate import RunSpec, Window, objective_value, run_window, score
from core.robustness.optimizer import Method, Progress, TrialPool, optimize
from core.robustness.params import ParamSpace
from core.strategies.pathsim import PathResult


@dataclass(frozen=True, slots=True)
class WalkForwardResult:
    windows: pd.DataFrame  # one row per window: bounds, best params, IS vs OOS scores
    stitched: PathResult  # the OOS curves joined (BacktestResult-shaped)
    metrics: Metrics  # of the stitched OOS curve
    objective: str

    def summary(self) -> dict[str, Any]:
        is_mean = float(self.windows["is_objective"].mean())
        oos_mean = float(self.windows["oos_objective"].mean())
        return {
            "windows": len(self.windows),
            "objective": self.objective,
            "is_mean": is_mean,
            "oos_mean": oos_mean,
            "efficiency": walk_forward_efficiency(is_mean, oos_mean),
            "efficiency_note": efficiency_note(is_mean, oos_mean),
            "oos_total_return": self.metrics.total_return,
            "oos_sharpe": self.metrics.sharpe,
            "oos_max_drawdown": self.metrics.max_drawdown,
        }

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "summary": self.summary(),
                "windows": self.windows.to_dict(orient="records"),
                "metrics": self.metrics.to_dict(),
            }
        )  # type: ignore[return-value]


def walk_forward_efficiency(is_mean: float, oos_mean: float) -> float:
    """OOS mean / IS mean, defined only for a positive, finite in-sample mean.

    The ratio says how much of the in-sample edge survived out of sample; with no
    in-sample edge (mean <= 0) there is nothing to keep, and a ratio of two negatives
    (-3.2 / -0.35 = 9.1) would read as excellent. Undefined is ``nan``.
    """
    if not (math.isfinite(is_mean) and math.isfinite(oos_mean)) or is_mean <= 0:
        return math.nan
    return oos_mean / is_mean


def efficiency_note(is_mean: float, oos_mean: float) -> str | None:
    """Why the efficiency is undefined (None when it is defined)."""
    if not math.isfinite(is_mean) or not math.isfinite(oos_mean):
        return "no finite objective to compare"
    if is_mean <= 0:
        return "in-sample mean is not positive"
    return None


def window_bounds(
    n: int, train_bars: int, test_bars: int, step_bars: int | None = None, anchored: bool = False
) -> list[tuple[int, int, int, int]]:
    """``(is_start, is_end, oos_start, oos_end)`` of every full window that fits in n bars."""
    if train_bars < 1 or test_bars < 1:
        raise ValueError("train_bars and test_bars must be positive")
    step = step_bars or test_bars
    if step < 1:
        raise ValueError("step_bars must be positive")
    out = []
    start = 0
    while start + train_bars + test_bars <= n:
        is_start = 0 if anchored else start
        is_end = start + train_bars
        out.append((is_start, is_end, is_end, is_end + test_bars))
        start += step
    if not out:
        raise ValueError(f"{n} bars cannot hold one window of {train_bars} + {test_bars} bars")
    return out


def walk_forward(
    frame: pd.DataFrame,
    spec: RunSpec,
    space: ParamSpace,
    *,
    train_bars: int,
    test_bars: int,
    step_bars: int | None = None,
    anchored: bool = False,
    warmup_bars: int | None = None,
    method: Method = "random",
    n_trials: int | None = 50,
    seed: int = 0,
    workers: int = 2,
    progress: Progress | None = None,
    mp_context: str | None = None,
) -> WalkForwardResult:
    bounds = window_bounds(len(frame), train_bars, test_bars, step_bars, anchored)
    warm = train_bars if warmup_bars is None else warmup_bars
    rows: list[dict[str, Any]] = []
    parts: list[Any] = []
    cash = spec.config.initial_cash
    with TrialPool(frame, spec, workers, mp_context) as pool:
        for w, (is0, is1, oos0, oos1) in enumerate(bounds):
            opt = optimize(
                frame,
                spec,
                space,
                method=method,
                n_trials=n_trials,
                seed=seed + w,
                window=Window(is0, is1, max(0, is0 - warm)),
                pool=pool,
            )
            best = opt.best_params
            row: dict[str, Any] = {
                "window": w,
                "is_start": int(frame["timestamp"].iat[is0]),
                "is_end": int(frame["timestamp"].iat[is1 - 1]),
                "oos_start": int(frame["timestamp"].iat[oos0]),
                "oos_end": int(frame["timestamp"].iat[oos1 - 1]),
                "params": best,
                "is_objective": float(opt.table["objective"].iat[0]) if best else math.nan,
                "is_return": float(opt.table["total_return"].iat[0]) if best else math.nan,
            }
            if best:
                oos = run_window(
                    frame, spec, best, Window(oos0, oos1, max(0, oos0 - warm)), initial_cash=cash
                )
                scores = score(oos, spec)
            else:  # nothing valid in-sample: stay flat
                oos = _flat(frame, oos0, oos1, cash)
                scores = score(oos, spec)
            row.update(
                oos_objective=objective_value(scores, spec.objective),
                oos_return=scores["total_return"],
                oos_trades=scores["trades"],
                oos_max_drawdown=scores["max_drawdown"],
            )
            rows.append(row)
            parts.append(oos)
            cash = float(oos.equity[-1])
            if progress is not None:
                progress(w + 1, len(bounds))
    stitched = stitch(parts, spec.config.initial_cash, spec.strategy)
    return WalkForwardResult(
        windows=pd.DataFrame(rows),
        stitched=stitched,
        metrics=compute_metrics(stitched, risk_free=spec.risk_free),
        objective=spec.objective,
    )


def _flat(frame: pd.DataFrame, start: int, end: int, cash: float) -> PathResult:
    ts = frame["timestamp"].to_numpy(dtype=np.int64)[start:end]
    close = frame["close"].to_numpy(dtype=np.float64)[start:end]
    return PathResult(pd.DataFrame(), np.full(end - start, cash), ts, {}, cash, close=close)


def stitch(parts: list[Any], initial_cash: float, strategy: str) -> PathResult:
    """Join consecutive OOS results into one BacktestResult-shaped curve."""
    frames, offset, next_id = [], 0, 0
    for part in parts:
        t = part.trades
        if t is not None and len(t):
            t = t.copy()
            for col in ("entry_bar", "exit_bar"):
                t[col] = t[col] + offset
            if "position_id" in t:
                t["position_id"] = t["position_id"] + next_id
                next_id = int(t["position_id"].max()) + 1
            frames.append(t)
        offset += len(part.equity)
    trades = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    closes = [getattr(p, "close", None) for p in parts]
    return PathResult(
        trades=trades,
        equity=np.concatenate([p.equity for p in parts]),
        timestamps=np.concatenate([p.timestamps for p in parts]),
        params={"strategy": strategy, "walk_forward": True},
        initial_cash=float(initial_cash),
        close=np.concatenate(closes) if all(c is not None for c in closes) else None,
    )
