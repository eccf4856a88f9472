"""Volume indicators: OBV and VWAP (rolling window and UTC-day anchored)."""

from __future__ import annotations

import numpy as np

from core.indicators._arrays import (
    ArrayLike,
    FloatArray,
    as_floats,
    check_period,
    empty,
    on_valid_bars,
)
from core.indicators._bar_kernels import obv_kernel, vwap_rolling_kernel, vwap_session_kernel

DAY_MS = 86_400_000


def _obv(close: FloatArray, volume: FloatArray) -> tuple[FloatArray]:
    return (obv_kernel(close, volume, empty(len(close))),)


def obv(close: ArrayLike, volume: ArrayLike) -> FloatArray:
    """On-balance volume (Granville; TA-Lib OBV); no warm-up.

    Conventions, both TA-Lib's and both on purpose: OBV starts at the first bar's
    volume (not 0), and a close equal to the previous close leaves OBV unchanged — no
    price change, no volume attributed. (The `ta` library adds the volume on equal
    closes.) Only OBV's slope carries meaning, never its level.
    """
    arrays = as_floats(("close", close), ("volume", volume))
    return on_valid_bars(_obv, *arrays)[0]


def _vwap_rolling(
    high: FloatArray, low: FloatArray, close: FloatArray, volume: FloatArray, window: int
) -> tuple[FloatArray]:
    return (vwap_rolling_kernel(high, low, close, volume, window, empty(len(close))),)


def vwap_rolling(
    high: ArrayLike, low: ArrayLike, close: ArrayLike, volume: ArrayLike, window: int
) -> FloatArray:
    """Volume-weighted typical price (h+l+c)/3 over the last `window` bars.

    NaN during the first window-1 bars and wherever the window traded no volume.
    No TA-Lib equivalent.
    """
    window = check_period(window, "window")
    arrays = as_floats(("high", high), ("low", low), ("close", close), ("volume", volume))
    return on_valid_bars(_vwap_rolling, *arrays, window=window)[0]


def _vwap_session(
    session: np.ndarray, high: FloatArray, low: FloatArray, close: FloatArray, volume: FloatArray
) -> tuple[FloatArray]:
    return (vwap_session_kernel(session, high, low, close, volume, empty(len(close))),)


def vwap_session(
    timestamp_ms: ArrayLike, high: ArrayLike, low: ArrayLike, close: ArrayLike, volume: ArrayLike
) -> FloatArray:
    """VWAP anchored at each UTC midnight: cumulative (h+l+c)/3 x volume / volume from
    the first bar of the bar's UTC day (timestamps are candle open times in ms).

    No warm-up; NaN while the day has traded no volume yet. No TA-Lib equivalent.
    """
    ts = np.ascontiguousarray(np.asarray(timestamp_ms, dtype=np.int64))
    arrays = as_floats(("high", high), ("low", low), ("close", close), ("volume", volume))
    if ts.shape != arrays[0].shape:
        raise ValueError("timestamp_ms must have the same length as the price arrays")
    return on_valid_bars(_vwap_session, ts // DAY_MS, *arrays)[0]
