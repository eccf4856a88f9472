"""The composite engine: four weighted components, regime weights, MTF confirmation.

score = sum(weight[regime][c] * component[c]) in [-1, 1]; a candidate LONG/SHORT needs
|score| >= `entry_threshold`; confidence = 100 * min(1, |score| / `full_scale`),
multiplied by the MTF factor (partial / conflict lower it) and, in high volatility,
by `high_vol_factor`. The shared filters in `state.finalize` then decide what is issued.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.strategies import components as comp
from core.strategies import filters, mtf
from core.strategies.base import Reason
from core.strategies.config import REGIMES, CompositeConfig
from core.strategies.features import common_features, infer_base_ms
from core.strategies.state import EngineState, PresetStrategy, finalize

COMPONENTS: tuple[str, ...] = ("trend", "mean_reversion", "breakout", "volume")

SNAPSHOT_KEYS: tuple[str, ...] = (
    "close", "ema_fast", "ema_mid", "ema_slow", "ema_slope_atr", "macd", "macd_signal",
    "macd_hist", "rsi", "bb_upper", "bb_middle", "bb_lower", "bb_pct_b", "atr",
    "atr_median", "atr_pct_rank", "adx", "plus_di", "minus_di", "obv", "obv_slope",
    "volume", "volume_avg", "volume_ratio", "range_high", "range_low", "swing_high",
    "swing_low",
)  # fmt: skip

# Features that must be known before the engine may speak at a bar.
REQUIRED: tuple[str, ...] = (
    "ema_slow", "macd_hist", "rsi", "bb_pct_b", "atr", "adx", "volume_ratio",
    "obv_slope", "range_high", "range_low", "atr_pct_rank",
)  # fmt: skip


def analyse(frame: pd.DataFrame, cfg: CompositeConfig) -> EngineState:
    """Every per-bar quantity of the composite engine over the frame, filters applied."""
    f = common_features(frame, cfg)
    comp.add_composite_features(f, cfg)
    n = len(f["close"])
    base_ms = infer_base_ms(f["timestamp"], cfg.timeframe)

    level_up, level_down = filters.breakout_levels(
        f["range_high"], f["range_low"], f["bb_upper"], f["bb_lower"]
    )
    f["level_up"], f["level_down"] = level_up, level_down
    attempt = filters.breakout_attempt(
        f["high"], f["low"], f["open"], f["close"], level_up, level_down
    )
    fbd_score, *terms = filters.false_breakout(
        attempt, f["high"], f["low"], f["open"], f["close"], level_up, level_down,
        f["volume_ratio"], volume_accel=cfg.volume_accel,
        weights=(cfg.fbd_weight_volume, cfg.fbd_weight_inside, cfg.fbd_weight_wick),
    )  # fmt: skip
    fbd_rejected = (attempt != 0) & (fbd_score >= cfg.fbd_threshold)

    scores = {
        "trend": comp.trend_score(f, cfg),
        "mean_reversion": comp.mean_reversion_score(f, cfg),
        "breakout": comp.breakout_score(f, level_up, level_down, fbd_rejected, cfg),
        "volume": comp.volume_score(f, cfg),
    }
    regime = filters.regime(
        f["adx"], f["plus_di"], f["minus_di"], f["atr_pct_rank"],
        adx_trend=cfg.adx_trend, high_vol_pct=cfg.high_vol_pct,
    )  # fmt: skip
    table = np.array([cfg.weights[name].normalised() for name in REGIMES])
    per_bar = table[regime]
    weights = {name: per_bar[:, k] for k, name in enumerate(COMPONENTS)}

    warm = np.ones(n, dtype=bool)
    for key in REQUIRED:
        warm &= np.isfinite(f[key])
    score = np.zeros(n)
    for name in COMPONENTS:
        score += weights[name] * np.nan_to_num(scores[name])
    score = np.where(warm, np.clip(score, -1.0, 1.0), 0.0)
    side = np.sign(score).astype(np.int8)
    candidate = np.where(np.abs(score) >= cfg.entry_threshold, side, 0).astype(np.int8)

    timeframes = mtf.applicable_timeframes(cfg.confirm_timeframes, base_ms)
    trends = np.array(
        [
            mtf.htf_trend(
                f["timestamp"], f["close"], base_ms, tf, cfg.htf_ema_fast, cfg.htf_ema_slow
            )
            for tf in timeframes
        ]
    ).reshape(len(timeframes), n)
    status = mtf.mtf_status(trends, side)
    factor = mtf.mtf_factor(
        status, partial=cfg.mtf_partial_factor, conflict=cfg.mtf_conflict_factor
    ) * np.where(regime == filters.HIGH_VOLATILITY, cfg.high_vol_factor, 1.0)
    confidence = 100.0 * np.clip(np.abs(score) / cfg.full_scale, 0.0, 1.0) * factor

    def reasons(name: str, i: int) -> tuple[Reason, ...]:
        if name == "trend":
            return comp.trend_reasons(f, i, cfg)
        if name == "mean_reversion":
            return comp.mean_reversion_reasons(f, i, cfg)
        if name == "breakout":
            return comp.breakout_reasons(
                f, i, level_up[i], level_down[i], int(attempt[i]), bool(fbd_rejected[i]), cfg
            )
        return comp.volume_reasons(f, i, cfg)

    state = EngineState(
        preset=cfg.name,
        cfg=cfg,
        f=f,
        base_ms=base_ms,
        warm=warm,
        component_scores=scores,
        component_weights=weights,
        component_reasons=reasons,
        score=score,
        candidate=candidate,
        confidence=confidence,
        regime=regime,
        mtf_timeframes=timeframes,
        mtf_trends=trends,
        mtf_status=status,
        fbd_score=fbd_score,
        fbd_attempt=attempt,
        fbd_terms=(terms[0], terms[1], terms[2]),
        fbd_threshold=cfg.fbd_threshold,
        snapshot_keys=SNAPSHOT_KEYS,
    )
    return finalize(state)


@dataclass(frozen=True, slots=True)
class CompositeStrategy(PresetStrategy):
    """The `composite` preset as a `Strategy`."""

    config: CompositeConfig = field(default_factory=CompositeConfig)
    name: str = "composite"
    engine = staticmethod(analyse)
