"""The engine's two entry points over a candle frame: `evaluate` and `history`.

Both run the same preset analysis over the whole frame (principle 1): `evaluate`
explains the last closed bar, `history` lists every signal the engine would have
issued, with the cooldown applied by the same rule the live service uses.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from core.strategies import composite, scalper
from core.strategies.base import SignalDetails, SignalRow
from core.strategies.config import PRESET_CONFIGS, CompositeConfig, EngineConfig, ScalperConfig
from core.strategies.cooldown import cooldown_mask
from core.strategies.state import EngineState, details, signal_frame

_ANALYSERS: dict[type[EngineConfig], Callable[[pd.DataFrame, EngineConfig], EngineState]] = {
    CompositeConfig: composite.analyse,  # type: ignore[dict-item]
    ScalperConfig: scalper.analyse,  # type: ignore[dict-item]
}

PRESETS: tuple[str, ...] = tuple(PRESET_CONFIGS)
# Configs are frozen, so one default instance per preset serves every call.
_DEFAULTS: dict[str, EngineConfig] = {name: cls() for name, cls in PRESET_CONFIGS.items()}


class UnknownPreset(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
        self.name = name


def config_for(preset: str | EngineConfig, **params: object) -> EngineConfig:
    """The typed config of a preset name (with overrides), or the config itself."""
    if isinstance(preset, EngineConfig):
        return preset.with_params(**params) if params else preset
    base = _DEFAULTS.get(preset)
    if base is None:
        raise UnknownPreset(preset)
    return base.with_params(**params) if params else base


def analyse(frame: pd.DataFrame, config: EngineConfig) -> EngineState:
    """All per-bar engine arrays for the frame (for charts, scans and the tests)."""
    if len(frame) == 0:
        raise ValueError("the candle frame is empty")
    try:
        run = _ANALYSERS[type(config)]
    except KeyError:
        raise TypeError(f"no engine for config type {type(config).__name__}") from None
    return run(frame, config)


def evaluate(frame: pd.DataFrame, config: EngineConfig | str = "composite") -> SignalDetails:
    """Explain the last bar of `frame` (which must hold closed candles only).

    The result agrees with `history` at that bar, except that the cooldown is not
    applied: check it with `cooldown_allows(last_issued_ms, details.bar_time, cfg)`.
    """
    return details(analyse(frame, config_for(config)), -1)


def history(frame: pd.DataFrame, preset: EngineConfig | str = "composite") -> list[SignalRow]:
    """Every signal the engine would have issued over the frame, cooldown applied."""
    cfg = config_for(preset)
    state = analyse(frame, cfg)
    signals = signal_frame(state)
    ts = state.f["timestamp"]
    keep = cooldown_mask(ts, signals.direction, cfg.cooldown_ms)
    close = state.f["close"]
    assert state.levels is not None
    rr = state.levels.rr
    return [
        SignalRow(
            time=int(ts[i]),
            direction=int(signals.direction[i]),
            confidence=float(signals.confidence[i]),
            entry=float(close[i]),
            stop=float(signals.stop[i]),
            tp1=float(signals.tp1[i]),
            tp2=float(signals.tp2[i]),
            tp3=float(signals.tp3[i]),
            rr=float(rr[i]),
        )
        for i in np.flatnonzero(keep)
    ]
