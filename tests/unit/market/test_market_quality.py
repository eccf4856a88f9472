"""The quality checker on the shared files (README gaps) and on injected faults."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.market.csv import parse_file_name, read_candles
from core.market.frame import frame_from_arrays
from core.market.quality import Gap, check_frame

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
H = 3_600_000


def _ms(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp() * 1000)


# Copied from ../shared/data/ohlcv/README.md, "Gaps".
BTC_1H_GAPS = [
    ("2017-09-06 17:00", 6), ("2018-01-04 04:00", 1), ("2018-02-08 01:00", 33),
    ("2018-06-26 02:00", 10), ("2018-06-27 13:00", 1), ("2018-07-04 01:00", 7),
    ("2018-10-19 06:00", 3), ("2018-11-14 02:00", 7), ("2019-03-12 02:00", 6),
    ("2019-05-15 03:00", 10), ("2019-08-15 02:00", 8), ("2019-11-13 02:00", 2),
    ("2019-11-25 02:00", 2), ("2020-02-09 02:00", 1), ("2020-02-19 12:00", 5),
    ("2020-03-04 10:00", 1), ("2020-04-25 02:00", 2), ("2020-06-28 02:00", 3),
    ("2020-11-30 06:00", 1), ("2020-12-21 14:00", 4), ("2020-12-25 02:00", 1),
    ("2021-02-11 04:00", 1), ("2021-03-06 02:00", 1), ("2021-04-20 02:00", 2),
    ("2021-04-25 05:00", 3), ("2021-08-13 02:00", 4), ("2021-09-29 07:00", 2),
    ("2023-03-24 13:00", 1),
]  # fmt: skip
ALT_1H_GAPS = [
    ("2021-04-20 02:00", 2), ("2021-04-25 05:00", 3), ("2021-08-13 02:00", 4),
    ("2021-09-29 07:00", 2), ("2023-03-24 13:00", 1),
]  # fmt: skip


def test_btc_1h_gaps_match_the_readme() -> None:
    report = check_frame(read_candles(DATA / "binance_BTC-USDT_1h.csv.gz"), "1h")
    assert report.rows == 58419
    assert list(report.gaps) == [Gap(_ms(t), n) for t, n in BTC_1H_GAPS]
    assert report.missing == 128
    assert round(report.completeness * 100, 2) == 99.78
    assert report.issues() == {"gaps": 28}


@pytest.mark.parametrize("base", ["ETH", "SOL", "XRP", "BNB", "DOGE", "ADA"])
def test_alt_1h_gaps_match_the_readme(base: str) -> None:
    report = check_frame(read_candles(DATA / f"binance_{base}-USDT_1h.csv.gz"), "1h")
    assert list(report.gaps) == [Gap(_ms(t), n) for t, n in ALT_1H_GAPS]


def test_gapless_files_are_clean() -> None:
    for path in sorted(DATA.glob("*.csv.gz")):
        name = parse_file_name(path)
        assert name is not None
        if name.timeframe == "1h":
            continue
        report = check_frame(read_candles(path), name.timeframe)
        assert report.ok, (path.name, report.issues())
        assert report.completeness == 1.0


def _clean(n: int = 48) -> pd.DataFrame:
    ts = 1_700_000_000_000 // H * H + np.arange(n, dtype=np.int64) * H
    close = 100 + np.sin(np.arange(n))
    return frame_from_arrays(ts, close, close + 1, close - 1, close, np.full(n, 5.0))


def test_injected_faults_are_each_reported() -> None:
    frame = _clean()
    assert check_frame(frame, "1h").ok
    bad = frame.copy()
    bad.loc[3, "close"] = np.nan  # NaN
    bad.loc[5, "open"] = 0.0  # zero price
    bad.loc[7, "high"] = bad.loc[7, "close"] - 5  # high below close
    bad.loc[9, "volume"] = -1.0
    bad = pd.concat([bad, bad.iloc[[10]]], ignore_index=True)  # a duplicate
    bad = bad.drop(index=[20, 21, 22])  # a 3-candle gap
    bad.loc[30, "timestamp"] += 60_000  # off the hour grid
    report = check_frame(bad.reset_index(drop=True), "1h")
    issues = report.issues()
    assert issues["nan"] == 1
    assert issues["nonpositive_price"] == 1
    assert issues["ohlc"] >= 1
    assert issues["negative_volume"] == 1
    assert issues["duplicates"] == 1
    assert issues["unsorted"] == 1  # the appended duplicate goes back in time
    assert issues["misaligned"] == 1
    t0 = int(frame.timestamp.iloc[0])
    assert Gap(t0 + 20 * H, 3) in report.gaps


def test_open_candle_and_future_rows_need_a_clock() -> None:
    frame = _clean(10)
    last = int(frame.timestamp.iloc[-1])
    assert not check_frame(frame, "1h", now_ms=last + H).open_candle
    report = check_frame(frame, "1h", now_ms=last + 10 * 60_000)
    assert report.open_candle and report.issues() == {"open_candle": 1}
    assert check_frame(frame, "1h", now_ms=last - 1).future_rows == 1


def test_local_time_export_is_recognised() -> None:
    frame = _clean(24)
    day = 24 * H
    # Daily candles stamped at local midnight of a UTC-03:30 exchange export.
    frame["timestamp"] = 1_700_006_400_000 + np.arange(24, dtype=np.int64) * day + 3 * H + 1_800_000
    report = check_frame(frame, "1d")
    assert report.misaligned == 24
    assert report.utc_offset_hours == 3.5
