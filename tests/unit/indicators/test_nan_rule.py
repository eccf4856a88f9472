"""The documented NaN rule: a bar with a NaN input is absent — NaN out, and the
indicator over the other bars is exactly what it is with that bar deleted. Leading NaNs
behave as in TA-Lib; an interior NaN does not poison the rest (unlike TA-Lib)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib
from indicator_cases import CASES, Case, assert_agrees

from core import indicators as ind
from core.indicators import compute_all

# NaN holes punched per column; runs of adjacent holes included.
HOLES = {"close": [3, 40, 41], "high": [300, 301], "low": [302, 900], "volume": [1111, 1200]}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_interior_nan_bar_is_treated_as_absent(case: Case, eth_15m: pd.DataFrame) -> None:
    frame = eth_15m.iloc[:1500].copy()
    holed = frame.copy()
    for column, rows in HOLES.items():
        holed.loc[rows, column] = np.nan
    gone = sorted(row for column in case.uses for row in HOLES[column])
    kept = frame.drop(index=gone).reset_index(drop=True)
    absent = np.isin(np.arange(len(frame)), gone)
    for with_nan, without in zip(case.ours(holed), case.ours(kept), strict=True):
        assert np.isnan(with_nan[absent]).all(), case.name
        np.testing.assert_array_equal(with_nan[~absent], without, err_msg=case.name)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda c: ind.ema(c, 30), lambda c: talib.EMA(c, 30)),
        (lambda c: ind.rsi(c, 14), lambda c: talib.RSI(c, 14)),
        (lambda c: ind.macd(c)[1], lambda c: talib.MACD(c)[1]),
        (lambda c: ind.bollinger(c)[0], lambda c: talib.BBANDS(c, 20, 2.0, 2.0, 0)[0]),
    ],
)
def test_leading_nans_delay_warmup_like_talib(btc_1h: pd.DataFrame, ours, theirs) -> None:
    close = btc_1h["close"].to_numpy()[:800].copy()
    close[:25] = np.nan
    assert_agrees(ours(close), theirs(close), float(np.nanmedian(close)))


def test_interior_nan_recovers_where_talib_stays_nan(btc_1h: pd.DataFrame) -> None:
    close = btc_1h["close"].to_numpy()[:800].copy()
    close[400] = np.nan
    assert np.isnan(talib.EMA(close, 20)[400:]).all()  # TA-Lib: poisoned for good
    ours = ind.ema(close, 20)
    assert np.isnan(ours[400]) and np.isfinite(ours[401:]).all()


def test_compute_all_drops_a_candle_with_any_missing_field(btc_1h: pd.DataFrame) -> None:
    frame = btc_1h.iloc[:600].copy()
    frame.loc[100, "volume"] = np.nan
    got = compute_all(frame)
    want = compute_all(frame.drop(index=[100]).reset_index(drop=True))
    for key, values in got.items():
        assert np.isnan(values[100]), key
        np.testing.assert_array_equal(np.delete(values, 100), want[key], err_msg=key)


def test_infinite_input_counts_as_missing() -> None:
    x = np.arange(1.0, 40.0)
    y = x.copy()
    y[10] = np.inf
    np.testing.assert_array_equal(np.delete(ind.sma(y, 5), 10), ind.sma(np.delete(x, 10), 5))
