"""Timeframe arithmetic and resampling against real Binance candles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.market.csv import read_candles
from core.market.frame import frame_from_arrays, slice_frame
from core.market.timeframes import (
    InvalidTimeframe,
    can_resample,
    closed_only,
    floor_ts,
    last_closed_open,
    resample,
    timeframe_ms,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
H = 3_600_000


def test_timeframe_ms_and_bad_input() -> None:
    assert timeframe_ms("1m") == 60_000
    assert timeframe_ms("4h") == 4 * H
    assert timeframe_ms("1d") == 24 * H
    assert timeframe_ms("1w") == 7 * 24 * H
    for bad in ("", "0h", "1y", "h1", "1.5h", "-1h", "1 h"):
        with pytest.raises(InvalidTimeframe):
            timeframe_ms(bad)


def test_floor_and_last_closed_use_utc_boundaries() -> None:
    # 2024-01-03 (a Wednesday) 05:30 UTC
    now = 1704259800000
    assert floor_ts(now, "4h") == 1704254400000  # 04:00
    assert floor_ts(now, "1d") == 1704240000000  # 00:00
    assert floor_ts(now, "1w") == 1704067200000  # Monday 2024-01-01 00:00
    assert last_closed_open(now, "1h") == now - 30 * 60_000 - H  # the 04:00 candle
    assert last_closed_open(1704254400000, "4h") == 1704254400000 - 4 * H


def test_closed_only_drops_open_and_future_candles() -> None:
    ts = np.arange(10, dtype=np.int64) * H
    frame = frame_from_arrays(ts, *(np.ones(10),) * 5)
    assert closed_only(frame, "1h", 5 * H)["timestamp"].tolist() == list(ts[:5])
    assert closed_only(frame, "1h", 5 * H + 1)["timestamp"].tolist() == list(ts[:5])
    assert closed_only(frame, "1h", 6 * H)["timestamp"].tolist() == list(ts[:6])


@pytest.mark.parametrize(
    ("source", "target", "rows"),
    [("binance_BTC-USDT_1h.csv.gz", "1d", 526), ("binance_BTC-USDT_5m.csv.gz", "4h", 787)],
)
def test_resample_matches_exchange_candles(source: str, target: str, rows: int) -> None:
    """The data README found these overlaps identical; our resample must agree."""
    low = read_candles(DATA / source)
    high = read_candles(DATA / source.replace(source.split("_")[-1], f"{target}.csv.gz"))
    merged = high.merge(resample(low, target), on="timestamp", suffixes=("_x", "_y"))
    assert len(merged) == rows
    for col in ("open", "high", "low", "close", "volume"):
        np.testing.assert_allclose(merged[f"{col}_x"], merged[f"{col}_y"], rtol=1e-12)


def test_resample_keeps_only_complete_bars() -> None:
    # 1h candles from 01:00 to 13:00 with 06:00 missing: the 00-04 bar lacks 00:00,
    # the 04-08 bar lacks 06:00, the 12-16 bar is unfinished; only 08-12 survives.
    hours = [h for h in range(1, 14) if h != 6]
    ts = np.array(hours, dtype=np.int64) * H
    close = np.arange(len(ts), dtype=float) + 100
    frame = frame_from_arrays(ts, close - 0.5, close + 1, close - 1, close, np.ones(len(ts)))
    out = resample(frame, "4h")
    assert out["timestamp"].tolist() == [8 * H]
    row = out.iloc[0]
    part = frame[(frame.timestamp >= 8 * H) & (frame.timestamp < 12 * H)]
    assert row.open == part.open.iloc[0] and row.close == part.close.iloc[-1]
    assert row.high == part.high.max() and row.low == part.low.min() and row.volume == 4.0
    assert out.dtypes["timestamp"] == np.int64


def test_can_resample() -> None:
    assert can_resample("1h", "4h") and can_resample("1h", "1d") and can_resample("15m", "1h")
    assert not can_resample("4h", "1h") and not can_resample("1h", "1h")
    assert can_resample("3m", "1h") and can_resample("1d", "1w")
    assert not can_resample("7m", "1h")


def test_slice_frame_semantics() -> None:
    ts = np.arange(10, dtype=np.int64) * H
    frame = pd.DataFrame({"timestamp": ts, "open": 1.0, "high": 1.0, "low": 1.0,
                          "close": 1.0, "volume": 1.0})  # fmt: skip
    assert slice_frame(frame, limit=3)["timestamp"].tolist() == list(ts[-3:])
    assert slice_frame(frame, since=2 * H, limit=3)["timestamp"].tolist() == list(ts[2:5])
    assert slice_frame(frame, until=4 * H, limit=2)["timestamp"].tolist() == list(ts[3:5])
    assert slice_frame(frame, since=H, until=3 * H)["timestamp"].tolist() == list(ts[1:4])
