"""Hand-made candle frames for the engine tests (deterministic, 1h bars from a UTC day)."""

from __future__ import annotations

import numpy as np
import pandas as pd

HOUR = 3_600_000
START = 1_700_006_400_000  # 2023-11-15 00:00 UTC, a day boundary


def frame(
    close: np.ndarray,
    *,
    volume: np.ndarray | None = None,
    wick: float = 0.15,
    step: int = HOUR,
) -> pd.DataFrame:
    """Candles whose open is the previous close and whose wicks are `wick` of the body
    plus a small constant, so ATR stays near the typical bar size."""
    close = np.asarray(close, dtype=np.float64)
    n = len(close)
    open_ = np.r_[close[0], close[:-1]]
    body = np.abs(close - open_)
    pad = wick * body + 0.05
    return pd.DataFrame(
        {
            "timestamp": START + step * np.arange(n, dtype=np.int64),
            "open": open_,
            "high": np.maximum(open_, close) + pad,
            "low": np.minimum(open_, close) - pad,
            "close": close,
            "volume": np.full(n, 100.0) if volume is None else np.asarray(volume, float),
        }
    )


def wiggle(n: int, amplitude: float = 0.4, seed: int = 7) -> np.ndarray:
    """Small deterministic noise so indicators are not degenerate."""
    rng = np.random.default_rng(seed)
    return amplitude * rng.standard_normal(n)


def uptrend(n: int, start: float = 100.0, drift: float = 0.08, seed: int = 7) -> np.ndarray:
    return start + drift * np.arange(n) + np.cumsum(wiggle(n, 0.25, seed)) * 0.3


def replace_last(df: pd.DataFrame, **values: float) -> pd.DataFrame:
    """A copy with the last candle's fields replaced."""
    out = df.copy()
    for key, value in values.items():
        out.loc[out.index[-1], key] = value
    return out
