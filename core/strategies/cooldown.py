"""The cooldown rule: one issued signal per symbol and direction per `cooldown_ms`.

One rule, two entry points, so history and live cannot drift apart:
`cooldown_allows` is the check (live: the service passes the bar time of the last signal
it issued for the symbol and direction); `apply_cooldown` runs that same check along a
signal series (history, backtests). Times are the signal bars' open times in ms.
"""

from __future__ import annotations

import numpy as np

from core.strategies.base import SignalFrame


def cooldown_allows(last_signal_ms: int | None, bar_time_ms: int, cooldown_ms: int) -> bool:
    """True when a signal at `bar_time_ms` may be issued after one at `last_signal_ms`."""
    return last_signal_ms is None or bar_time_ms - last_signal_ms >= cooldown_ms


def cooldown_mask(timestamps: np.ndarray, direction: np.ndarray, cooldown_ms: int) -> np.ndarray:
    """Boolean mask of the raw signals that survive the cooldown, scanning forward.

    A signal suppressed by the cooldown does not restart it: only issued signals count,
    exactly as live, where only issued signals are stored.
    """
    keep = np.zeros(len(direction), dtype=bool)
    last: dict[int, int | None] = {1: None, -1: None}
    for i in np.flatnonzero(direction):
        side = int(direction[i])
        t = int(timestamps[i])
        if cooldown_allows(last[side], t, cooldown_ms):
            keep[i] = True
            last[side] = t
    return keep


def apply_cooldown(signals: SignalFrame, timestamps: np.ndarray, cooldown_ms: int) -> SignalFrame:
    """A copy of `signals` where cooled-down entries are cleared (levels set to NaN)."""
    keep = cooldown_mask(timestamps, signals.direction, cooldown_ms)
    drop = (signals.direction != 0) & ~keep
    out = SignalFrame(
        direction=signals.direction.copy(),
        confidence=signals.confidence.copy(),
        stop=signals.stop.copy(),
        tp1=signals.tp1.copy(),
        tp2=signals.tp2.copy(),
        tp3=signals.tp3.copy(),
        exit=signals.exit.copy(),
    )
    out.direction[drop] = 0
    out.confidence[drop] = 0.0
    for column in (out.stop, out.tp1, out.tp2, out.tp3):
        column[drop] = np.nan
    return out
