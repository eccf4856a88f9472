"""Correlation of hourly returns between two symbols, on the hours both have.

Returns are simple close-to-close changes between consecutive common bars one
timeframe apart: a bar missing in either series drops the returns touching it
instead of stretching one return over the gap.
"""

from __future__ import annotations

import numpy as np


def aligned_returns(
    ts_a: np.ndarray, close_a: np.ndarray, ts_b: np.ndarray, close_b: np.ndarray, step_ms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Paired returns of a and b over consecutive bars present in both series."""
    ts_a = np.asarray(ts_a, dtype=np.int64)
    ts_b = np.asarray(ts_b, dtype=np.int64)
    common, ia, ib = np.intersect1d(ts_a, ts_b, assume_unique=True, return_indices=True)
    if common.size < 2:
        return np.empty(0), np.empty(0)
    a = np.asarray(close_a, dtype=np.float64)[ia]
    b = np.asarray(close_b, dtype=np.float64)[ib]
    consecutive = np.diff(common) == step_ms
    ra = a[1:] / a[:-1] - 1.0
    rb = b[1:] / b[:-1] - 1.0
    keep = consecutive & np.isfinite(ra) & np.isfinite(rb)
    return ra[keep], rb[keep]


def returns_correlation(ra: np.ndarray, rb: np.ndarray, min_points: int = 2) -> float | None:
    """Pearson correlation; None with fewer than `min_points` pairs or a flat series."""
    if ra.size < max(min_points, 2):
        return None
    sa, sb = float(np.std(ra)), float(np.std(rb))
    if sa == 0.0 or sb == 0.0:
        return None
    return float(np.mean((ra - ra.mean()) * (rb - rb.mean())) / (sa * sb))


def aligned_correlation(
    ts_a: np.ndarray,
    close_a: np.ndarray,
    ts_b: np.ndarray,
    close_b: np.ndarray,
    step_ms: int,
    min_points: int = 2,
) -> float | None:
    ra, rb = aligned_returns(ts_a, close_a, ts_b, close_b, step_ms)
    return returns_correlation(ra, rb, min_points)
