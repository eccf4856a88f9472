"""numba kernels over one series: moving averages, MACD, bands, stochastic, rank.

Kernels mirror TA-Lib's arithmetic (same seeds, same order of operations), so the
agreement is at rounding level rather than merely within 1e-9. They assume finite
input — the NaN rule is applied by the callers (`_arrays.on_valid_bars`) — and fill
the warm-up with NaN themselves. `start` lets a kernel begin later in the array
(e.g. a smoothing of an already warmed-up series) without slicing copies.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# How often the rolling-variance sums are re-anchored on a recent price: they hold
# deviations from that anchor, so they stay small and cannot drift over long series.
_ANCHOR_EVERY = 1024


@njit(cache=True)
def nan_until(out, first):  # pragma: no cover - compiled
    """NaN-fill the warm-up of a caller-allocated output (numpy's allocator, which
    hands large arrays huge pages, is markedly faster here than numba's)."""
    out[: min(max(first, 0), out.shape[0])] = math.nan
    return out


@njit(cache=True)
def ema_kernel(x, period, start, sma_seed, out):  # pragma: no cover - compiled
    """EMA seeded at bar start+period-1: with the SMA of the first `period` values
    (TA-Lib) or with x[start] run through the recursion (pandas adjust=False)."""
    n = x.shape[0]
    first = start + period - 1
    nan_until(out, first)
    if first >= n:
        return out
    k = 2.0 / (period + 1.0)
    if sma_seed:
        total = 0.0
        for i in range(start, first + 1):
            total += x[i]
        prev = total / period
    else:
        prev = x[start]
        for i in range(start + 1, first + 1):
            prev = (x[i] - prev) * k + prev
    out[first] = prev
    for i in range(first + 1, n):
        prev = (x[i] - prev) * k + prev
        out[i] = prev
    return out


@njit(cache=True)
def sma_kernel(x, period, start, out):  # pragma: no cover - compiled
    """TA-Lib's SMA loop: a running window total, divided by the period."""
    n = x.shape[0]
    first = start + period - 1
    nan_until(out, first)
    if first >= n:
        return out
    fp = float(period)
    total = 0.0
    for i in range(start, first):
        total += x[i]
    trailing = start
    for i in range(first, n):
        total += x[i]
        out[i] = total / fp
        total -= x[trailing]
        trailing += 1
    return out


@njit(cache=True)
def macd_kernel(
    x, fast, slow, signal, line_out, signal_out, hist_out
):  # pragma: no cover - compiled
    """TA-Lib MACD in one pass.

    TA-Lib seeds the fast EMA at the slow EMA's first bar (slow-1) with the SMA of the
    `fast` values ending there, not at bar fast-1; the signal EMA is seeded with the
    SMA of the first `signal` MACD values. All outputs start at bar slow+signal-2.
    """
    n = x.shape[0]
    s0 = slow - 1
    first = s0 + signal - 1
    nan_until(line_out, first)
    nan_until(signal_out, first)
    nan_until(hist_out, first)
    if first >= n:
        return line_out, signal_out, hist_out
    kf = 2.0 / (fast + 1.0)
    ks = 2.0 / (slow + 1.0)
    kg = 2.0 / (signal + 1.0)
    total = 0.0
    for i in range(0, slow):
        total += x[i]
    slow_v = total / slow
    total = 0.0
    for i in range(slow - fast, slow):
        total += x[i]
    fast_v = total / fast
    line_sum = 0.0
    sig = 0.0
    for i in range(s0, n):
        if i > s0:
            fast_v = (x[i] - fast_v) * kf + fast_v
            slow_v = (x[i] - slow_v) * ks + slow_v
        line = fast_v - slow_v
        if i < first:
            line_sum += line
            continue
        sig = (line_sum + line) / signal if i == first else (line - sig) * kg + sig
        line_out[i] = line
        signal_out[i] = sig
        hist_out[i] = line - sig
    return line_out, signal_out, hist_out


@njit(cache=True)
def bollinger_kernel(x, period, width, upper, middle, lower):  # pragma: no cover - compiled
    """SMA middle (TA-Lib's running total) +- width x population std.

    The std comes from running sums of deviations from an anchor price, re-anchored
    every `_ANCHOR_EVERY` bars, so it costs O(1) per bar yet neither cancels at high
    price levels nor drifts over millions of bars.
    """
    n = x.shape[0]
    first = period - 1
    nan_until(upper, first)
    nan_until(middle, first)
    nan_until(lower, first)
    if first >= n:
        return upper, middle, lower
    fp = float(period)
    total = 0.0
    for i in range(0, first):
        total += x[i]
    anchor = 0.0
    s1 = 0.0
    s2 = 0.0
    for i in range(first, n):
        total += x[i]
        mid = total / fp
        total -= x[i - first]
        if (i - first) % _ANCHOR_EVERY == 0:
            anchor = x[i]
            s1 = 0.0
            s2 = 0.0
            for j in range(i - first, i + 1):
                d = x[j] - anchor
                s1 += d
                s2 += d * d
        else:
            dn = x[i] - anchor
            do = x[i - period] - anchor
            s1 += dn - do
            s2 += dn * dn - do * do
        mean_dev = s1 / fp
        var = s2 / fp - mean_dev * mean_dev
        band = width * math.sqrt(var) if var > 0.0 else 0.0
        middle[i] = mid
        upper[i] = mid + band
        lower[i] = mid - band
    return upper, middle, lower


@njit(cache=True)
def stochastic_kernel(x, period, start, out):  # pragma: no cover - compiled
    """Raw stochastic of x within its own window (TA-Lib STOCHF fast %K on one series).

    Deliberate difference: a flat window gives 50 (neutral), not TA-Lib's 0 (oversold).
    """
    n = x.shape[0]
    first = start + period - 1
    nan_until(out, first)
    for i in range(first, n):
        lowest = x[i]
        highest = x[i]
        for j in range(i - period + 1, i):
            v = x[j]
            lowest = min(lowest, v)
            highest = max(highest, v)
        diff = (highest - lowest) / 100.0
        out[i] = (x[i] - lowest) / diff if diff != 0.0 else 50.0
    return out


@njit(cache=True)
def percentile_rank_kernel(x, window, out):  # pragma: no cover - compiled
    """Percent rank (average method for ties) of x[t] among the last `window` values."""
    n = x.shape[0]
    nan_until(out, window - 1)
    for i in range(window - 1, n):
        v = x[i]
        less = 0
        at_most = 0
        seg = x[i - window + 1 : i + 1]
        for j in range(window):  # branch-free counts, so LLVM vectorizes the loop
            less += np.int64(seg[j] < v)
            at_most += np.int64(seg[j] <= v)
        out[i] = 100.0 * (less + (at_most - less + 1) / 2.0) / window
    return out
