"""numba kernels over candles: RSI, true range, ATR, ADX/DI, OBV, VWAP, pivots.

Same conventions as `_avg_kernels`: TA-Lib's arithmetic, finite input only, the
kernels allocate their outputs with NaN warm-up.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from core.indicators._avg_kernels import (
    bollinger_kernel,
    ema_kernel,
    macd_kernel,
    nan_until,
    percentile_rank_kernel,
    sma_kernel,
    stochastic_kernel,
)


@njit(cache=True)
def rsi_kernel(x, period, out):  # pragma: no cover - compiled
    """Wilder RSI as TA-Lib computes it (first value: simple averages of `period` moves).

    Deliberate difference: a window with no movement at all gives 50, not TA-Lib's 0.
    """
    n = x.shape[0]
    nan_until(out, period)
    if n <= period:
        return out
    fp = float(period)
    fm = float(period - 1)
    inv = 1.0 / fp  # TA-Lib 0.8 multiplies by 1/period: this matches it bit for bit
    gain = 0.0
    loss = 0.0
    prev = x[0]
    for i in range(1, period + 1):
        d = x[i] - prev
        prev = x[i]
        if d < 0.0:
            loss -= d
        else:
            gain += d
    loss /= fp
    gain /= fp
    total = gain + loss
    out[period] = 100.0 * (gain / total) if total != 0.0 else 50.0
    for i in range(period + 1, n):
        d = x[i] - prev
        prev = x[i]
        # branch-free: adding 0.0 to the other side changes nothing
        gain = (gain * fm + max(d, 0.0)) * inv
        loss = (loss * fm - min(d, 0.0)) * inv
        total = gain + loss
        out[i] = 100.0 * (gain / total) if total != 0.0 else 50.0
    return out


@njit(cache=True, inline="always")
def true_range(high, low, prev_close):  # pragma: no cover - compiled
    return max(high - low, abs(high - prev_close), abs(low - prev_close))


@njit(cache=True)
def atr_kernel(high, low, close, period, out):  # pragma: no cover - compiled
    """Wilder ATR seeded like TA-Lib: first value at bar `period` = mean of TR[1..period]."""
    n = close.shape[0]
    nan_until(out, period)
    if n <= period:
        return out
    fp = float(period)
    fm = float(period - 1)
    total = 0.0
    for i in range(1, period + 1):
        total += true_range(high[i], low[i], close[i - 1])
    prev = total / fp
    out[period] = prev
    inv = 1.0 / fp
    for i in range(period + 1, n):
        prev = (prev * fm + true_range(high[i], low[i], close[i - 1])) * inv
        out[i] = prev
    return out


@njit(cache=True)
def adx_kernel(high, low, close, period, adx, plus_di, minus_di):  # pragma: no cover - compiled
    """ADX, +DI and -DI with TA-Lib's seeding.

    The smoothed DM/TR start as sums over bars 1..period-1 and take Wilder steps from
    bar `period`; DI is defined from bar `period`, ADX from bar 2*period-1 as the mean
    of the first `period` DX values, then Wilder-smoothed. A zero smoothed TR gives
    DI = 0 and leaves ADX unchanged (TA-Lib does the same).
    """
    n = close.shape[0]
    seed_end = 2 * period - 1
    nan_until(adx, seed_end)
    nan_until(plus_di, period)
    nan_until(minus_di, period)
    if n <= period:
        return adx, plus_di, minus_di
    fp = float(period)
    fm = float(period - 1)
    pdm = 0.0
    mdm = 0.0
    tr = 0.0
    sum_dx = 0.0
    prev_adx = 0.0
    for i in range(1, n):
        diff_p = high[i] - high[i - 1]
        diff_m = low[i - 1] - low[i]
        if i >= period:
            pdm -= pdm / fp
            mdm -= mdm / fp
        if diff_m > 0.0 and diff_p < diff_m:
            mdm += diff_m
        elif diff_p > 0.0 and diff_p > diff_m:
            pdm += diff_p
        if i < period:
            tr += true_range(high[i], low[i], close[i - 1])
            continue
        tr = tr - tr / fp + true_range(high[i], low[i], close[i - 1])
        mdi = 0.0
        pdi = 0.0
        if tr != 0.0:
            mdi = 100.0 * (mdm / tr)
            pdi = 100.0 * (pdm / tr)
        plus_di[i] = pdi
        minus_di[i] = mdi
        di_sum = mdi + pdi
        has_dx = tr != 0.0 and di_sum != 0.0
        dx = 100.0 * (abs(mdi - pdi) / di_sum) if has_dx else 0.0
        if i <= seed_end:
            sum_dx += dx
            if i == seed_end:
                prev_adx = sum_dx / fp
                adx[i] = prev_adx
        else:
            if has_dx:
                prev_adx = (prev_adx * fm + dx) / fp
            adx[i] = prev_adx
    return adx, plus_di, minus_di


@njit(cache=True)
def obv_kernel(close, volume, out):  # pragma: no cover - compiled
    """OBV from the first bar's volume; equal closes leave it unchanged (TA-Lib)."""
    n = close.shape[0]
    if n == 0:
        return out
    acc = volume[0]
    out[0] = acc
    for i in range(1, n):
        if close[i] > close[i - 1]:
            acc += volume[i]
        elif close[i] < close[i - 1]:
            acc -= volume[i]
        out[i] = acc
    return out


