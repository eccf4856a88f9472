"""Regime detector, false-breakout detector and the anomaly block, over whole arrays.

Each returns arrays (for history and backtests) and has a `*_reasons(..., i)` twin that
explains bar i from the same arrays, so the explanation cannot disagree with the signal.
"""

from __future__ import annotations

import numpy as np

from core.strategies.base import Reason

# Codes index config.REGIMES.
RANGING, TRENDING_UP, TRENDING_DOWN, HIGH_VOLATILITY = range(4)


def _f(x: float) -> float | None:
    """A JSON- and Fluent-friendly float (None for NaN)."""
    return None if x != x else float(x)


# --- regime -----------------------------------------------------------------------------


def regime(
    adx: np.ndarray,
    plus_di: np.ndarray,
    minus_di: np.ndarray,
    atr_pct_rank: np.ndarray,
    *,
    adx_trend: float,
    high_vol_pct: float,
) -> np.ndarray:
    """Regime code per bar: high volatility (ATR percentile) wins over trend (ADX, DI)."""
    out = np.full(len(adx), RANGING, dtype=np.int8)
    trending = adx >= adx_trend
    out[trending & (plus_di >= minus_di)] = TRENDING_UP
    out[trending & (plus_di < minus_di)] = TRENDING_DOWN
    out[atr_pct_rank >= high_vol_pct] = HIGH_VOLATILITY
    return out


# --- false breakout ----------------------------------------------------------------------


def breakout_levels(
    range_high: np.ndarray, range_low: np.ndarray, bb_upper: np.ndarray, bb_lower: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The nearer of the recent range edge and the Bollinger band on each side."""
    return np.fmin(range_high, bb_upper), np.fmax(range_low, bb_lower)


def breakout_attempt(
    high: np.ndarray,
    low: np.ndarray,
    open_: np.ndarray,
    close: np.ndarray,
    level_up: np.ndarray,
    level_down: np.ndarray,
) -> np.ndarray:
    """Side whose level the bar pierced (1 up, -1 down, 0 none); an outside bar is
    assigned the side of its body."""
    up = high > level_up
    down = low < level_down
    body = np.sign(close - open_).astype(np.int8)
    return np.where(up & down, body, np.where(up, 1, np.where(down, -1, 0))).astype(np.int8)


def false_breakout(
    attempt: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    open_: np.ndarray,
    close: np.ndarray,
    level_up: np.ndarray,
    level_down: np.ndarray,
    volume_ratio: np.ndarray,
    *,
    volume_accel: float,
    weights: tuple[float, float, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """False-breakout score in [0, 1] on attempt bars (0 elsewhere) and its three terms:
    missing volume, close back inside the level, and the wick against the move."""
    w_vol, w_inside, w_wick = weights
    span = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        vol_term = np.clip((volume_accel - volume_ratio) / (volume_accel - 0.5), 0.0, 1.0)
        upper_wick = np.where(span > 0, (high - np.maximum(open_, close)) / span, 0.0)
        lower_wick = np.where(span > 0, (np.minimum(open_, close) - low) / span, 0.0)
    vol_term = np.where(np.isnan(vol_term), 1.0, vol_term)  # unknown volume confirms nothing
    inside = np.where(attempt > 0, close <= level_up, close >= level_down).astype(np.float64)
    wick = np.where(attempt > 0, upper_wick, lower_wick)
    active = attempt != 0
    vol_term = np.where(active, vol_term, 0.0)
    inside = np.where(active, inside, 0.0)
    wick = np.where(active, wick, 0.0)
    score = w_vol * vol_term + w_inside * inside + w_wick * wick
    return score, vol_term, inside, wick


def false_breakout_reasons(
    vol_term: float, inside: float, wick: float, volume_ratio: float, level: float
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if vol_term > 0:
        reasons.append(Reason("fbd_volume_missing", {"volume_ratio": _f(volume_ratio)}))
    if inside > 0:
        reasons.append(Reason("fbd_close_inside", {"level": _f(level)}))
    if wick >= 0.3:
        reasons.append(Reason("fbd_long_wick", {"wick_ratio": _f(wick)}))
    return tuple(reasons)


# --- anomaly -----------------------------------------------------------------------------


def anomaly(atr: np.ndarray, atr_median: np.ndarray, mult: float) -> np.ndarray:
    """True where ATR exceeds `mult` times its rolling median (a blow-off, a bad tick)."""
    with np.errstate(invalid="ignore"):
        return atr > mult * atr_median


def anomaly_reason(atr: float, atr_median: float, mult: float) -> Reason:
    ratio = atr / atr_median if atr_median > 0 else float("nan")
    params = {"atr": _f(atr), "atr_median": _f(atr_median), "ratio": _f(ratio), "mult": mult}
    return Reason("anomaly_atr", params)
