"""Entry, stop, three take-profits and risk/reward for every bar at once.

The stop sits beyond the last confirmed swing when that swing is a sensible distance
away (between `swing_min_atr` and `swing_max_atr` ATRs), otherwise `stop_atr` ATRs
from the entry. Targets are ATR multiples from the entry; `rr` weights each target's
R multiple by the share of the position it closes (50/30/20).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.strategies.base import TP_SPLIT, Levels
from core.strategies.config import EngineConfig


@dataclass(frozen=True, slots=True)
class LevelArrays:
    stop: np.ndarray
    tp1: np.ndarray
    tp2: np.ndarray
    tp3: np.ndarray
    rr: np.ndarray
    rr_tp: tuple[np.ndarray, np.ndarray, np.ndarray]
    swing_basis: np.ndarray

    def at(self, i: int, entry: float) -> Levels | None:
        if not np.isfinite(self.stop[i]):
            return None
        return Levels(
            entry=float(entry),
            stop=float(self.stop[i]),
            tp1=float(self.tp1[i]),
            tp2=float(self.tp2[i]),
            tp3=float(self.tp3[i]),
            rr=float(self.rr[i]),
            rr_tp1=float(self.rr_tp[0][i]),
            rr_tp2=float(self.rr_tp[1][i]),
            rr_tp3=float(self.rr_tp[2][i]),
            stop_basis="swing" if self.swing_basis[i] else "atr",
        )


def compute_levels(
    side: np.ndarray,
    close: np.ndarray,
    atr: np.ndarray,
    swing_high: np.ndarray,
    swing_low: np.ndarray,
    cfg: EngineConfig,
) -> LevelArrays:
    """Levels for a position on `side` (1 long, -1 short) entered at the close; NaN where
    `side` is 0 or ATR is not known yet."""
    sgn = side.astype(np.float64)
    valid = (side != 0) & np.isfinite(atr) & (atr > 0)
    atr_stop = close - sgn * cfg.stop_atr * atr
    stop = atr_stop
    swing_basis = np.zeros(len(close), dtype=bool)
    if cfg.use_swing_stop:
        swing = np.where(side > 0, swing_low, swing_high)
        swing_stop = swing - sgn * cfg.swing_buffer_atr * atr
        with np.errstate(invalid="ignore"):
            distance = sgn * (close - swing_stop)
            swing_basis = (
                valid
                & (distance >= cfg.swing_min_atr * atr)
                & (distance <= cfg.swing_max_atr * atr)
            )
        stop = np.where(swing_basis, swing_stop, atr_stop)
    stop = np.where(valid, stop, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = np.abs(close - stop)
        tps = tuple(np.where(valid, close + sgn * m * atr, np.nan) for m in cfg.tp_atr)
        rr_tp = tuple(np.abs(tp - close) / risk for tp in tps)
    rr = TP_SPLIT[0] * rr_tp[0] + TP_SPLIT[1] * rr_tp[1] + TP_SPLIT[2] * rr_tp[2]
    return LevelArrays(stop, tps[0], tps[1], tps[2], rr, rr_tp, swing_basis)
