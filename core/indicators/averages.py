"""Moving averages and the indicators built straight on them (MACD, Bollinger)."""

from __future__ import annotations

from typing import Literal

from core.indicators._arrays import (
    ArrayLike,
    FloatArray,
    as_float,
    check_period,
    empty,
    on_valid_bars,
)
from core.indicators._avg_kernels import bollinger_kernel, ema_kernel, macd_kernel, sma_kernel

EmaSeed = Literal["sma", "first"]


def _sma(x: FloatArray, period: int) -> tuple[FloatArray]:
    return (sma_kernel(x, period, 0, empty(len(x))),)


def sma(x: ArrayLike, period: int) -> FloatArray:
    """Simple moving average; first value at bar period-1 (TA-Lib SMA)."""
    period = check_period(period)
    return on_valid_bars(_sma, as_float(x), period=period)[0]


def volume_sma(volume: ArrayLike, period: int = 20) -> FloatArray:
    """Average volume, the yardstick for "volume >= 1.3x its average" confirmations."""
    return sma(volume, period)


def _ema(x: FloatArray, period: int, sma_seed: bool) -> tuple[FloatArray]:
    return (ema_kernel(x, period, 0, sma_seed, empty(len(x))),)


def ema(x: ArrayLike, period: int, *, seed: EmaSeed = "sma") -> FloatArray:
    """Exponential moving average with alpha = 2 / (period + 1).

    Both seeds leave bars 0..period-2 NaN. seed="sma" starts from the SMA of the first
    `period` values (TA-Lib EMA, equal to rounding); seed="first" starts the recursion
    at x[0] and equals pandas `ewm(span=period, adjust=False,
    min_periods=period).mean()`. The two converge after a few multiples of the period.
    """
    period = check_period(period)
    if seed not in ("sma", "first"):
        raise ValueError(f"seed must be 'sma' or 'first', got {seed!r}")
    return on_valid_bars(_ema, as_float(x), period=period, sma_seed=seed == "sma")[0]


def _macd(
    x: FloatArray, fast: int, slow: int, signal: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = len(x)
    return macd_kernel(x, fast, slow, signal, empty(n), empty(n), empty(n))


def macd(
    close: ArrayLike, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """TA-Lib MACD -> (macd, signal, hist), all three NaN before bar slow+signal-2.

    TA-Lib's alignment is kept: the fast EMA is seeded at bar slow-1 with the SMA of
    the `fast` closes ending there (not at bar fast-1), and the MACD line is withheld
    until the signal line exists. As in TA-Lib, fast/slow given the wrong way round
    are swapped.
    """
    fast = check_period(fast, "fast")
    slow = check_period(slow, "slow")
    signal = check_period(signal, "signal")
    if slow < fast:
        fast, slow = slow, fast
    return on_valid_bars(_macd, as_float(close), fast=fast, slow=slow, signal=signal)


def _bollinger(
    x: FloatArray, period: int, width: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = len(x)
    return bollinger_kernel(x, period, width, empty(n), empty(n), empty(n))


def bollinger(
    close: ArrayLike, period: int = 20, width: float = 2.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bollinger bands -> (upper, middle, lower): SMA +- width x population std
    (TA-Lib BBANDS with matype=0 and nbdevup = nbdevdn = width)."""
    period = check_period(period)
    return on_valid_bars(_bollinger, as_float(close), period=period, width=float(width))
