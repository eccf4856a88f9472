"""What happened to an issued signal, replayed from the candles after it.

A signal is followed like a position of one unit opened at its stated entry, with
the shared fill rules of `core.fills` (stop wins a bar that touches both, gaps fill
at the open, TP1/TP2/TP3 close 50/30/20 % and TP1 moves the stop to breakeven), no
fees and no slippage: hit rates and R describe the signal, not an account. The
whole path is replayed on every pass from the signal bar, so the result is a pure
function of the candles and a re-run can never double count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.fills import PositionState, close_position, step_position


@dataclass(frozen=True)
class Outcome:
    status: str  # active, tp1, tp2 (open) or tp3, sl, breakeven, expired (final)
    tp_hit: int
    tp_ms: tuple[int | None, int | None, int | None]
    sl_ms: int | None
    closed_ms: int | None
    r: float  # realized R (at the close for final outcomes, so far for open ones)
    current_stop: float
    checked_ms: int  # open time of the last candle looked at

    @property
    def is_open(self) -> bool:
        return self.closed_ms is None


def follow_signal(
    *,
    side: int,
    entry: float,
    stop: float,
    tps: tuple[float, float, float],
    bar_time: int,
    expires_ms: int,
    candles: pd.DataFrame,
    now_ms: int,
    timeframe_ms: int,
) -> Outcome:
    """Replay the closed candles after `bar_time` (the signal bar) up to expiry.

    Candles that open at or after `expires_ms` are ignored; when `now_ms` has reached
    `expires_ms` and the signal is still open, the remainder is marked at the close
    of the last candle before expiry (status "expired").
    """
    risk = abs(entry - stop)
    if side not in (1, -1) or risk <= 0:
        raise ValueError("a followed signal needs a side and a stop away from the entry")
    state = PositionState(
        side=side,
        entry_price=float(entry),
        qty=1.0,
        remaining=1.0,
        stop=float(stop),
        tp1=float(tps[0]),
        tp2=float(tps[1]),
        tp3=float(tps[2]),
        liq_price=0.0,  # a signal is not a leveraged position
        fee_rate=0.0,
    )
    ts = candles["timestamp"].to_numpy(np.int64)
    keep = (ts > bar_time) & (ts < expires_ms) & (ts + timeframe_ms <= now_ms)
    rows = candles.loc[keep, ["timestamp", "open", "high", "low", "close"]].to_numpy()
    tp_ms: list[int | None] = [None, None, None]
    sl_ms: int | None = None
    closed_ms: int | None = None
    checked = bar_time
    last_close: float | None = None
    status = "active"
    for t, o, h, low, c in rows:
        t = int(t)
        checked = t
        last_close = float(c)
        for fill in step_position(state, float(o), float(h), float(low), float(c)):
            if fill.reason in ("tp1", "tp2", "tp3"):
                tp_ms[int(fill.reason[2]) - 1] = t
                status = fill.reason
            elif fill.reason == "stop":
                sl_ms = t
                status = "sl" if state.next_tp == 1 else "breakeven"
        if not state.is_open:
            closed_ms = t
            break
    if state.is_open and now_ms >= expires_ms:
        if last_close is not None:
            close_position(state, last_close, reason="end")
        status = "expired"
        closed_ms = expires_ms
    realized = sum(f.pnl for f in state.fills if f.kind == "exit")
    return Outcome(
        status=status,
        tp_hit=state.next_tp - 1,
        tp_ms=(tp_ms[0], tp_ms[1], tp_ms[2]),
        sl_ms=sl_ms,
        closed_ms=closed_ms,
        r=float(realized / risk),
        current_stop=float(state.stop),
        checked_ms=checked,
    )
