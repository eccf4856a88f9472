"""The full indicator set over one candle frame, with stable names.

The kernels are called directly on arrays already cleared by the NaN rule once for
the whole frame, which keeps the full set within TA-Lib's speed class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.indicators._arrays import FloatArray, as_floats, empty, nan_array, on_valid_bars
from core.indicators._avg_kernels import (
    bollinger_kernel,
    ema_kernel,
    macd_kernel,
    percentile_rank_kernel,
    sma_kernel,
)
from core.indicators._bar_kernels import (
    adx_kernel,
    atr_kernel,
    obv_kernel,
    pivot_kernel,
    rsi_kernel,
    vwap_rolling_kernel,
    vwap_session_kernel,
)
from core.indicators.oscillators import _stoch_rsi
from core.indicators.volume import DAY_MS

# EMA periods the strategy presets use (stacks 9/21/50/200, MACD legs 12/26, scalper
# 34/89, and 39).
EMA_PERIODS: tuple[int, ...] = (9, 12, 21, 26, 34, 39, 50, 89, 200)
ATR_RANK_WINDOW = 100
VWAP_WINDOW = 20
SWING_LEFT = 2
SWING_RIGHT = 2

COLUMNS: tuple[str, ...] = (
    *(f"ema_{p}" for p in EMA_PERIODS),
    "sma_20",
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "bb_upper",
    "bb_middle",
    "bb_lower",
    "atr_14",
    f"atr_rank_{ATR_RANK_WINDOW}",
    "adx_14",
    "plus_di_14",
    "minus_di_14",
    "obv",
    "stoch_rsi_k",
    "stoch_rsi_d",
    f"vwap_{VWAP_WINDOW}",
    "vwap_session",
    "volume_sma_20",
    "swing_high",
    "swing_low",
)


def _all(
    session: np.ndarray, high: FloatArray, low: FloatArray, close: FloatArray, volume: FloatArray
) -> tuple[FloatArray, ...]:
    n = len(close)

    def e() -> FloatArray:
        return empty(n)

    atr_line = atr_kernel(high, low, close, 14, e())
    atr_rank = nan_array(n)
    if n > 14:
        atr_rank[14:] = percentile_rank_kernel(atr_line[14:], ATR_RANK_WINDOW, empty(n - 14))
    return (
        *(ema_kernel(close, p, 0, True, e()) for p in EMA_PERIODS),
        sma_kernel(close, 20, 0, e()),
        rsi_kernel(close, 14, e()),
        *macd_kernel(close, 12, 26, 9, e(), e(), e()),
        *bollinger_kernel(close, 20, 2.0, e(), e(), e()),
        atr_line,
        atr_rank,
        *adx_kernel(high, low, close, 14, e(), e(), e()),
        obv_kernel(close, volume, e()),
        *_stoch_rsi(close, 14, 14, 3, 3),
        vwap_rolling_kernel(high, low, close, volume, VWAP_WINDOW, e()),
        vwap_session_kernel(session, high, low, close, volume, e()),
        sma_kernel(volume, 20, 0, e()),
        pivot_kernel(high, SWING_LEFT, SWING_RIGHT, 1.0, e()),
        pivot_kernel(low, SWING_LEFT, SWING_RIGHT, -1.0, e()),
    )


def compute_all(frame: pd.DataFrame) -> dict[str, FloatArray]:
    """Every indicator with its default settings, keyed by the names in `COLUMNS`.

    A candle with any NaN among high/low/close/volume is absent for *every* indicator
    here (a candle missing a field is a missing candle); the single-indicator functions
    only look at their own inputs.
    """
    high, low, close, volume = as_floats(
        ("high", frame["high"]),
        ("low", frame["low"]),
        ("close", frame["close"]),
        ("volume", frame["volume"]),
    )
    session = np.asarray(frame["timestamp"], dtype=np.int64) // DAY_MS
    values = on_valid_bars(_all, session, high, low, close, volume)
    return dict(zip(COLUMNS, values, strict=True))
