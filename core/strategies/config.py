"""One typed config per preset: every threshold the engine uses lives here.

Flat, frozen keyword-only dataclasses so `get_strategy("composite", min_rr=2.0)` can
override any single value and a typo fails loudly instead of being ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Self

from core.market.timeframes import is_timeframe

REGIMES: tuple[str, ...] = ("ranging", "trending_up", "trending_down", "high_volatility")


@dataclass(frozen=True, slots=True)
class RegimeWeights:
    """Component weights for one regime; normalised to sum 1 when applied."""

    trend: float
    mean_reversion: float
    breakout: float
    volume: float

    def normalised(self) -> tuple[float, float, float, float]:
        total = self.trend + self.mean_reversion + self.breakout + self.volume
        return (
            self.trend / total,
            self.mean_reversion / total,
            self.breakout / total,
            self.volume / total,
        )


def _default_weights() -> dict[str, RegimeWeights]:
    # Trends reward trend-following and breakouts; ranges reward fading the extremes;
    # high volatility leans on breakouts with volume and distrusts mean reversion.
    return {
        "trending_up": RegimeWeights(0.45, 0.10, 0.25, 0.20),
        "trending_down": RegimeWeights(0.45, 0.10, 0.25, 0.20),
        "ranging": RegimeWeights(0.15, 0.45, 0.15, 0.25),
        "high_volatility": RegimeWeights(0.30, 0.10, 0.35, 0.25),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineConfig:
    """Settings shared by every preset: volatility, volume, filters and levels."""

    name: str = "engine"
    timeframe: str = "1h"
    atr_period: int = 14
    volume_period: int = 20
    volume_accel: float = 1.3
    rsi_period: int = 14
    macd_fast: int = 12
    macd_slow: int = 26
    macd_signal: int = 9
    # Regime detector: trending when ADX >= adx_trend (side from the DIs); high
    # volatility when ATR/close ranks >= high_vol_pct (percent) in its window, which
    # also multiplies confidence by high_vol_factor.
    adx_period: int = 14
    adx_trend: float = 25.0
    atr_pct_window: int = 100
    high_vol_pct: float = 90.0
    high_vol_factor: float = 0.85
    # Levels: stop from ATR (optionally from the last swing), targets as ATR multiples.
    stop_atr: float = 1.5
    use_swing_stop: bool = True
    swing_left: int = 3
    swing_right: int = 3
    swing_buffer_atr: float = 0.2
    swing_min_atr: float = 0.8
    swing_max_atr: float = 3.0
    tp_atr: tuple[float, float, float] = (1.5, 3.0, 4.5)
    min_rr: float = 1.5
    min_confidence: float = 50.0
    # Anomaly block: no signal while ATR exceeds this multiple of its rolling median.
    anomaly_atr_mult: float = 3.0
    anomaly_days: float = 30.0
    anomaly_min_bars: int = 50
    # One issued signal per symbol and direction per this many hours.
    cooldown_hours: float = 4.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            # Every integer setting is a period, a bar count or a position count.
            if f.type == "int" and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{f.name} must be a positive integer, got {value!r}")
        timeframes = [self.timeframe, *getattr(self, "confirm_timeframes", ())]
        timeframes += [getattr(self, "trend_timeframe", self.timeframe)]
        bad = [tf for tf in timeframes if not is_timeframe(tf)]
        if bad:
            raise ValueError(f"invalid timeframe(s): {', '.join(map(repr, bad))}")
        if not (0 < self.tp_atr[0] < self.tp_atr[1] < self.tp_atr[2]):
            raise ValueError("tp_atr must be three increasing positive multiples")
        if self.stop_atr <= 0 or self.min_rr < 0 or self.volume_accel <= 0:
            raise ValueError("stop_atr, volume_accel must be > 0 and min_rr >= 0")
        if not 0 <= self.min_confidence <= 100:
            raise ValueError("min_confidence must be within 0..100")
        if not (0 < self.high_vol_pct < 100 and 0 < self.high_vol_factor <= 1):
            raise ValueError("high_vol_pct must lie in (0, 100), high_vol_factor in (0, 1]")
        if self.anomaly_atr_mult <= 1 or self.anomaly_days <= 0 or self.cooldown_hours < 0:
            raise ValueError("anomaly_atr_mult > 1, anomaly_days > 0, cooldown_hours >= 0")

    @property
    def cooldown_ms(self) -> int:
        return int(self.cooldown_hours * 3_600_000)

    def with_params(self, **params: Any) -> Self:
        """A copy with overrides; unknown names raise (a typo must not pass silently)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"unknown {self.name} parameter(s): {', '.join(unknown)}")
        return replace(self, **params)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompositeConfig(EngineConfig):
    """The composite engine (1h base, confirmed by 4h and 1d)."""

    name: str = "composite"
    timeframe: str = "1h"
    # Trend component.
    ema_fast: int = 21
    ema_mid: int = 50
    ema_slow: int = 200
    slope_lookback: int = 10
    adx_weak: float = 15.0
    adx_strong: float = 35.0
    # Mean reversion component.
    rsi_oversold: float = 30.0
    rsi_overbought: float = 70.0
    bb_period: int = 20
    bb_std: float = 2.0
    # Breakout component and the false-breakout detector.
    range_lookback: int = 20
    fbd_threshold: float = 0.5
    fbd_weight_volume: float = 0.35
    fbd_weight_inside: float = 0.40
    fbd_weight_wick: float = 0.25
    # Volume component.
    obv_lookback: int = 10
    # Regime weights (the regime itself is detected with the shared settings).
    weights: Mapping[str, RegimeWeights] = field(default_factory=_default_weights)
    # Composite decision.
    entry_threshold: float = 0.25
    full_scale: float = 0.6
    # Multi-timeframe confirmation (timeframes not above the base are skipped).
    confirm_timeframes: tuple[str, ...] = ("4h", "1d")
    htf_ema_fast: int = 9
    htf_ema_slow: int = 21
    mtf_partial_factor: float = 0.85
    mtf_conflict_factor: float = 0.6

    def __post_init__(self) -> None:
        EngineConfig.__post_init__(self)
        if set(self.weights) != set(REGIMES):
            raise ValueError(f"weights must name exactly the regimes {REGIMES}")
        if any(min(w.normalised()) < 0 for w in self.weights.values()):
            raise ValueError("regime weights must be non-negative")
        if not (self.ema_fast < self.ema_mid < self.ema_slow):
            raise ValueError("ema_fast < ema_mid < ema_slow is required")
        if not (0 < self.rsi_oversold < 50 < self.rsi_overbought < 100):
            raise ValueError("rsi_oversold < 50 < rsi_overbought is required")
        if not (0 < self.entry_threshold < 1 and 0 < self.full_scale <= 1):
            raise ValueError("entry_threshold and full_scale must lie in (0, 1]")
        if not 0 < self.fbd_threshold <= 1:
            raise ValueError("fbd_threshold must lie in (0, 1]")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScalperConfig(EngineConfig):
    """15m momentum with 1h trend confirmation (EMA 34/89, RSI, MACD, volume)."""

    name: str = "scalper"
    timeframe: str = "15m"
    trend_timeframe: str = "1h"
    ema_fast: int = 34
    ema_slow: int = 89
    rsi_long_max: float = 60.0
    rsi_short_min: float = 40.0
    stop_atr: float = 1.2
    use_swing_stop: bool = False
    tp_atr: tuple[float, float, float] = (0.8, 1.6, 2.4)
    min_rr: float = 1.0
    breakeven_after_tp1: bool = True
    max_open_positions: int = 3

    def __post_init__(self) -> None:
        EngineConfig.__post_init__(self)
        if not self.ema_fast < self.ema_slow:
            raise ValueError("ema_fast < ema_slow is required")
        if not 0 < self.rsi_short_min <= self.rsi_long_max < 100:
            raise ValueError("0 < rsi_short_min <= rsi_long_max < 100 is required")
        if self.max_open_positions < 1:
            raise ValueError("max_open_positions must be at least 1")


PRESET_CONFIGS: dict[str, type[EngineConfig]] = {
    "composite": CompositeConfig,
    "scalper": ScalperConfig,
}