@njit(cache=True)
def vwap_rolling_kernel(high, low, close, volume, window, out):  # pragma: no cover
    """Rolling sum of typical price x volume over rolling volume.

    A count of bars with volume keeps a zero-volume window NaN even when the running
    volume total is left with rounding residue.
    """
    n = close.shape[0]
    nan_until(out, window - 1)
    pv = 0.0
    vol = 0.0
    traded = 0
    for i in range(n):
        v = volume[i]
        pv += (high[i] + low[i] + close[i]) / 3.0 * v
        vol += v
        traded += v != 0.0
        if i >= window:
            j = i - window
            vj = volume[j]
            pv -= (high[j] + low[j] + close[j]) / 3.0 * vj
            vol -= vj
            traded -= vj != 0.0
        if i >= window - 1:
            out[i] = pv / vol if traded > 0 else math.nan
    return out


@njit(cache=True)
def vwap_session_kernel(session, high, low, close, volume, out):  # pragma: no cover
    """Cumulative VWAP reset whenever the session id changes; NaN while volume is 0."""
    n = close.shape[0]
    pv = 0.0
    vol = 0.0
    for i in range(n):
        if i == 0 or session[i] != session[i - 1]:
            pv = 0.0
            vol = 0.0
        v = volume[i]
        pv += (high[i] + low[i] + close[i]) / 3.0 * v
        vol += v
        out[i] = pv / vol if vol != 0.0 else math.nan
    return out


@njit(cache=True)
def pivot_kernel(x, left, right, sign, out):  # pragma: no cover - compiled
    """Pivot value at its confirmation bar (pivot + right), NaN elsewhere.

    sign=+1: strictly above the `left` bars before and at least as high as the `right`
    bars after (of equal highs the first counts); sign=-1 mirrors it for lows.
    """
    n = x.shape[0]
    out[:] = math.nan
    for p in range(left, n - right):
        centre = x[p] * sign
        is_pivot = True
        for j in range(p - left, p):  # branch-free tests: the windows are tiny
            is_pivot &= x[j] * sign < centre
        for j in range(p + 1, p + right + 1):
            is_pivot &= x[j] * sign <= centre
        if is_pivot:
            out[p + right] = x[p]
    return out


def warm() -> None:
    """Compile (or load from numba's cache) every kernel, so timings exclude the JIT."""
    x = np.linspace(1.0, 2.0, 64)
    ts = np.zeros(64, dtype=np.int64)

    def e() -> np.ndarray:
        return np.empty(64)

    ema_kernel(x, 5, 0, True, e())
    sma_kernel(x, 5, 0, e())
    macd_kernel(x, 3, 6, 3, e(), e(), e())
    bollinger_kernel(x, 5, 2.0, e(), e(), e())
    stochastic_kernel(x, 5, 0, e())
    percentile_rank_kernel(x, 5, e())
    rsi_kernel(x, 5, e())
    atr_kernel(x + 1, x - 1, x, 5, e())
    adx_kernel(x + 1, x - 1, x, 5, e(), e(), e())
    obv_kernel(x, x, e())
    vwap_rolling_kernel(x + 1, x - 1, x, x, 5, e())
    vwap_session_kernel(ts, x + 1, x - 1, x, x, e())
    pivot_kernel(x, 2, 2, 1.0, e())
