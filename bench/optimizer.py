"""Optimizer speed: 100 random trials of `composite` on one year of BTC/USDT 1h candles.

Run: .venv/bin/python bench/optimizer.py [--trials 100] [--workers 2] [--days 365]

Goal (issue 6): under 30 s. Reference in the same run: the same trials run serially
in this process (``workers=1``, no pool), so the figures show what the process pool
buys on this machine (2 cores, shared). Pool figures: a new pool (starting the
spawn-context workers, which import the stack and load the numba caches, is
included, as a CLI run pays it) and a warm pool (workers already started, as in the
long-running bot). Every run must produce the same table: the benchmark checks it,
so a speed-up cannot come from skipping work. Bars before the year only warm the
indicators up (300 candles).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.backtest import BacktestConfig
from core.market.csv import read_candles
from core.robustness.evaluate import RunSpec, Window, evaluate
from core.robustness.optimizer import OptimizationResult, TrialPool, optimize
from core.robustness.params import PARAM_SPACES

DATA = Path(__file__).resolve().parents[2] / "shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"
GOAL_S = 30.0
WARMUP = 300


def year_frame(days: int) -> tuple[pd.DataFrame, Window]:
    frame = read_candles(DATA).iloc[-(days * 24 + WARMUP) :].reset_index(drop=True)
    return frame, Window(WARMUP, len(frame), 0)


def timed(label: str, **kwargs: object) -> tuple[float, OptimizationResult]:
    began = time.perf_counter()
    result = optimize(**kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - began
    print(f"  {label:<34} {seconds:7.2f} s  {len(result.table) / seconds:6.1f} trials/s")
    return seconds, result


def _same(a: OptimizationResult, b: OptimizationResult) -> bool:
    return a.table.drop(columns="error").equals(b.table.drop(columns="error"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    frame, window = year_frame(args.days)
    spec = RunSpec("composite", BacktestConfig(), objective="sharpe")
    space = PARAM_SPACES["composite"]
    first = pd.Timestamp(int(frame["timestamp"].iat[window.start]), unit="ms", tz="UTC")
    last = pd.Timestamp(int(frame["timestamp"].iat[-1]), unit="ms", tz="UTC")
    print(
        f"composite, {args.trials} random trials (seed {args.seed}) over {list(space)}\n"
        f"data: {DATA.name}, {first:%Y-%m-%d} .. {last:%Y-%m-%d}, "
        f"{window.end - window.start} candles (+{WARMUP} warm-up)"
    )
    # compile the numba kernels in this process first, so neither run pays for it
    evaluate(frame, spec, {}, window)

    common = {"frame": frame, "spec": spec, "space": space, "method": "random"}
    common |= {"n_trials": args.trials, "seed": args.seed, "window": window}
    serial_s, serial = timed("serial, one process (reference)", workers=1, **common)
    pool_s, pooled = timed(
        f"new pool, {args.workers} workers (spawn)",
        workers=args.workers,
        mp_context="spawn",
        **common,
    )
    with TrialPool(frame, spec, args.workers, "spawn") as pool:
        began = time.perf_counter()
        optimize(**{**common, "n_trials": args.workers, "seed": args.seed + 1}, pool=pool)
        print(f"  (starting the pool, warm: {time.perf_counter() - began:.2f} s)")
        warm_s, warm = timed(f"warm pool, {args.workers} workers", pool=pool, **common)
    same = all(_same(serial, other) for other in (pooled, warm))
    print(
        f"  speed-up over serial: {serial_s / pool_s:.2f}x cold, {serial_s / warm_s:.2f}x warm;"
        f" same table in every run: {same}"
    )
    best = pooled.best_params
    print(f"  best sharpe {pooled.table['objective'].iat[0]:.3f} with {best}")
    load = os.getloadavg()[0]
    print(f"  machine: {os.cpu_count()} cores, load average {load:.1f} during the run")
    verdict = "meets" if pool_s < GOAL_S else "MISSES"
    print(f"goal: {args.trials} trials under {GOAL_S:.0f} s -> {pool_s:.2f} s, {verdict} the goal")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
