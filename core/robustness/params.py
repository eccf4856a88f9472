"""Typed parameter spaces for the optimizer: what each strategy may be tuned on.

A space maps parameter names (the keywords of ``get_strategy(name, **params)``) to a
`Param`: a fixed set of `Choice` values, or an `IntRange` / `FloatRange`. Grid search
enumerates every combination (a float range needs a ``step``); random search draws
``n`` combinations from a seeded generator. Both orders are deterministic, so a trial's
index identifies it across an interrupted and a resumed run.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

Value = int | float | str | bool


@dataclass(frozen=True, slots=True)
class Choice:
    values: tuple[Value, ...]

    def grid(self) -> list[Value]:
        return list(self.values)

    def draw(self, rng: np.random.Generator) -> Value:
        return self.values[int(rng.integers(len(self.values)))]


@dataclass(frozen=True, slots=True)
class IntRange:
    low: int
    high: int  # inclusive
    step: int = 1

    def grid(self) -> list[Value]:
        return list(range(self.low, self.high + 1, self.step))

    def draw(self, rng: np.random.Generator) -> Value:
        n = (self.high - self.low) // self.step
        return self.low + self.step * int(rng.integers(n + 1))


@dataclass(frozen=True, slots=True)
class FloatRange:
    low: float
    high: float  # inclusive on the grid
    step: float | None = None  # required for grid search

    def grid(self) -> list[Value]:
        if self.step is None:
            raise ValueError("grid search needs a step for every float range")
        n = round((self.high - self.low) / self.step)
        return [round(self.low + i * self.step, 12) for i in range(n + 1)]

    def draw(self, rng: np.random.Generator) -> Value:
        if self.step is not None:
            return self.grid()[int(rng.integers(len(self.grid())))]
        return float(rng.uniform(self.low, self.high))


Param = Choice | IntRange | FloatRange
ParamSpace = Mapping[str, Param]


def grid_trials(space: ParamSpace) -> list[dict[str, Value]]:
    """Every combination, the first parameter varying slowest."""
    names = list(space)
    combos = itertools.product(*(space[n].grid() for n in names))
    return [dict(zip(names, combo, strict=True)) for combo in combos]


def random_trials(space: ParamSpace, n: int, seed: int) -> list[dict[str, Value]]:
    """``n`` seeded draws; the same seed gives the same list."""
    rng = np.random.default_rng(seed)
    return [{name: p.draw(rng) for name, p in space.items()} for _ in range(n)]


def describe(space: ParamSpace) -> dict[str, Any]:
    """A JSON form of the space (stored in checkpoints to recognise the same run)."""
    out: dict[str, Any] = {}
    for name, p in space.items():
        kind = type(p).__name__
        fields = {k: getattr(p, k) for k in p.__slots__}  # type: ignore[union-attr]
        if isinstance(p, Choice):
            fields = {"values": list(p.values)}
        out[name] = {"kind": kind, **fields}
    return out


def params_key(params: Mapping[str, Any]) -> str:
    return json.dumps(dict(params), sort_keys=True, default=str)


# Default spaces per strategy (the optimizer, walk-forward and CLI start from these).
PARAM_SPACES: dict[str, dict[str, Param]] = {
    "ema_cross": {
        "fast": IntRange(5, 30, 1),
        "slow": IntRange(20, 120, 5),
        "sl": FloatRange(0.005, 0.05, 0.005),
        "tp": FloatRange(0.01, 0.10, 0.01),
    },
    "composite": {
        "entry_threshold": FloatRange(0.15, 0.45, 0.05),
        "min_confidence": FloatRange(40.0, 70.0, 5.0),
        "stop_atr": FloatRange(1.0, 2.5, 0.25),
        "min_rr": FloatRange(1.0, 2.5, 0.25),
        "adx_trend": FloatRange(18.0, 32.0, 2.0),
    },
    "scalper": {
        "rsi_long_max": FloatRange(55.0, 70.0, 5.0),
        "rsi_short_min": FloatRange(30.0, 45.0, 5.0),
        "stop_atr": FloatRange(0.8, 2.0, 0.2),
        "min_rr": FloatRange(0.8, 2.0, 0.2),
    },
    "grid": {
        "levels": IntRange(6, 30, 2),
        "atr_mult": FloatRange(2.0, 12.0, 1.0),
        "spacing": Choice(("arithmetic", "geometric")),
    },
    "dca": {
        "safety_orders": IntRange(2, 8, 1),
        "deviation": FloatRange(0.01, 0.05, 0.005),
        "volume_scale": FloatRange(1.0, 2.0, 0.25),
        "take_profit": FloatRange(0.005, 0.03, 0.005),
    },
    "rebalance": {
        "min_drift": FloatRange(0.0025, 0.02, 0.0025),
        "atr_mult": FloatRange(0.0, 0.6, 0.1),
    },
}
