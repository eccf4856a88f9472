"""The four engine components, each a score in [-1, 1] per bar, and their reasons.

Scores are computed over whole arrays; `*_reasons(f, i, cfg)` explains bar i from the
same feature arrays. Positive scores favour a long, negative a short.
"""

from __future__ import annotations

import numpy as np

from core import indicators as ind
from core.strategies.base import Reason
from core.strategies.config import CompositeConfig
from core.strategies.features import Features, change_over_sum, prev_extreme, shift

SLOPE_FLAT_ATR = 0.2
OBV_FLAT = 0.05


def _f(x: float) -> float | None:
    return None if x != x else float(x)


def _sign(x: np.ndarray) -> np.ndarray:
    return np.sign(np.nan_to_num(x, nan=0.0))


def add_composite_features(f: Features, cfg: CompositeConfig) -> None:
    """Indicators only the composite reads (trend, mean reversion, breakout, volume)."""
    close = f["close"]
    f["ema_fast"] = ind.ema(close, cfg.ema_fast)
    f["ema_mid"] = ind.ema(close, cfg.ema_mid)
    f["ema_slow"] = ind.ema(close, cfg.ema_slow)
    f["macd"], f["macd_signal"], f["macd_hist"] = ind.macd(
        close, cfg.macd_fast, cfg.macd_slow, cfg.macd_signal
    )
    f["rsi"] = ind.rsi(close, cfg.rsi_period)
    f["bb_upper"], f["bb_middle"], f["bb_lower"] = ind.bollinger(close, cfg.bb_period, cfg.bb_std)
    f["range_high"] = prev_extreme(f["high"], cfg.range_lookback, kind="max")
    f["range_low"] = prev_extreme(f["low"], cfg.range_lookback, kind="min")
    f["obv"] = ind.obv(close, f["volume"])
    with np.errstate(invalid="ignore", divide="ignore"):
        f["ema_slope_atr"] = (f["ema_mid"] - shift(f["ema_mid"], cfg.slope_lookback)) / f["atr"]
        width = f["bb_upper"] - f["bb_lower"]
        f["bb_pct_b"] = np.where(width > 0, (close - f["bb_lower"]) / width, 0.5)
    f["obv_slope"] = change_over_sum(f["obv"], f["volume"], cfg.obv_lookback)


# --- trend -------------------------------------------------------------------------------


def trend_score(f: Features, cfg: CompositeConfig) -> np.ndarray:
    """EMA stack (40 %), EMA slope (30 %) and MACD histogram (30 %), damped by a weak ADX."""
    close = f["close"]
    stack = (
        _sign(close - f["ema_fast"])
        + _sign(f["ema_fast"] - f["ema_mid"])
        + _sign(f["ema_mid"] - f["ema_slow"])
    ) / 3.0
    slope = np.tanh(f["ema_slope_atr"])
    with np.errstate(invalid="ignore", divide="ignore"):
        macd_term = np.tanh(f["macd_hist"] / (0.2 * f["atr"]))
    adx_factor = np.clip((f["adx"] - cfg.adx_weak) / (cfg.adx_strong - cfg.adx_weak), 0.0, 1.0)
    score = (0.4 * stack + 0.3 * slope + 0.3 * macd_term) * (0.5 + 0.5 * adx_factor)
    return np.clip(score, -1.0, 1.0)


def trend_reasons(f: Features, i: int, cfg: CompositeConfig) -> tuple[Reason, ...]:
    close, fast, mid, slow = f["close"][i], f["ema_fast"][i], f["ema_mid"][i], f["ema_slow"][i]
    stack = {
        "fast": cfg.ema_fast,
        "mid": cfg.ema_mid,
        "slow": cfg.ema_slow,
        "ema_fast": _f(fast),
        "ema_mid": _f(mid),
        "ema_slow": _f(slow),
    }
    if close > fast > mid > slow:
        stack_code = "ema_stack_bull"
    elif close < fast < mid < slow:
        stack_code = "ema_stack_bear"
    else:
        stack_code = "ema_stack_mixed"
    slope = f["ema_slope_atr"][i]
    slope_code = (
        "ema_slope_up"
        if slope > SLOPE_FLAT_ATR
        else "ema_slope_down"
        if slope < -SLOPE_FLAT_ATR
        else "ema_slope_flat"
    )
    adx = f["adx"][i]
    adx_code = (
        "adx_strong"
        if adx >= cfg.adx_strong
        else "adx_weak"
        if adx < cfg.adx_weak
        else "adx_moderate"
    )
    hist = f["macd_hist"][i]
    macd_params = {"macd": _f(f["macd"][i]), "signal": _f(f["macd_signal"][i]), "hist": _f(hist)}
    return (
        Reason(stack_code, stack),
        Reason(slope_code, {"period": cfg.ema_mid, "slope_atr": _f(slope)}),
        Reason(adx_code, {"adx": _f(adx)}),
        Reason("macd_bull" if hist > 0 else "macd_bear", macd_params),
    )


# --- mean reversion ----------------------------------------------------------------------


