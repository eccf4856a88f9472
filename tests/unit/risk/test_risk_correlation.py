"""core/risk/correlation.py against numpy's Pearson correlation on aligned returns."""

from __future__ import annotations

import numpy as np

from core.risk.correlation import aligned_correlation, aligned_returns, returns_correlation
from core.risk.flags import BLOCKING_FLAGS, FLAG_NAMES, parse_flag_name

H = 3_600_000


def test_matches_numpy_on_fully_aligned_series() -> None:
    rng = np.random.default_rng(3)
    ts = np.arange(200, dtype=np.int64) * H
    a = 100 * np.cumprod(1 + rng.normal(0, 0.01, 200))
    b = 50 * np.cumprod(1 + rng.normal(0, 0.01, 200))
    expected = np.corrcoef(a[1:] / a[:-1] - 1, b[1:] / b[:-1] - 1)[0, 1]
    assert np.isclose(aligned_correlation(ts, a, ts, b, H), expected, rtol=0, atol=1e-12)
    assert np.isclose(aligned_correlation(ts, a, ts, 3 * a, H), 1.0)


def test_gaps_drop_the_returns_touching_them() -> None:
    ts_a = np.array([0, 1, 2, 3, 4], dtype=np.int64) * H
    ts_b = np.array([0, 1, 3, 4], dtype=np.int64) * H  # hour 2 missing in b
    ra, rb = aligned_returns(ts_a, np.array([1, 2, 3, 4, 5.0]), ts_b, np.array([1, 2, 4, 5.0]), H)
    # common hours 0,1,3,4: returns 0->1 and 3->4 only
    assert np.allclose(ra, [1.0, 0.25]) and np.allclose(rb, [1.0, 0.25])


def test_not_enough_data_or_flat_is_unknown() -> None:
    assert returns_correlation(np.array([0.1, 0.2]), np.array([0.3, 0.1]), min_points=48) is None
    assert returns_correlation(np.zeros(50), np.linspace(0, 1, 50)) is None


def test_flag_names() -> None:
    assert parse_flag_name("EMERGENCY-STOP") == "emergency_stop"
    assert parse_flag_name("nope") is None
    assert set(FLAG_NAMES) > BLOCKING_FLAGS
    assert "maxdd_warning" not in BLOCKING_FLAGS and "signals_stalled" not in BLOCKING_FLAGS
