"""Market structure: confirmed swing highs/lows and rolling percentile rank."""

from __future__ import annotations

from core.indicators._arrays import (
    ArrayLike,
    FloatArray,
    as_float,
    as_floats,
    check_period,
    empty,
    on_valid_bars,
)
from core.indicators._avg_kernels import percentile_rank_kernel
from core.indicators._bar_kernels import pivot_kernel


def _swing_points(
    high: FloatArray, low: FloatArray, left: int, right: int
) -> tuple[FloatArray, FloatArray]:
    n = len(high)
    return (
        pivot_kernel(high, left, right, 1.0, empty(n)),
        pivot_kernel(low, left, right, -1.0, empty(n)),
    )


def swing_points(
    high: ArrayLike, low: ArrayLike, left: int = 2, right: int = 2
) -> tuple[FloatArray, FloatArray]:
    """Fractal swing highs/lows -> (swing_high, swing_low).

    A swing high is a high strictly above the `left` highs before it and at least as
    high as the `right` highs after it (of equal highs, the first counts); swing lows
    mirror that. The pivot's price appears at the bar where the swing is *confirmed*,
    `right` bars after the pivot, never at the pivot itself, so the value at bar t uses
    bars <= t only. NaN where no swing is confirmed.
    """
    left = check_period(left, "left")
    right = check_period(right, "right")
    arrays = as_floats(("high", high), ("low", low))
    return on_valid_bars(_swing_points, *arrays, left=left, right=right)


def _percentile_rank(x: FloatArray, window: int) -> tuple[FloatArray]:
    return (percentile_rank_kernel(x, window, empty(len(x))),)


def percentile_rank(x: ArrayLike, window: int) -> FloatArray:
    """Where the latest value sits among the last `window` values, in percent.

    100 * (count below + (count equal, itself included, + 1) / 2) / window — pandas
    `rolling(window).rank(pct=True) * 100` with average ties; 100 = the window's
    highest. Used for the ATR percentile in regime detection. NaN for the first
    window-1 valid values.
    """
    window = check_period(window, "window")
    return on_valid_bars(_percentile_rank, as_float(x), window=window)[0]
