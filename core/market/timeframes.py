"""Timeframe arithmetic and resampling on UTC boundaries.

Candles are keyed by open time; a candle is closed when `open + tf <= now`. Higher
timeframes are built only from complete groups of lower candles: a 4h bar with a
missing hour would silently misstate the high/low/volume, so it is dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.market.frame import empty_frame, frame_from_arrays

_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_TF_RE = re.compile(r"^([1-9][0-9]*)([mhdw])$")

# Timeframes the bot offers; anything matching the pattern works in the helpers.
TIMEFRAMES: tuple[str, ...] = (
    "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "1w",
)  # fmt: skip

# Monday 1970-01-05 00:00 UTC: weekly bars start on Mondays, like Binance's.
_WEEK_ANCHOR_MS = 4 * 86_400_000


class InvalidTimeframe(ValueError):
    def __init__(self, timeframe: str) -> None:
        super().__init__(f"invalid timeframe: {timeframe!r}")
        self.timeframe = timeframe


def timeframe_ms(timeframe: str) -> int:
    """Length of one candle in milliseconds: `timeframe_ms("4h") == 14_400_000`."""
    match = _TF_RE.match(timeframe.strip()) if isinstance(timeframe, str) else None
    if match is None:
        raise InvalidTimeframe(str(timeframe))
    return int(match.group(1)) * _UNIT_MS[match.group(2)]


def is_timeframe(timeframe: str) -> bool:
    try:
        timeframe_ms(timeframe)
    except InvalidTimeframe:
        return False
    return True


def timeframe_anchor(timeframe: str) -> int:
    """Offset of candle boundaries from the epoch (weekly bars open on Monday)."""
    return _WEEK_ANCHOR_MS if timeframe.endswith("w") else 0


def floor_ts(ts_ms: int, timeframe: str) -> int:
    """Open time of the candle containing `ts_ms` (UTC boundaries)."""
    step = timeframe_ms(timeframe)
    anchor = timeframe_anchor(timeframe)
    return (ts_ms - anchor) // step * step + anchor


def last_closed_open(now_ms: int, timeframe: str) -> int:
    """Open time of the newest candle that is closed at `now_ms`."""
    return floor_ts(now_ms, timeframe) - timeframe_ms(timeframe)


def closed_only(frame: pd.DataFrame, timeframe: str, now_ms: int) -> pd.DataFrame:
    """Drop candles that are still open (or in the future) at `now_ms`."""
    cutoff = now_ms - timeframe_ms(timeframe)
    ts = frame["timestamp"].to_numpy()
    end = int(np.searchsorted(ts, cutoff, side="right"))
    if end == len(ts):
        return frame
    return frame.iloc[:end].reset_index(drop=True)


def can_resample(source: str, target: str) -> bool:
    """True when whole `source` candles tile every `target` candle."""
    src, dst = timeframe_ms(source), timeframe_ms(target)
    if dst <= src or dst % src:
        return False
    return (timeframe_anchor(target) - timeframe_anchor(source)) % src == 0


def resample(frame: pd.DataFrame, timeframe: str, *, source: str | None = None) -> pd.DataFrame:
    """Aggregate a lower-timeframe frame into `timeframe` candles with UTC boundaries.

    Only complete higher-timeframe bars are returned (every constituent candle
    present), so a gap or a still-forming period never produces a misleading bar.
    `source` defaults to the smallest spacing found in the frame.
    """
    step = timeframe_ms(timeframe)
    if len(frame) == 0:
        return empty_frame()
    ts = frame["timestamp"].to_numpy(dtype=np.int64)
    if source is not None:
        src = timeframe_ms(source)
    elif len(ts) > 1:
        src = int(np.diff(ts).min())
    else:
        src = step
    if step % src:
        raise InvalidTimeframe(timeframe)
    per_bar = step // src
    anchor = timeframe_anchor(timeframe)
    groups = (ts - anchor) // step * step + anchor
    # Boundaries of runs of equal group keys (ts is sorted, so groups are too).
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    counts = np.diff(np.r_[starts, len(ts)])
    complete = counts == per_bar
    if not complete.any():
        return empty_frame()
    starts = starts[complete]
    ends = starts + per_bar
    high, low, volume = _reduce_runs(frame, starts, ends)
    return frame_from_arrays(
        groups[starts],
        frame["open"].to_numpy(np.float64)[starts],
        high,
        low,
        frame["close"].to_numpy(np.float64)[ends - 1],
        volume,
    )


def _reduce_runs(
    frame: pd.DataFrame, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """High max, low min and volume sum over each [start, end) run."""
    idx = np.empty(2 * len(starts), dtype=np.int64)
    idx[0::2] = starts
    idx[1::2] = ends
    n = len(frame)

    # reduceat needs indices < n; pad the arrays by one dummy row.
    def pad(col: str, fill: float) -> np.ndarray:
        return np.r_[frame[col].to_numpy(np.float64), fill]

    idx = np.minimum(idx, n)
    high = np.maximum.reduceat(pad("high", -np.inf), idx)[0::2]
    low = np.minimum.reduceat(pad("low", np.inf), idx)[0::2]
    volume = np.add.reduceat(pad("volume", 0.0), idx)[0::2]
    return high, low, volume
