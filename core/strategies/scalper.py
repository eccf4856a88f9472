"""The scalper preset: 15m momentum confirmed by the 1h trend.

A LONG needs all five: the 1h trend up (EMA 34 > EMA 89, close above EMA 89, from 1h
bars resampled out of the base frame), the base close > EMA 34 > EMA 89, RSI below
`rsi_long_max`, MACD line above 0 and volume >= `volume_accel`× its average; a SHORT
mirrors each. Confidence = 50..100 from how comfortably the RSI, MACD and volume
conditions hold (lowered in high volatility). Levels use ATR multiples only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import indicators as ind
from core.strategies import filters, mtf
from core.strategies.base import Reason
from core.strategies.config import ScalperConfig
from core.strategies.features import common_features, infer_base_ms
from core.strategies.state import EngineState, PresetStrategy, finalize

COMPONENTS: tuple[str, ...] = ("trend_htf", "momentum", "rsi", "macd", "volume")

SNAPSHOT_KEYS: tuple[str, ...] = (
    "close", "ema_fast", "ema_slow", "rsi", "macd", "macd_signal", "macd_hist", "atr",
    "atr_median", "atr_pct_rank", "adx", "plus_di", "minus_di", "volume", "volume_avg",
    "volume_ratio", "swing_high", "swing_low", "htf_trend",
)  # fmt: skip


def _f(x: float) -> float | None:
    return None if x != x else float(x)


def _sign(x: np.ndarray) -> np.ndarray:
    return np.sign(np.nan_to_num(x, nan=0.0))


def analyse(frame: pd.DataFrame, cfg: ScalperConfig) -> EngineState:
    f = common_features(frame, cfg)
    close, n = f["close"], len(f["close"])
    base_ms = infer_base_ms(f["timestamp"], cfg.timeframe)
    f["ema_fast"] = ind.ema(close, cfg.ema_fast)
    f["ema_slow"] = ind.ema(close, cfg.ema_slow)
    f["rsi"] = ind.rsi(close, cfg.rsi_period)
    f["macd"], f["macd_signal"], f["macd_hist"] = ind.macd(
        close, cfg.macd_fast, cfg.macd_slow, cfg.macd_signal
    )
    timeframes = mtf.applicable_timeframes((cfg.trend_timeframe,), base_ms)
    if timeframes:
        htf = mtf.htf_trend(
            f["timestamp"], close, base_ms, timeframes[0], cfg.ema_fast, cfg.ema_slow
        )
    else:  # the base is already the trend timeframe: the base EMAs are the trend
        htf = mtf.trend_rule(close, f["ema_fast"], f["ema_slow"])
    f["htf_trend"] = htf

    pair = (_sign(close - f["ema_fast"]) + _sign(f["ema_fast"] - f["ema_slow"])) / 2.0
    side = np.where(np.abs(pair) == 1.0, pair, 0.0).astype(np.int8)
    rsi = f["rsi"]
    with np.errstate(invalid="ignore", divide="ignore"):
        rsi_room = np.where(
            side > 0,
            (cfg.rsi_long_max - rsi) / cfg.rsi_long_max,
            (rsi - cfg.rsi_short_min) / (100.0 - cfg.rsi_short_min),
        )
        macd_norm = np.tanh(f["macd"] / (0.2 * f["atr"]))
        vol_room = np.clip(f["volume_ratio"] / cfg.volume_accel - 1.0, -1.0, 1.0)
    sgn = side.astype(np.float64)
    scores = {
        "trend_htf": np.nan_to_num(htf),
        "momentum": pair,
        "rsi": sgn * np.clip(np.nan_to_num(rsi_room, nan=-1.0), -1.0, 1.0),
        "macd": np.nan_to_num(macd_norm),
        "volume": sgn * np.clip(np.nan_to_num(vol_room, nan=0.0), 0.0, 1.0),
    }
    conditions = (
        (htf == side)
        & (side != 0)
        & (rsi_room > 0)
        & (_sign(f["macd"]) == side)
        & (f["volume_ratio"] >= cfg.volume_accel)
    )
    warm = np.isfinite(f["ema_slow"]) & np.isfinite(f["atr"]) & np.isfinite(f["macd"])
    warm &= np.isfinite(rsi) & np.isfinite(f["volume_ratio"])
    candidate = np.where(warm & conditions, side, 0).astype(np.int8)
    score = np.where(warm, sum(scores.values()) / len(scores), 0.0)

    regime = filters.regime(
        f["adx"], f["plus_di"], f["minus_di"], f["atr_pct_rank"],
        adx_trend=cfg.adx_trend, high_vol_pct=cfg.high_vol_pct,
    )  # fmt: skip
    strength = (
        np.clip(np.nan_to_num(rsi_room), 0, 1)
        + np.abs(np.nan_to_num(macd_norm))
        + np.clip(np.nan_to_num(vol_room), 0, 1)
    ) / 3.0
    confidence = np.where(candidate != 0, 50.0 + 50.0 * strength, 100.0 * np.abs(score))
    confidence = confidence * np.where(regime == filters.HIGH_VOLATILITY, cfg.high_vol_factor, 1.0)

    trends = htf.reshape(1, n) if timeframes else np.zeros((0, n))
    status = mtf.mtf_status(trends, np.where(side != 0, side, _sign(score)).astype(np.int8))
    weight = np.full(n, 1.0 / len(COMPONENTS))
    zeros = np.zeros(n)
    f["level_up"] = f["level_down"] = np.full(n, np.nan)  # no breakout detection here

    def reasons(name: str, i: int) -> tuple[Reason, ...]:
        return _reasons(name, f, i, int(side[i]), cfg, timeframes)

    state = EngineState(
        preset=cfg.name,
        cfg=cfg,
        f=f,
        base_ms=base_ms,
        warm=warm,
        component_scores=scores,
        component_weights=dict.fromkeys(COMPONENTS, weight),
        component_reasons=reasons,
        score=score,
        candidate=candidate,
        confidence=confidence,
        regime=regime,
        mtf_timeframes=timeframes,
        mtf_trends=trends,
        mtf_status=status,
        fbd_score=zeros,
        fbd_attempt=np.zeros(n, dtype=np.int8),
        fbd_terms=(zeros, zeros, zeros),
        fbd_threshold=1.0,
        snapshot_keys=SNAPSHOT_KEYS,
    )
    return finalize(state)


def _reasons(
    name: str, f: dict, i: int, side: int, cfg: ScalperConfig, timeframes: tuple[str, ...]
) -> tuple[Reason, ...]:
    if name == "trend_htf":
        v = f["htf_trend"][i]
        code = (
            "htf_trend_unknown" if v != v
            else "htf_trend_up" if v > 0
            else "htf_trend_down" if v < 0
            else "htf_trend_flat"
        )  # fmt: skip
        tf = timeframes[0] if timeframes else cfg.timeframe
        return (Reason(code, {"timeframe": tf, "fast": cfg.ema_fast, "slow": cfg.ema_slow}),)
    if name == "momentum":
        close, fast, slow = f["close"][i], f["ema_fast"][i], f["ema_slow"][i]
        code = (
            "ema_pair_bull" if close > fast > slow
            else "ema_pair_bear" if close < fast < slow
            else "ema_pair_mixed"
        )  # fmt: skip
        params = {"fast": cfg.ema_fast, "slow": cfg.ema_slow, "ema_fast": _f(fast)}
        return (Reason(code, {**params, "ema_slow": _f(slow)}),)
    if name == "rsi":
        rsi = f["rsi"][i]
        limit = cfg.rsi_long_max if side >= 0 else cfg.rsi_short_min
        code = "rsi_below_limit" if rsi < limit else "rsi_above_limit"
        return (Reason(code, {"rsi": _f(rsi), "limit": limit}),)
    if name == "macd":
        macd = f["macd"][i]
        return (Reason("macd_positive" if macd > 0 else "macd_negative", {"macd": _f(macd)}),)
    ratio = f["volume_ratio"][i]
    code = "volume_confirmed" if ratio >= cfg.volume_accel else "volume_low"
    return (Reason(code, {"volume_ratio": _f(ratio), "threshold": cfg.volume_accel}),)


@dataclass(frozen=True, slots=True)
class ScalperStrategy(PresetStrategy):
    """The `scalper` preset as a `Strategy`."""

    config: ScalperConfig = field(default_factory=ScalperConfig)
    name: str = "scalper"
    engine = staticmethod(analyse)
