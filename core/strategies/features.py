"""Indicator arrays the engine reads, computed once per frame.

Everything is a float64 array aligned with the frame; the value at bar t uses bars <= t
only (the no-look-ahead test relies on every helper here being causal).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from core import indicators as ind
from core.market.timeframes import timeframe_ms
from core.strategies.config import EngineConfig

Features = dict[str, np.ndarray]

DAY_MS = 86_400_000


def infer_base_ms(timestamps: np.ndarray, fallback: str = "1h") -> int:
    """Candle spacing: the smallest gap (exchange data has gaps, never extra candles);
    the preset's own timeframe when a single candle shows no spacing."""
    if len(timestamps) < 2:
        return timeframe_ms(fallback)
    return int(np.diff(timestamps).min())


def shift(x: np.ndarray, k: int = 1) -> np.ndarray:
    """x delayed by k bars, NaN-padded (the value at t is x[t - k])."""
    out = np.full_like(x, np.nan, dtype=np.float64)
    if k < len(x):
        out[k:] = x[: len(x) - k]
    return out


def ffill(x: np.ndarray) -> np.ndarray:
    """Carry the last non-NaN value forward (the last confirmed swing, say)."""
    valid = ~np.isnan(x)
    idx = np.where(valid, np.arange(len(x)), -1)
    np.maximum.accumulate(idx, out=idx)
    out = np.where(idx >= 0, x[np.maximum(idx, 0)], np.nan)
    return out


def prev_extreme(x: np.ndarray, n: int, *, kind: str) -> np.ndarray:
    """Max (kind="max") or min of the n bars before t, excluding t; NaN until n bars exist."""
    out = np.full(len(x), np.nan)
    if len(x) > n:
        windows = sliding_window_view(x[:-1], n)
        out[n:] = windows.max(axis=1) if kind == "max" else windows.min(axis=1)
    return out


def rolling_median(x: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    """Median of the last `window` values (NaNs skipped), at least `min_periods` of them."""
    series = pd.Series(x, copy=False)
    return series.rolling(window, min_periods=min(min_periods, window)).median().to_numpy()


def change_over_sum(x: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """(x[t] - x[t-n]) / sum(weights[t-n+1..t]): OBV's slope as a share of traded volume,
    which lies in [-1, 1] by construction."""
    out = np.full(len(x), np.nan)
    if len(x) > n:
        csum = np.concatenate(([0.0], np.cumsum(weights)))
        total = csum[n + 1 :] - csum[1:-n]
        delta = x[n:] - x[:-n]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[n:] = np.where(total > 0, delta / total, 0.0)
    return out


def anomaly_window(cfg: EngineConfig, base_ms: int) -> int:
    """Bars in the anomaly block's look-back (30 days by default)."""
    return max(cfg.anomaly_min_bars, int(cfg.anomaly_days * DAY_MS // base_ms))


def common_features(frame: pd.DataFrame, cfg: EngineConfig) -> Features:
    """Price columns plus what every preset needs: ATR, volume average, swings,
    the anomaly median, ADX and the ATR percentile for the regime."""
    f: Features = {
        "timestamp": frame["timestamp"].to_numpy(dtype=np.int64),
        "open": frame["open"].to_numpy(dtype=np.float64),
        "high": frame["high"].to_numpy(dtype=np.float64),
        "low": frame["low"].to_numpy(dtype=np.float64),
        "close": frame["close"].to_numpy(dtype=np.float64),
        "volume": frame["volume"].to_numpy(dtype=np.float64),
    }
    high, low, close, volume = f["high"], f["low"], f["close"], f["volume"]
    base_ms = infer_base_ms(f["timestamp"], cfg.timeframe)
    f["atr"] = ind.atr(high, low, close, cfg.atr_period)
    # Average of the bars *before* t, so a spike is measured against what preceded it.
    f["volume_avg"] = shift(ind.volume_sma(volume, cfg.volume_period))
    with np.errstate(invalid="ignore", divide="ignore"):
        f["volume_ratio"] = np.where(f["volume_avg"] > 0, volume / f["volume_avg"], np.nan)
    swing_high, swing_low = ind.swing_points(high, low, cfg.swing_left, cfg.swing_right)
    f["swing_high"] = ffill(swing_high)
    f["swing_low"] = ffill(swing_low)
    f["atr_median"] = rolling_median(f["atr"], anomaly_window(cfg, base_ms), cfg.anomaly_min_bars)
    f["adx"], f["plus_di"], f["minus_di"] = ind.adx(high, low, close, cfg.adx_period)
    with np.errstate(invalid="ignore", divide="ignore"):
        atr_pct = f["atr"] / close
    f["atr_pct_rank"] = ind.percentile_rank(atr_pct, cfg.atr_pct_window)
    return f
