"""Momentum oscillators on a 0..100 scale: RSI and Stochastic RSI."""

from __future__ import annotations

import numpy as np

from core.indicators._arrays import (
    ArrayLike,
    FloatArray,
    as_float,
    check_period,
    empty,
    on_valid_bars,
)
from core.indicators._avg_kernels import sma_kernel, stochastic_kernel
from core.indicators._bar_kernels import rsi_kernel


def _rsi(x: FloatArray, period: int) -> tuple[FloatArray]:
    return (rsi_kernel(x, period, empty(len(x))),)


def rsi(close: ArrayLike, period: int = 14) -> FloatArray:
    """Wilder RSI (TA-Lib RSI); first value at bar `period`.

    Deliberate difference: when the averages of gains and losses are both exactly 0
    (no movement over the window) the value is 50, where TA-Lib returns 0 — a flat,
    untraded market must not read as "deeply oversold".
    """
    period = check_period(period)
    return on_valid_bars(_rsi, as_float(close), period=period)[0]


def _stoch_rsi(
    x: FloatArray, rsi_period: int, stoch_period: int, k_smooth: int, d_smooth: int
) -> tuple[FloatArray, FloatArray]:
    n = len(x)
    raw_start = rsi_period + stoch_period - 1
    raw = stochastic_kernel(rsi_kernel(x, rsi_period, empty(n)), stoch_period, rsi_period, empty(n))
    k = sma_kernel(raw, k_smooth, raw_start, empty(n)) if k_smooth > 1 else raw
    d = sma_kernel(k, d_smooth, raw_start + k_smooth - 1, empty(n))
    k[: min(n, raw_start + k_smooth + d_smooth - 2)] = np.nan  # k waits for d
    return k, d


def stoch_rsi(
    close: ArrayLike,
    rsi_period: int = 14,
    stoch_period: int = 14,
    k_smooth: int = 3,
    d_smooth: int = 3,
) -> tuple[FloatArray, FloatArray]:
    """Stochastic RSI -> (k, d), 0..100.

    raw = 100 * (RSI - min RSI) / (max RSI - min RSI) over `stoch_period` bars;
    k = SMA(raw, k_smooth); d = SMA(k, d_smooth) (the common 14/14/3/3 setting).
    TA-Lib equivalents: with k_smooth=1 this is `STOCHRSI(close, rsi_period,
    fastk_period=stoch_period, fastd_period=d_smooth, fastd_matype=0)`; in general it is
    `STOCH(r, r, r, stoch_period, k_smooth, 0, d_smooth, 0)` with r = `RSI(close,
    rsi_period)`. As in TA-Lib, k stays NaN until d exists (first value at bar
    rsi_period + stoch_period + k_smooth + d_smooth - 3). Deliberate difference: a
    flat RSI window gives raw 50, where TA-Lib gives 0.
    """
    rsi_period = check_period(rsi_period, "rsi_period")
    stoch_period = check_period(stoch_period, "stoch_period")
    k_smooth = check_period(k_smooth, "k_smooth")
    d_smooth = check_period(d_smooth, "d_smooth")
    return on_valid_bars(
        _stoch_rsi,
        as_float(close),
        rsi_period=rsi_period,
        stoch_period=stoch_period,
        k_smooth=k_smooth,
        d_smooth=d_smooth,
    )
