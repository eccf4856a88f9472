"""Which candle open times a request means, the same way for every provider.

`limit` alone: the newest N closed candles. `since` (rounded up to a boundary):
candles from there, at most `limit`. `until` caps the end; nothing that is still
open at "now" is ever included.
"""

from __future__ import annotations

import pandas as pd

from core.market.timeframes import floor_ts, last_closed_open, timeframe_ms


def candle_window(
    timeframe: str,
    now_ms: int,
    *,
    limit: int | None,
    since: int | None,
    until: int | None,
    default_limit: int,
) -> tuple[int, int]:
    """(first open, last open) inclusive; last < first means nothing is wanted."""
    step = timeframe_ms(timeframe)
    end = last_closed_open(now_ms, timeframe)
    if until is not None:
        end = min(end, floor_ts(int(until), timeframe))
    if since is not None:
        start = floor_ts(int(since), timeframe)
        if start < since:
            start += step
        if limit is not None:
            end = min(end, start + (max(limit, 1) - 1) * step)
        return start, end
    n = default_limit if limit is None else max(int(limit), 1)
    return end - (n - 1) * step, end


def result_age_s(frame: pd.DataFrame, timeframe: str, now_ms: int) -> float | None:
    """Seconds since the newest candle in `frame` closed."""
    if frame.empty:
        return None
    close_ms = int(frame["timestamp"].iloc[-1]) + timeframe_ms(timeframe)
    return max(0.0, (now_ms - close_ms) / 1000)
