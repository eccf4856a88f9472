"""Indicator speed: our full set vs TA-Lib's equivalent set vs the `ta` library.

Run: .venv/bin/python bench/indicators.py [--candles 1000000] [--ta-candles 50000]

All three run in this process on the same synthetic candles (a seeded geometric
random walk). numba kernels are compiled before timing; each figure is the best of
several interleaved rounds, and every set keeps its outputs alive until it returns (as a caller
would), so all pay the same memory costs. `ta` is pure Python/pandas and is timed on a
smaller slice, then extrapolated linearly to the full size (labelled as such).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import ta
import talib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import indicators
from core.indicators.frame import EMA_PERIODS, compute_all

GOAL_RATIO = 0.5  # at least half TA-Lib's speed


def synthetic_candles(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = 30_000.0 * np.exp(np.cumsum(rng.normal(0.0, 0.002, n)))
    open_ = np.concatenate(([close[0]], close[:-1]))
    wick = np.abs(rng.normal(0.0, 0.001, (2, n)))
    return pd.DataFrame(
        {
            "timestamp": np.arange(n, dtype=np.int64) * 60_000,
            "open": open_,
            "high": np.maximum(open_, close) * (1.0 + wick[0]),
            "low": np.minimum(open_, close) * (1.0 - wick[1]),
            "close": close,
            "volume": rng.lognormal(3.0, 1.0, n),
        }
    )


def ours_common(frame: pd.DataFrame) -> list[object]:
    """Our indicators that have a TA-Lib counterpart, through the public functions."""
    h, lo, c, v = (frame[k].to_numpy() for k in ("high", "low", "close", "volume"))
    return [
        *(indicators.ema(c, p) for p in EMA_PERIODS),
        indicators.sma(c, 20),
        indicators.rsi(c, 14),
        indicators.macd(c, 12, 26, 9),
        indicators.bollinger(c, 20, 2.0),
        indicators.atr(h, lo, c, 14),
        indicators.adx(h, lo, c, 14),
        indicators.obv(c, v),
        indicators.stoch_rsi(c, 14, 14, 3, 3),
        indicators.volume_sma(v, 20),
    ]


def talib_set(frame: pd.DataFrame) -> list[object]:
    """TA-Lib's equivalent of the common set (StochRSI 14/14/3/3 = RSI + STOCH)."""
    h, lo, c, v = (frame[k].to_numpy() for k in ("high", "low", "close", "volume"))
    rsi = talib.RSI(c, 14)
    return [
        *(talib.EMA(c, p) for p in EMA_PERIODS),
        talib.SMA(c, 20),
        rsi,
        talib.MACD(c, 12, 26, 9),
        talib.BBANDS(c, 20, 2.0, 2.0, 0),
        talib.ATR(h, lo, c, 14),
        talib.ADX(h, lo, c, 14),
        talib.PLUS_DI(h, lo, c, 14),
        talib.MINUS_DI(h, lo, c, 14),
        talib.OBV(c, v),
        talib.STOCH(rsi, rsi, rsi, 14, 3, 0, 3, 0),
        talib.SMA(v, 20),
    ]


def ta_set(frame: pd.DataFrame) -> None:
    """The `ta` library's versions of the same set, plus its rolling VWAP."""
    h, lo, c, v = frame["high"], frame["low"], frame["close"], frame["volume"]
    for p in EMA_PERIODS:
        ta.trend.EMAIndicator(c, p).ema_indicator()
    ta.trend.SMAIndicator(c, 20).sma_indicator()
    ta.momentum.RSIIndicator(c, 14).rsi()
    m = ta.trend.MACD(c, 26, 12, 9)
    m.macd(), m.macd_signal(), m.macd_diff()
    b = ta.volatility.BollingerBands(c, 20, 2)
    b.bollinger_hband(), b.bollinger_mavg(), b.bollinger_lband()
    ta.volatility.AverageTrueRange(h, lo, c, 14).average_true_range()
    a = ta.trend.ADXIndicator(h, lo, c, 14)
    a.adx(), a.adx_pos(), a.adx_neg()
    ta.volume.OnBalanceVolumeIndicator(c, v).on_balance_volume()
    s = ta.momentum.StochRSIIndicator(c, 14, 3, 3)
    s.stochrsi_k(), s.stochrsi_d()
    ta.volume.VolumeWeightedAveragePrice(h, lo, c, v, 20).volume_weighted_average_price()
    ta.trend.SMAIndicator(v, 20).sma_indicator()


def interleaved_best(
    sets: dict[str, Callable[[pd.DataFrame], object]], frame: pd.DataFrame, repeats: int
) -> dict[str, float]:
    """Best time of each set, taking the sets in turn each round, so that load from
    other processes on a shared machine hits all of them alike."""
    best = dict.fromkeys(sets, float("inf"))
    for _ in range(repeats):
        for name, fn in sets.items():
            started = time.perf_counter()
            fn(frame)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candles", type=int, default=1_000_000)
    parser.add_argument("--ta-candles", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    frame = synthetic_candles(args.candles)
    indicators.warm()
    compute_all(frame.iloc[:5000])  # compile/load every kernel before timing

    n = args.candles
    times = interleaved_best(
        {"full": compute_all, "common": ours_common, "talib": talib_set}, frame, args.repeats
    )
    t_full, t_common, t_talib = times["full"], times["common"], times["talib"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_ta_small = interleaved_best({"ta": ta_set}, frame.iloc[: args.ta_candles], 1)["ta"]
    t_ta = t_ta_small * n / args.ta_candles

    print(f"indicator benchmark: {n:,} synthetic candles, best of {args.repeats}")
    rows = [
        ("ours, full set (compute_all, 35 columns)", t_full),
        ("ours, TA-Lib-comparable subset (public API)", t_common),
        ("TA-Lib, equivalent set", t_talib),
        (
            f"ta, equivalent set (timed on {args.ta_candles:,}, "
            f"extrapolated x{n / args.ta_candles:g})",
            t_ta,
        ),
    ]
    for label, seconds in rows:
        print(f"  {label:<64} {seconds * 1e3:9.1f} ms  {n / seconds / 1e6:8.2f} M candles/s")
    full_ratio = t_talib / t_full
    common_ratio = t_talib / t_common
    print(f"  speed vs TA-Lib: full set {full_ratio:.2f}x, comparable subset {common_ratio:.2f}x")
    print(f"  speed vs ta (extrapolated): full set {t_ta / t_full:.0f}x")
    verdict = "met" if full_ratio >= GOAL_RATIO else "NOT met"
    print(f"  goal (full set >= {GOAL_RATIO:g}x TA-Lib's speed): {verdict}")


if __name__ == "__main__":
    main()
