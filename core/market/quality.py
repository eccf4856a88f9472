"""Candle data quality: what is wrong with a frame, reported, never repaired.

Gaps are listed (first missing open time and count) and never forward-filled:
an indicator fed a made-up flat candle would lie. Completeness is the share of
expected candles present between the first and last timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.market.frame import normalize_frame
from core.market.timeframes import timeframe_anchor, timeframe_ms

_HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class Gap:
    start_ts: int  # open time of the first missing candle
    missing: int  # number of consecutive missing candles

    def to_dict(self) -> dict[str, int]:
        return {"start_ts": self.start_ts, "missing": self.missing}


@dataclass(frozen=True, slots=True)
class QualityReport:
    timeframe: str
    rows: int
    first_ts: int | None
    last_ts: int | None
    expected: int
    gaps: tuple[Gap, ...] = ()
    duplicates: int = 0
    unsorted: int = 0
    misaligned: int = 0
    utc_offset_hours: float | None = None  # set when all stamps share a non-UTC shift
    nan_rows: int = 0
    nonpositive_price_rows: int = 0
    negative_volume_rows: int = 0
    ohlc_violations: int = 0
    open_candle: bool = False
    future_rows: int = 0
    samples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return sum(g.missing for g in self.gaps)

    @property
    def completeness(self) -> float:
        """Present aligned candles / expected candles in [first, last]; 1.0 when empty."""
        if self.expected <= 0:
            return 1.0
        return max(0.0, min(1.0, (self.expected - self.missing) / self.expected))

    def issues(self) -> dict[str, int]:
        """Non-zero problem counts by code; empty means the frame is clean."""
        counts = {
            "gaps": len(self.gaps),
            "duplicates": self.duplicates,
            "unsorted": self.unsorted,
            "misaligned": self.misaligned,
            "nan": self.nan_rows,
            "nonpositive_price": self.nonpositive_price_rows,
            "negative_volume": self.negative_volume_rows,
            "ohlc": self.ohlc_violations,
            "open_candle": int(self.open_candle),
            "future": self.future_rows,
        }
        return {k: v for k, v in counts.items() if v}

    @property
    def ok(self) -> bool:
        return not self.issues()

    def to_dict(self) -> dict[str, object]:
        return {
            "timeframe": self.timeframe,
            "rows": self.rows,
            "first_ts": self.first_ts,
            "last_ts": self.last_ts,
            "expected": self.expected,
            "missing": self.missing,
            "completeness": round(self.completeness, 6),
            "gaps": [g.to_dict() for g in self.gaps],
            "issues": self.issues(),
            "utc_offset_hours": self.utc_offset_hours,
            "samples": self.samples,
        }


def find_gaps(timestamps: np.ndarray, timeframe: str) -> list[Gap]:
    """Gaps in sorted, unique, aligned open times."""
    step = timeframe_ms(timeframe)
    ts = np.asarray(timestamps, dtype=np.int64)
    if len(ts) < 2:
        return []
    diffs = np.diff(ts)
    where = np.flatnonzero(diffs > step)
    return [Gap(int(ts[i] + step), int(diffs[i] // step - 1)) for i in where]


def check_frame(frame: pd.DataFrame, timeframe: str, *, now_ms: int | None = None) -> QualityReport:
    """Inspect a raw frame (possibly unsorted, duplicated, misaligned) for problems."""
    step = timeframe_ms(timeframe)
    n = len(frame)
    if n == 0:
        return QualityReport(timeframe=timeframe, rows=0, first_ts=None, last_ts=None, expected=0)
    ts_raw = pd.to_numeric(frame["timestamp"], errors="coerce").to_numpy(np.float64)
    prices = frame[["open", "high", "low", "close"]].apply(pd.to_numeric, errors="coerce")
    p = prices.to_numpy(np.float64)
    vol = pd.to_numeric(frame["volume"], errors="coerce").to_numpy(np.float64)
    samples: dict[str, list[int]] = {}

    def note(code: str, mask: np.ndarray) -> int:
        idx = np.flatnonzero(mask)
        if len(idx):
            samples[code] = [int(i) for i in idx[:5]]
        return len(idx)

    nan_rows = note("nan", np.isnan(p).any(axis=1) | np.isnan(vol) | np.isnan(ts_raw))
    valid_ts = ~np.isnan(ts_raw)
    ts = ts_raw[valid_ts].astype(np.int64)
    unsorted = note("unsorted", np.r_[False, np.diff(ts) < 0])
    duplicates = note("duplicates", pd.Series(ts).duplicated().to_numpy())
    anchor = timeframe_anchor(timeframe)
    aligned_mask = (ts - anchor) % step == 0
    misaligned = note("misaligned", ~aligned_mask)
    offset_h = _common_offset_hours(ts - anchor, step) if misaligned == len(ts) else None

    with np.errstate(invalid="ignore"):
        nonpos = note("nonpositive_price", (p <= 0).any(axis=1))
        negvol = note("negative_volume", vol < 0)
        o, h, low, c = p.T
        ohlc = note("ohlc", (h < np.maximum(o, c)) | (low > np.minimum(o, c)) | (h < low))

    uniq = np.unique(ts)
    aligned = uniq[(uniq - anchor) % step == 0]
    gaps = tuple(find_gaps(aligned, timeframe))
    first, last = (int(uniq[0]), int(uniq[-1])) if len(uniq) else (None, None)
    expected = (last - first) // step + 1 if first is not None else 0

    open_candle = False
    future = 0
    if now_ms is not None and len(uniq):
        open_candle = bool(((uniq <= now_ms) & (uniq + step > now_ms)).any())
        future = note("future", ts > now_ms)
    return QualityReport(
        timeframe=timeframe,
        rows=n,
        first_ts=first,
        last_ts=last,
        expected=int(expected),
        gaps=gaps,
        duplicates=duplicates,
        unsorted=unsorted,
        misaligned=misaligned,
        utc_offset_hours=offset_h,
        nan_rows=nan_rows,
        nonpositive_price_rows=nonpos,
        negative_volume_rows=negvol,
        ohlc_violations=ohlc,
        open_candle=open_candle,
        future_rows=future,
        samples=samples,
    )


def _common_offset_hours(ts: np.ndarray, step: int) -> float | None:
    """A constant shift of every stamp from UTC boundaries (local-time export)."""
    offsets = np.unique(ts % step)
    if len(offsets) != 1:
        return None
    off = int(offsets[0])
    if off > step // 2:
        off -= step
    return off / _HOUR_MS


def valid_rows(frame: pd.DataFrame, timeframe: str) -> pd.DataFrame:
    """Only rows that are real candles on the timeframe's UTC grid (finite, positive
    prices, non-negative volume, consistent OHLC), sorted and de-duplicated. What is
    dropped becomes a gap: never guessed, never filled."""
    numeric = frame.loc[:, ["timestamp", "open", "high", "low", "close", "volume"]].apply(
        pd.to_numeric, errors="coerce"
    )
    ts = numeric["timestamp"].to_numpy(np.float64)
    p = numeric[["open", "high", "low", "close"]].to_numpy(np.float64)
    vol = numeric["volume"].to_numpy(np.float64)
    step = timeframe_ms(timeframe)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(ts) & np.isfinite(p).all(axis=1) & np.isfinite(vol)
        ok &= (p > 0).all(axis=1) & (vol >= 0)
        o, h, low, c = p.T
        ok &= (h >= np.maximum(o, c)) & (low <= np.minimum(o, c))
        ok &= np.where(np.isfinite(ts), (ts - timeframe_anchor(timeframe)) % step == 0, False)
    return normalize_frame(numeric[ok])