def mean_reversion_score(f: Features, cfg: CompositeConfig) -> np.ndarray:
    """RSI extremes (60 %) and Bollinger %B (40 %): oversold is bullish, overbought bearish."""
    rsi = f["rsi"]
    low = np.clip((cfg.rsi_oversold + 10.0 - rsi) / 20.0, 0.0, 1.0)
    high = np.clip((rsi - (cfg.rsi_overbought - 10.0)) / 20.0, 0.0, 1.0)
    bb = np.clip((0.5 - f["bb_pct_b"]) * 2.0, -1.0, 1.0)
    return 0.6 * (low - high) + 0.4 * bb


def mean_reversion_reasons(f: Features, i: int, cfg: CompositeConfig) -> tuple[Reason, ...]:
    rsi = f["rsi"][i]
    if rsi <= cfg.rsi_oversold:
        rsi_code = "rsi_oversold"
    elif rsi >= cfg.rsi_overbought:
        rsi_code = "rsi_overbought"
    else:
        rsi_code = "rsi_neutral"
    pct_b = f["bb_pct_b"][i]
    bb_code = "bb_below_lower" if pct_b < 0 else "bb_above_upper" if pct_b > 1 else "bb_inside"
    rsi_params = {
        "rsi": _f(rsi),
        "oversold": cfg.rsi_oversold,
        "overbought": cfg.rsi_overbought,
    }
    return (Reason(rsi_code, rsi_params), Reason(bb_code, {"pct_b": _f(pct_b)}))


# --- breakout ----------------------------------------------------------------------------


def breakout_score(
    f: Features,
    level_up: np.ndarray,
    level_down: np.ndarray,
    rejected: np.ndarray,
    cfg: CompositeConfig,
) -> np.ndarray:
    """A close beyond the nearer of range edge and band: 0.6..1 by how far beyond
    (half an ATR is full strength), halved without volume >= `volume_accel`× average,
    zero when the false-breakout detector rejected the bar."""
    close, atr = f["close"], f["atr"]
    with np.errstate(invalid="ignore", divide="ignore"):
        up = close > level_up
        down = close < level_down
        excess = np.where(up, close - level_up, np.where(down, level_down - close, 0.0))
        strength = 0.6 + 0.4 * np.clip(excess / (0.5 * atr), 0.0, 1.0)
        confirmed = f["volume_ratio"] >= cfg.volume_accel
    side = up.astype(np.float64) - down.astype(np.float64)
    score = side * strength * np.where(confirmed, 1.0, 0.5)
    return np.where(rejected | ~np.isfinite(score), 0.0, score)


def breakout_reasons(
    f: Features,
    i: int,
    level_up: float,
    level_down: float,
    attempt: int,
    rejected: bool,
    cfg: CompositeConfig,
) -> tuple[Reason, ...]:
    close = f["close"][i]
    side = 1 if close > level_up else -1 if close < level_down else 0
    if side == 0 and not (attempt and rejected):
        return (Reason("breakout_none", {"high": _f(level_up), "low": _f(level_down)}),)
    side = side or attempt
    level = level_up if side > 0 else level_down
    edge = f["range_high"][i] if side > 0 else f["range_low"][i]
    params = {
        "level": _f(level),
        "close": _f(close),
        "kind": "range" if level == edge else "band",
        "lookback": cfg.range_lookback,
    }
    closed_beyond = close > level if side > 0 else close < level
    if not closed_beyond:
        # The bar's wick crossed the level but the close is back inside: the reason
        # names the extreme that pierced it, never a close "beyond" the level.
        params["extreme"] = _f(f["high"][i] if side > 0 else f["low"][i])
        code = "breakout_pierce_up" if side > 0 else "breakout_pierce_down"
    else:
        code = "breakout_up" if side > 0 else "breakout_down"
    if rejected:
        # Pierced (or barely closed beyond) and failed: the detector's reasons say why.
        return (Reason(code, params), Reason("breakout_rejected_false", {}))
    ratio = f["volume_ratio"][i]
    vol_params = {"volume_ratio": _f(ratio), "threshold": cfg.volume_accel}
    vol_code = "breakout_volume_confirmed" if ratio >= cfg.volume_accel else "breakout_volume_weak"
    return (Reason(code, params), Reason(vol_code, vol_params))


# --- volume ------------------------------------------------------------------------------


def volume_score(f: Features, cfg: CompositeConfig) -> np.ndarray:
    """OBV slope (60 %, doubled and clipped) and a volume spike in the bar's direction."""
    obv_term = np.clip(2.0 * f["obv_slope"], -1.0, 1.0)
    with np.errstate(invalid="ignore"):
        spike = f["volume_ratio"] >= cfg.volume_accel
    accel = np.sign(f["close"] - f["open"]) * spike
    return 0.6 * obv_term + 0.4 * accel


def volume_reasons(f: Features, i: int, cfg: CompositeConfig) -> tuple[Reason, ...]:
    slope = f["obv_slope"][i]
    obv_code = (
        "obv_rising" if slope > OBV_FLAT else "obv_falling" if slope < -OBV_FLAT else "obv_flat"
    )
    ratio = f["volume_ratio"][i]
    body = f["close"][i] - f["open"][i]
    vol_params = {"volume_ratio": _f(ratio), "threshold": cfg.volume_accel}
    if ratio >= cfg.volume_accel and body != 0:
        vol_code = "volume_accel_up" if body > 0 else "volume_accel_down"
    else:
        vol_code = "volume_normal"
    return (
        Reason(obv_code, {"slope": _f(slope), "lookback": cfg.obv_lookback}),
        Reason(vol_code, vol_params),
    )
