"""Candle frames for the path-simulator scenario tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

H = 3_600_000
T0 = 1_700_006_400_000  # 2023-11-15 00:00 UTC


def candles(rows: list[tuple[float, float, float, float]], step_ms: int = H) -> pd.DataFrame:
    """A contract-shaped frame from (open, high, low, close) rows, one bar per ``step_ms``."""
    o, h, lo, c = np.array(rows, dtype=np.float64).reshape(-1, 4).T
    return pd.DataFrame(
        {
            "timestamp": T0 + np.arange(len(rows), dtype=np.int64) * step_ms,
            "open": o,
            "high": h,
            "low": lo,
            "close": c,
            "volume": np.ones(len(rows)),
        }
    )
