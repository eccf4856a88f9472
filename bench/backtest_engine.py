"""Backtest engine speed, memory and trade agreement: ours vs vectorbt vs backtesting.py.

Run: .venv/bin/python bench/backtest_engine.py [--candles 1000000] [--bt-candles 100000]

Setting (issue 6): ema_cross fast 12, slow 26, sl 0.02, tp 0.04, fee 0.001 per side,
fixed quantity 1, cash 10,000,000, long only; on 1M synthetic 1-minute candles (the
project's deterministic sim market) and on the 140k-candle BTC/USDT 5m file.

* ours: ``run_backtest`` end to end (EMAs, signals, numba kernel, trades table); also
  the kernel alone on precomputed signals, the part comparable to vectorbt below.
* vectorbt: ``Portfolio.from_signals`` on the same signals shifted one bar and filled
  at the open, with ``sl_stop``/``tp_stop`` checked on open/high/low.
* backtesting.py: ``Backtest.run`` on a slice (``--bt-candles``), extrapolated
  linearly to the full size and labelled so.
numba functions are compiled before timing; each figure is the best of ``--repeat``.
Peak memory of ours is the tracemalloc peak of one full run (numpy allocations are
traced). The trade-by-trade check against backtesting.py runs on the whole BTC file and
on the synthetic data's first ``--check-candles`` candles.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.backtest import BacktestConfig, run_backtest, simulate_signals
from core.backtest.crosscheck import CONVENTIONS, backtesting_py_trades, compare
from core.market.csv import read_candles
from core.market.synthetic import sim_frame
from core.strategies.ema_cross import EmaCross, EmaCrossConfig

BTC_FILE = Path(__file__).resolve().parents[1] / "../shared/data/ohlcv/binance_BTC-USDT_5m.csv.gz"
SETTING = EmaCrossConfig(fast=12, slow=26, sl=0.02, tp=0.04, direction="long")
CONFIG = BacktestConfig(
    initial_cash=10_000_000.0, fee_rate=0.001, size_mode="fixed_qty", size=1.0, direction="long"
)
MEMORY_GOAL_MIB = 300.0
AGREEMENT_GOAL = 0.99


def synthetic(n: int) -> pd.DataFrame:
    start = 1_600_000_020_000 - 1_600_000_020_000 % 60_000
    return sim_frame(7, "BTC/USDT", "1m", start, start + (n - 1) * 60_000)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds / 1e6:8.2f} M candles/s ({seconds * 1000:8.1f} ms)"


def vectorbt_runner(frame: pd.DataFrame) -> Callable[[], object]:
    import vectorbt as vbt

    sig = EmaCross(SETTING).generate(frame)
    entries = np.zeros(len(frame), dtype=bool)
    exits = np.zeros(len(frame), dtype=bool)
    entries[1:] = sig.direction[:-1] == 1
    exits[1:] = sig.exit[:-1] == 1
    o, h, lo, c = (frame[k].to_numpy() for k in ("open", "high", "low", "close"))

    def run() -> object:
        return vbt.Portfolio.from_signals(
            c,
            entries,
            exits,
            price=o,
            open=o,
            high=h,
            low=lo,
            size=1.0,
            fees=0.001,
            sl_stop=SETTING.sl,
            tp_stop=SETTING.tp,
            init_cash=CONFIG.initial_cash,
        )

    return run


def speed(label: str, frame: pd.DataFrame, bt_candles: int, repeat: int) -> dict[str, float]:
    n = len(frame)
    strategy = EmaCross(SETTING)
    run_backtest(frame.iloc[:1000], strategy, CONFIG)  # compile / load the numba cache
    ours = best_of(lambda: run_backtest(frame, strategy, CONFIG), repeat)
    signals = strategy.generate(frame)
    kernel = best_of(lambda: simulate_signals(frame, signals, CONFIG), repeat)
    vbt_run = vectorbt_runner(frame)
    vbt_run()  # compile
    vbt = best_of(vbt_run, repeat)
    part = frame.iloc[: min(bt_candles, n)].reset_index(drop=True)
    bt_part = best_of(lambda: backtesting_py_trades(part, SETTING, 0.001, 1e7), 1)
    bt_full = bt_part * n / len(part)
    print(f"\n== {label}: {n:,} candles")
    print(f"ours  run_backtest (signals + kernel)  {rate(n, ours)}")
    print(f"ours  kernel on precomputed signals    {rate(n, kernel)}")
    print(f"vectorbt Portfolio.from_signals        {rate(n, vbt)}")
    print(
        f"backtesting.py (timed on {len(part):,}, extrapolated) "
        f"{n / bt_full / 1e6:8.3f} M candles/s (~{bt_full:.1f} s)"
    )
    verdict = "OK" if ours <= vbt else "SLOWER"
    print(f"ours end to end vs vectorbt: {vbt / ours:.2f}x  [{verdict}]")
    return {"ours": ours, "vbt": vbt}


def memory(frame: pd.DataFrame) -> float:
    strategy = EmaCross(SETTING)
    tracemalloc.start()
    result = run_backtest(frame, strategy, CONFIG)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    mib = peak / 2**20
    verdict = "OK" if mib < MEMORY_GOAL_MIB else "OVER"
    print(
        f"peak traced memory of one run on {len(frame):,} candles: {mib:.1f} MiB "
        f"(goal < {MEMORY_GOAL_MIB:.0f}) [{verdict}]"
    )
    return mib


def agreement(label: str, frame: pd.DataFrame) -> float:
    check = compare(frame, SETTING, fee=0.001, cash=CONFIG.initial_cash)
    verdict = "OK" if check.agreement >= AGREEMENT_GOAL else "BELOW GOAL"
    print(
        f"{label}: ours {check.ours} trades, backtesting.py {check.theirs}, same entry and exit "
        f"bar {check.matched} = {check.agreement * 100:.2f}% [{verdict}]; "
        f"matched trades with a different fill price: {check.price_mismatches}"
    )
    counts = check.summary()
    for convention, meaning in CONVENTIONS.items():
        print(f"  {counts.get(convention, 0):5d} x {convention}: {meaning}")
    for diff in check.differences[:10]:
        print(f"        {diff.convention}: ours {diff.ours} vs backtesting.py {diff.theirs}")
    return check.agreement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candles", type=int, default=1_000_000)
    parser.add_argument("--bt-candles", type=int, default=100_000)
    parser.add_argument("--check-candles", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    synth = synthetic(args.candles)
    btc = read_candles(BTC_FILE)
    speed("synthetic 1m (sim market)", synth, args.bt_candles, args.repeat)
    speed("BTC/USDT 5m file", btc, args.bt_candles, args.repeat)
    print("\n== memory")
    memory(synth)
    print("\n== trade-by-trade vs backtesting.py (next-open fills, EMAs as pandas ewm)")
    agreement("BTC/USDT 5m file", btc)
    agreement(f"synthetic, first {args.check_candles:,}", synth.iloc[: args.check_candles])


if __name__ == "__main__":
    main()
