"""Signal engine speed: `history` over the 140k BTC 5m file and the engine part of a
50 symbols × 3 timeframes × 1000 candles scan.

Run: .venv/bin/python bench/signals.py [--repeats 3] [--naive-bars 100]

References, timed in the same run:
- history: the naive way to get the same rows, calling the live path (`evaluate` on
  the frame up to bar t) once per bar. Timed on `--naive-bars` bars, extrapolated
  linearly to the whole file (labelled as such).
- scan: TA-Lib computing only the raw indicators the composite reads, for the same
  150 frames: the floor any engine on top of a C indicator library would pay.
Frames come from the real files in ../shared/data/ohlcv (1000-candle windows of the
15m, 1h and 4h series, the 4h built from 1h by resampling), the way a scan reads them
from the cache. numba kernels are compiled before timing; figures are best of N.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import talib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.indicators import warm  # noqa: E402
from core.market.timeframes import resample  # noqa: E402
from core.strategies import evaluate, history  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "ohlcv"
HISTORY_GOAL_S = 2.0
SCAN_GOAL_S = 1.0
SYMBOLS = ("BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA")


def best_of(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def scan_frames(symbols: int = 50, candles: int = 1000) -> list[pd.DataFrame]:
    """150 distinct 1000-candle frames: 50 pseudo-symbols (a real series at different
    offsets) on each of 15m, 1h and 4h."""
    frames: list[pd.DataFrame] = []
    series = {
        tf: [pd.read_csv(DATA / f"binance_{s}-USDT_{tf}.csv.gz") for s in SYMBOLS]
        for tf in ("15m", "1h")
    }
    series["4h"] = [resample(f, "4h") for f in series["1h"]]
    for files in series.values():
        for k in range(symbols):
            src = files[k % len(files)]
            room = len(src) - candles
            start = (k // len(files)) * room // (symbols // len(files) + 1)
            frames.append(src.iloc[start : start + candles].reset_index(drop=True))
    return frames


def talib_floor(frame: pd.DataFrame) -> None:
    cols = ("high", "low", "close", "volume")
    h, lo, c, v = (frame[k].to_numpy(dtype=np.float64) for k in cols)
    for p in (21, 50, 200):
        talib.EMA(c, p)
    talib.MACD(c, 12, 26, 9)
    talib.RSI(c, 14)
    talib.BBANDS(c, 20, 2.0, 2.0, 0)
    talib.ATR(h, lo, c, 14)
    talib.ADX(h, lo, c, 14)
    talib.PLUS_DI(h, lo, c, 14)
    talib.MINUS_DI(h, lo, c, 14)
    talib.OBV(c, v)
    talib.SMA(v, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-bars", type=int, default=100)
    args = parser.parse_args()

    big = pd.read_csv(DATA / "binance_BTC-USDT_5m.csv.gz")
    frames = scan_frames()
    warm()
    history(big.iloc[:3000])  # compile and load every kernel before timing
    history(big.iloc[:3000], "scalper")

    n = len(big)
    t_hist = best_of(lambda: history(big), args.repeats)
    t_hist_scalper = best_of(lambda: history(big, "scalper"), args.repeats)
    rows = len(history(big))

    # Naive reference: the live path once per bar over the last `naive_bars` bars.
    window = 20_000  # enough history for every look-back, like a live 30-day fetch
    start = n - args.naive_bars
    started = time.perf_counter()
    for i in range(start, n):
        evaluate(big.iloc[max(0, i + 1 - window) : i + 1])
    t_naive_slice = time.perf_counter() - started
    t_naive = t_naive_slice * n / args.naive_bars

    t_scan = best_of(lambda: [evaluate(f) for f in frames], args.repeats)
    t_floor = best_of(lambda: [talib_floor(f) for f in frames], args.repeats)
    candles = sum(len(f) for f in frames)

    print(f"signal engine benchmark (best of {args.repeats})")
    print(f"history, composite, BTC/USDT 5m: {n:,} candles -> {rows} signals")
    print(f"  {'ours: history() vectorised over the frame':<62} {t_hist * 1e3:9.1f} ms")
    print(f"  {'ours: history(), scalper preset':<62} {t_hist_scalper * 1e3:9.1f} ms")
    label = f"naive: evaluate() per bar (timed on {args.naive_bars}, extrapolated)"
    print(f"  {label:<62} {t_naive * 1e3:9.1f} ms")
    print(f"  speed-up vs naive: {t_naive / t_hist:.0f}x")
    verdict = "met" if max(t_hist, t_hist_scalper) < HISTORY_GOAL_S else "NOT met"
    print(f"  goal (history < {HISTORY_GOAL_S:g} s): {verdict}")
    print(f"scan: {len(frames)} frames (50 symbols x 15m/1h/4h) x 1000 candles = {candles:,}")
    print(f"  {'ours: evaluate() on every frame (full explanation)':<62} {t_scan * 1e3:9.1f} ms")
    print(f"  {'TA-Lib: raw indicators only, same frames (floor)':<62} {t_floor * 1e3:9.1f} ms")
    print(f"  per frame: {t_scan / len(frames) * 1e3:.2f} ms (engine), ", end="")
    print(f"{t_floor / len(frames) * 1e3:.2f} ms (TA-Lib floor)")
    verdict = "met" if t_scan < SCAN_GOAL_S else "NOT met"
    print(f"  goal (engine part of the scan < {SCAN_GOAL_S:g} s): {verdict}")
    assert np.isfinite(t_scan)


if __name__ == "__main__":
    main()
