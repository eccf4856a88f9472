"""The candle frame shape every part of the bot exchanges.

Columns `timestamp` (int64 ms open time, UTC), `open`, `high`, `low`, `close`,
`volume` (float64), sorted, unique, RangeIndex. Building frames in one place keeps
dtypes identical whether the candles came from ccxt, a CSV file, the DB or the sim.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = ("timestamp", "open", "high", "low", "close", "volume")
PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "timestamp": np.empty(0, dtype=np.int64),
            **{c: np.empty(0, dtype=np.float64) for c in COLUMNS[1:]},
        }
    )


def frame_from_arrays(
    timestamp: np.ndarray,
    open_: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "timestamp": np.asarray(timestamp, dtype=np.int64),
            "open": np.asarray(open_, dtype=np.float64),
            "high": np.asarray(high, dtype=np.float64),
            "low": np.asarray(low, dtype=np.float64),
            "close": np.asarray(close, dtype=np.float64),
            "volume": np.asarray(volume, dtype=np.float64),
        }
    )


def frame_from_rows(rows: Sequence[Sequence[float]]) -> pd.DataFrame:
    """Rows of `[ts, o, h, l, c, v]` (ccxt's OHLCV shape or DB tuples) to a clean frame.

    Sorts and drops duplicate timestamps (keeping the last copy), because paginated
    exchange responses overlap at page boundaries.
    """
    if len(rows) == 0:
        return empty_frame()
    arr = np.asarray(rows, dtype=np.float64)
    frame = frame_from_arrays(arr[:, 0].astype(np.int64), *(arr[:, i] for i in range(1, 6)))
    return normalize_frame(frame)


def normalize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted, unique, correctly typed, RangeIndex: the contract shape."""
    out = frame.loc[:, list(COLUMNS)]
    ts = out["timestamp"].to_numpy()
    if len(ts) > 1 and not (np.diff(ts) > 0).all():
        out = out.sort_values("timestamp", kind="stable").drop_duplicates("timestamp", keep="last")
    out = out.astype({"timestamp": np.int64, **{c: np.float64 for c in COLUMNS[1:]}})
    return out.reset_index(drop=True)


def concat_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_frame()
    if len(parts) == 1:
        return normalize_frame(parts[0])
    return normalize_frame(pd.concat(parts, ignore_index=True))


def slice_frame(
    frame: pd.DataFrame,
    *,
    since: int | None = None,
    until: int | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Rows with since <= timestamp <= until.

    `limit` keeps the first `limit` rows when `since` is given (ccxt's paging
    semantics) and otherwise the last `limit` rows (the "latest N" request).
    """
    ts = frame["timestamp"].to_numpy()
    lo = 0 if since is None else int(np.searchsorted(ts, since, side="left"))
    hi = len(ts) if until is None else int(np.searchsorted(ts, until, side="right"))
    if limit is not None:
        if since is not None:
            hi = min(hi, lo + limit)
        else:
            lo = max(lo, hi - limit)
    return frame.iloc[lo:hi].reset_index(drop=True)
