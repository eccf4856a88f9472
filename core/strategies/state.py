"""What a preset computed over a frame, the shared filters, and the per-bar explanation.

A preset fills an `EngineState` (component scores, candidate direction and confidence,
regime, MTF, false-breakout arrays); `finalize` applies the filters every preset shares
(anomaly block, false breakout, minimum confidence, minimum R:R) and the levels. The
`SignalFrame` and `SignalDetails` are both read from the finished state, so the history
row at bar t and the explanation of bar t cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from core.strategies import filters, mtf
from core.strategies.base import (
    Component,
    FalseBreakoutInfo,
    Reason,
    SignalDetails,
    SignalFrame,
)
from core.strategies.config import REGIMES, EngineConfig
from core.strategies.features import Features
from core.strategies.levels import LevelArrays, compute_levels

ReasonsFn = Callable[[str, int], tuple[Reason, ...]]

# Filter codes in the order they are reported.
REJECTIONS: tuple[str, ...] = ("anomaly_atr", "false_breakout", "low_confidence", "min_rr")


@dataclass(slots=True)
class EngineState:
    preset: str
    cfg: EngineConfig
    f: Features
    base_ms: int
    warm: np.ndarray
    component_scores: dict[str, np.ndarray]
    component_weights: dict[str, np.ndarray]
    component_reasons: ReasonsFn
    score: np.ndarray
    candidate: np.ndarray
    confidence: np.ndarray
    regime: np.ndarray
    mtf_timeframes: tuple[str, ...]
    mtf_trends: np.ndarray
    mtf_status: np.ndarray
    fbd_score: np.ndarray
    fbd_attempt: np.ndarray
    fbd_terms: tuple[np.ndarray, np.ndarray, np.ndarray]
    fbd_threshold: float
    snapshot_keys: tuple[str, ...]
    anomaly: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    levels: LevelArrays | None = None
    rejected: dict[str, np.ndarray] = field(default_factory=dict)
    direction: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    def __len__(self) -> int:
        return len(self.score)


def finalize(state: EngineState) -> EngineState:
    """Apply the shared filters and compute levels; sets `direction` (issued side)."""
    f, cfg = state.f, state.cfg
    cand = state.candidate
    state.anomaly = filters.anomaly(f["atr"], f["atr_median"], cfg.anomaly_atr_mult)
    state.levels = compute_levels(cand, f["close"], f["atr"], f["swing_high"], f["swing_low"], cfg)
    active = cand != 0
    with np.errstate(invalid="ignore"):
        fbd_hit = (state.fbd_attempt != 0) & (state.fbd_score >= state.fbd_threshold)
        state.rejected = {
            # The anomaly block and a rejected breakout are reported whenever they fire
            # (unless the candidate goes the other way); the others only stop a candidate.
            "anomaly_atr": state.anomaly,
            "false_breakout": fbd_hit & (cand != -state.fbd_attempt),
            "low_confidence": active & (state.confidence < cfg.min_confidence),
            "min_rr": active & ~(state.levels.rr >= cfg.min_rr),
        }
    blocked = np.zeros(len(cand), dtype=bool)
    for mask in state.rejected.values():
        blocked |= mask
    state.direction = np.where(blocked, 0, cand).astype(np.int8)
    return state


def signal_frame(state: EngineState) -> SignalFrame:
    """Issued signals only; exits are left to the stop and targets (exit column zero)."""
    assert state.levels is not None, "finalize() first"
    issued = state.direction != 0
    lv = state.levels

    def only(x: np.ndarray) -> np.ndarray:
        return np.where(issued, x, np.nan)

    return SignalFrame(
        direction=state.direction.copy(),
        confidence=np.where(issued, state.confidence, 0.0),
        stop=only(lv.stop),
        tp1=only(lv.tp1),
        tp2=only(lv.tp2),
        tp3=only(lv.tp3),
        exit=np.zeros(len(state), dtype=np.int8),
    )


class PresetStrategy:
    """A preset's ``analyse(frame, cfg)`` bound to its config, as a `Strategy`.

    Subclasses are frozen dataclasses with ``config`` and ``name`` fields that name their
    preset's function in ``engine``: `analyse` keeps the whole per-bar state (cards,
    explanations), `generate` reduces it to the signal columns backtests read.
    """

    __slots__ = ()
    config: EngineConfig
    engine: ClassVar[Callable[[pd.DataFrame, Any], EngineState]]

    def analyse(self, frame: pd.DataFrame) -> EngineState:
        return type(self).engine(frame, self.config)

    def generate(self, frame: pd.DataFrame) -> SignalFrame:
        return signal_frame(self.analyse(frame))


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def rejection_reasons(state: EngineState, i: int) -> tuple[Reason, ...]:
    f, cfg = state.f, state.cfg
    out: list[Reason] = []
    for code in REJECTIONS:
        if not state.rejected[code][i]:
            continue
        if code == "anomaly_atr":
            out.append(
                filters.anomaly_reason(f["atr"][i], f["atr_median"][i], cfg.anomaly_atr_mult)
            )
        elif code == "false_breakout":
            params = {
                "score": _num(state.fbd_score[i]),
                "threshold": state.fbd_threshold,
                "side": "up" if state.fbd_attempt[i] > 0 else "down",
            }
            out.append(Reason("false_breakout", params))
        elif code == "low_confidence":
            params = {"confidence": _num(state.confidence[i]), "minimum": cfg.min_confidence}
            out.append(Reason("low_confidence", params))
        else:
            assert state.levels is not None
            out.append(Reason("min_rr", {"rr": _num(state.levels.rr[i]), "minimum": cfg.min_rr}))
    return tuple(out)


def details(state: EngineState, i: int) -> SignalDetails:
    """The explanation of bar i (negative i counts from the end, -1 = last closed bar)."""
    n = len(state)
    if not -n <= i < n:
        raise IndexError(f"bar {i} is outside a frame of {n} bars")
    i %= n
    assert state.levels is not None, "finalize() first"
    f = state.f
    components = tuple(
        Component(
            name=name,
            score=float(np.nan_to_num(scores[i])),
            weight=float(state.component_weights[name][i]),
            reasons=state.component_reasons(name, i) if state.warm[i] else (),
        )
        for name, scores in state.component_scores.items()
    )
    attempt = int(state.fbd_attempt[i])
    level = f["level_up"][i] if attempt > 0 else f["level_down"][i] if attempt < 0 else np.nan
    vol_t, inside_t, wick_t = (float(t[i]) for t in state.fbd_terms)
    fbd = FalseBreakoutInfo(
        score=float(state.fbd_score[i]),
        threshold=state.fbd_threshold,
        attempt=attempt,
        rejected=bool(attempt != 0 and state.fbd_score[i] >= state.fbd_threshold),
        reasons=filters.false_breakout_reasons(vol_t, inside_t, wick_t, f["volume_ratio"][i], level)
        if attempt
        else (),
    )
    rejections = rejection_reasons(state, i)
    if not state.warm[i]:
        rejections = (Reason("warming_up", {"bars": n}), *rejections)
    candidate = int(state.candidate[i])
    return SignalDetails(
        preset=state.preset,
        bar_time=int(f["timestamp"][i]),
        timeframe_ms=state.base_ms,
        direction=int(state.direction[i]),
        candidate_direction=candidate,
        score=float(np.nan_to_num(state.score[i])),
        confidence=float(state.confidence[i]),
        components=components,
        regime=REGIMES[int(state.regime[i])],
        mtf=mtf.mtf_info(state.mtf_timeframes, state.mtf_trends, int(state.mtf_status[i]), i),
        false_breakout=fbd,
        snapshot={k: _num(f[k][i]) for k in state.snapshot_keys},
        levels=state.levels.at(i, f["close"][i]) if candidate else None,
        rejections=rejections,
    )
