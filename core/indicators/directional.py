"""Range and trend-strength indicators on high/low/close: ATR and ADX with +DI/-DI."""

from __future__ import annotations

from core.indicators._arrays import (
    ArrayLike,
    FloatArray,
    as_floats,
    check_period,
    empty,
    on_valid_bars,
)
from core.indicators._bar_kernels import adx_kernel, atr_kernel


def _atr(high: FloatArray, low: FloatArray, close: FloatArray, period: int) -> tuple[FloatArray]:
    return (atr_kernel(high, low, close, period, empty(len(close))),)


def atr(high: ArrayLike, low: ArrayLike, close: ArrayLike, period: int = 14) -> FloatArray:
    """Wilder average true range (TA-Lib ATR): the first value, at bar `period`, is the
    mean true range of bars 1..period (bar 0 has no previous close)."""
    period = check_period(period)
    arrays = as_floats(("high", high), ("low", low), ("close", close))
    return on_valid_bars(_atr, *arrays, period=period)[0]


def _adx(
    high: FloatArray, low: FloatArray, close: FloatArray, period: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = len(close)
    return adx_kernel(high, low, close, period, empty(n), empty(n), empty(n))


def adx(
    high: ArrayLike, low: ArrayLike, close: ArrayLike, period: int = 14
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Average directional index -> (adx, plus_di, minus_di): TA-Lib ADX, PLUS_DI and
    MINUS_DI. Each keeps its TA-Lib warm-up: +DI/-DI from bar `period`, ADX from bar
    2*period-1. A window with zero true range gives DI = 0 and holds ADX."""
    period = check_period(period)
    arrays = as_floats(("high", high), ("low", low), ("close", close))
    return on_valid_bars(_adx, *arrays, period=period)
