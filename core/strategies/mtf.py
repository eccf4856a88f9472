"""Multi-timeframe confirmation computed from the base frame itself.

Higher-timeframe bars are built by resampling the base candles (UTC boundaries, complete
bars only), so live and backtest see exactly the same thing. At base bar t only HTF bars
that have *closed* by the close of bar t are used: a 4h bar opening at T is visible from
the base bar whose close time is >= T + 4h, never earlier.
"""

from __future__ import annotations

import numpy as np

from core import indicators as ind
from core.market.timeframes import timeframe_anchor, timeframe_ms
from core.strategies.base import MtfInfo, MtfStatus

NOT_APPLICABLE, CONFIRMED, PARTIAL, CONFLICT, UNAVAILABLE = range(5)
STATUS_NAMES: tuple[MtfStatus, ...] = (
    "not_applicable",
    "confirmed",
    "partial",
    "conflict",
    "unavailable",
)


def applicable_timeframes(timeframes: tuple[str, ...], base_ms: int) -> tuple[str, ...]:
    """The confirming timeframes that are whole multiples above the base."""
    if base_ms <= 0:
        return ()
    out = []
    for tf in timeframes:
        step = timeframe_ms(tf)
        if step > base_ms and step % base_ms == 0:
            out.append(tf)
    return tuple(out)


def complete_closes(
    ts: np.ndarray, close: np.ndarray, base_ms: int, htf_ms: int, anchor: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(open time, close) of every complete `htf_ms` bar built from base candles.

    The same rule as `core.market.timeframes.resample` (UTC boundaries; a bar counts only
    when every constituent candle is present), reduced to the closes the trend needs:
    building full OHLCV frames cost more than the rest of a 1000-candle analysis.
    """
    groups = (ts - anchor) // htf_ms * htf_ms + anchor
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    counts = np.diff(np.r_[starts, len(ts)])
    complete = counts == htf_ms // base_ms
    ends = starts[complete] + counts[complete] - 1
    return groups[ends], close[ends]


def htf_trend(
    ts: np.ndarray,
    close: np.ndarray,
    base_ms: int,
    timeframe: str,
    ema_fast: int,
    ema_slow: int,
) -> np.ndarray:
    """Per base bar: the trend of the last closed `timeframe` bar.

    1 when EMA(fast) > EMA(slow) and the close is above EMA(slow), -1 for the mirror,
    0 otherwise, NaN while the HTF EMAs are warming up or no HTF bar has closed yet.
    """
    step = timeframe_ms(timeframe)
    out = np.full(len(ts), np.nan)
    htf_open, htf_close = complete_closes(ts, close, base_ms, step, timeframe_anchor(timeframe))
    if len(htf_open) == 0:
        return out
    trend = trend_rule(htf_close, ind.ema(htf_close, ema_fast), ind.ema(htf_close, ema_slow))
    pos = np.searchsorted(htf_open + step, ts + base_ms, side="right") - 1
    seen = pos >= 0
    out[seen] = trend[pos[seen]]
    return out


def trend_rule(close: np.ndarray, fast: np.ndarray, slow: np.ndarray) -> np.ndarray:
    """1 when fast > slow and close > slow, -1 for the mirror, 0 otherwise, NaN in warm-up."""
    trend = np.where(
        (fast > slow) & (close > slow), 1.0, np.where((fast < slow) & (close < slow), -1.0, 0.0)
    )
    trend[np.isnan(fast) | np.isnan(slow)] = np.nan
    return trend


def mtf_status(trends: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Status code per bar of the (k, n) HTF trends against `side` (1, -1 or 0)."""
    n = len(side)
    if trends.shape[0] == 0:
        return np.full(n, NOT_APPLICABLE, dtype=np.int8)
    known = ~np.isnan(trends)
    agree = (trends == side) & (side != 0)
    oppose = (trends == -side) & (side != 0)
    status = np.full(n, PARTIAL, dtype=np.int8)
    status[agree.all(axis=0)] = CONFIRMED
    status[~known.any(axis=0)] = UNAVAILABLE
    status[oppose.any(axis=0)] = CONFLICT
    return status


def mtf_factor(status: np.ndarray, *, partial: float, conflict: float) -> np.ndarray:
    """Confidence multiplier: confirmation keeps it, doubt and conflict lower it."""
    table = np.array([1.0, 1.0, partial, conflict, partial])
    return table[status]


def mtf_info(timeframes: tuple[str, ...], trends: np.ndarray, status: int, i: int) -> MtfInfo:
    values: dict[str, int | None] = {}
    for k, tf in enumerate(timeframes):
        v = trends[k, i]
        values[tf] = None if np.isnan(v) else int(v)
    return MtfInfo(status=STATUS_NAMES[status], confirmed=status == CONFIRMED, trends=values)
