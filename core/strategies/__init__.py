"""Strategies and the signal engine (pure: candle frames in, signal columns out).

Public entry points: `evaluate` (explain the last closed bar), `history` (every signal
the engine would have issued), `get_strategy` (the registry), the typed preset configs,
and the cooldown rule shared by history and the live service.
"""

from core.strategies.base import (
    LONG,
    NEUTRAL,
    SHORT,
    Component,
    FalseBreakoutInfo,
    Levels,
    MtfInfo,
    Reason,
    SignalDetails,
    SignalFrame,
    SignalRow,
    Strategy,
)
from core.strategies.config import CompositeConfig, EngineConfig, RegimeWeights, ScalperConfig
from core.strategies.cooldown import apply_cooldown, cooldown_allows, cooldown_mask
from core.strategies.engine import PRESETS, UnknownPreset, analyse, config_for, evaluate, history
from core.strategies.registry import STRATEGIES, UnknownStrategy, get_strategy, register

__all__ = [
    "LONG",
    "NEUTRAL",
    "PRESETS",
    "SHORT",
    "STRATEGIES",
    "Component",
    "CompositeConfig",
    "EngineConfig",
    "FalseBreakoutInfo",
    "Levels",
    "MtfInfo",
    "Reason",
    "RegimeWeights",
    "ScalperConfig",
    "SignalDetails",
    "SignalFrame",
    "SignalRow",
    "Strategy",
    "UnknownPreset",
    "UnknownStrategy",
    "analyse",
    "apply_cooldown",
    "config_for",
    "cooldown_allows",
    "cooldown_mask",
    "evaluate",
    "get_strategy",
    "history",
    "register",
]
