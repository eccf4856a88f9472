"""Definitions checked by hand or against an independent pandas computation, and the
deliberate differences from TA-Lib (each asserted on both sides)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib
from indicator_cases import assert_agrees
from numpy.lib.stride_tricks import sliding_window_view

from core import indicators as ind

DAY = 86_400_000


def test_obv_first_value_and_equal_closes() -> None:
    close = np.array([10.0, 11.0, 11.0, 10.0, 10.0, 12.0])
    volume = np.array([5.0, 3.0, 4.0, 2.0, 7.0, 1.0])
    # starts at the first volume (TA-Lib), unchanged on equal closes (bars 2 and 4)
    expected = np.array([5.0, 8.0, 8.0, 6.0, 6.0, 7.0])
    np.testing.assert_array_equal(ind.obv(close, volume), expected)
    np.testing.assert_array_equal(talib.OBV(close, volume), expected)


def test_rsi_of_a_flat_market_is_neutral_not_oversold() -> None:
    close = np.r_[np.full(30, 100.0), 101.0, 102.0]
    ours, theirs = ind.rsi(close, 14), talib.RSI(close, 14)
    np.testing.assert_array_equal(ours[14:30], 50.0)  # deliberate: TA-Lib says 0
    np.testing.assert_array_equal(theirs[14:30], 0.0)
    np.testing.assert_array_equal(ours[30:], theirs[30:])  # first move: both 100
    assert ours[31] == 100.0


def test_stoch_rsi_of_a_flat_rsi_window_is_neutral() -> None:
    close = np.full(60, 7.0)
    k, d = ind.stoch_rsi(close, 14, 14, 3, 3)
    np.testing.assert_array_equal(k[31:], 50.0)
    np.testing.assert_array_equal(d[31:], 50.0)
    fastk, _ = talib.STOCHRSI(close, 14, 14, 3, 0)
    np.testing.assert_array_equal(fastk[29:], 0.0)  # TA-Lib reads it as oversold


def test_adx_and_di_of_a_flat_market_match_talib() -> None:
    flat = np.full(60, 3.0)
    for ours, theirs in zip(
        ind.adx(flat, flat, flat, 14),
        (talib.ADX(flat, flat, flat, 14), talib.PLUS_DI(flat, flat, flat, 14)),
        strict=False,
    ):
        np.testing.assert_array_equal(ours, theirs)
        assert (ours[np.isfinite(ours)] == 0.0).all()


def test_rsi_and_adx_are_scale_invariant_for_micro_priced_coins() -> None:
    rng = np.random.default_rng(3)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.01, 300)))
    high, low = close * 1.01, close * 0.99
    for scale in (1e-9, 1e-12):
        np.testing.assert_allclose(ind.rsi(close * scale), ind.rsi(close), rtol=1e-12)
        for a, b in zip(
            ind.adx(high * scale, low * scale, close * scale),
            ind.adx(high, low, close),
            strict=True,
        ):
            np.testing.assert_allclose(a, b, rtol=1e-10)


def test_bollinger_width_is_population_std_without_drift_over_long_series() -> None:
    rng = np.random.default_rng(11)
    close = 5e4 * np.exp(np.cumsum(rng.normal(0, 1e-3, 200_000)))
    upper, _, lower = ind.bollinger(close, 20, 2.0)
    exact = sliding_window_view(close, 20).std(axis=1)  # two-pass, ddof=0
    np.testing.assert_allclose((upper - lower)[19:] / 4.0, exact, rtol=1e-9)


def _pandas_vwap_rolling(frame: pd.DataFrame, window: int) -> np.ndarray:
    typical = (frame["high"] + frame["low"] + frame["close"]) / 3.0
    pv = (typical * frame["volume"]).rolling(window).sum()
    vol = frame["volume"].rolling(window).sum()
    return (pv / vol).to_numpy()


def _pandas_vwap_session(frame: pd.DataFrame) -> np.ndarray:
    day = pd.to_datetime(frame["timestamp"], unit="ms", utc=True).dt.floor("D")
    typical = (frame["high"] + frame["low"] + frame["close"]) / 3.0
    pv = (typical * frame["volume"]).groupby(day).cumsum()
    return (pv / frame["volume"].groupby(day).cumsum()).to_numpy()


def test_vwap_rolling_matches_pandas(real: pd.DataFrame) -> None:
    got = ind.vwap_rolling(real["high"], real["low"], real["close"], real["volume"], 24)
    assert_agrees(got, _pandas_vwap_rolling(real, 24), float(real["close"].median()))


def test_vwap_session_matches_pandas_and_resets_at_utc_midnight(real: pd.DataFrame) -> None:
    got = ind.vwap_session(
        real["timestamp"], real["high"], real["low"], real["close"], real["volume"]
    )
    assert_agrees(got, _pandas_vwap_session(real), float(real["close"].median()))
    first_of_day = np.r_[True, np.diff(real["timestamp"] // DAY) != 0]
    typical = ((real["high"] + real["low"] + real["close"]) / 3.0).to_numpy()
    np.testing.assert_allclose(got[first_of_day], typical[first_of_day], rtol=1e-15)


def test_vwap_is_nan_without_volume() -> None:
    price = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    volume = np.array([0.1, 0.2, 0.0, 0.0, 0.0, 3.0])
    rolling = ind.vwap_rolling(price, price, price, volume, 3)
    assert np.isnan(rolling[:2]).all() and np.isnan(rolling[4])
    assert rolling[3] == pytest.approx(11.0) and rolling[5] == 15.0
    ts = np.array([0, 1, 2, DAY, DAY + 1, DAY + 2])
    session = ind.vwap_session(ts, price, price, price, volume)
    assert np.isnan(session[3:5]).all() and session[5] == 15.0
    assert session[2] == pytest.approx((10.0 * 0.1 + 11.0 * 0.2) / 0.3)


def test_percentile_rank_matches_pandas_rolling_rank_with_ties(real: pd.DataFrame) -> None:
    x = np.round(real["close"].to_numpy(), -1)  # coarse: many ties
    ref = pd.Series(x).rolling(100).rank(pct=True, method="average").to_numpy() * 100.0
    assert_agrees(ind.percentile_rank(x, 100), ref, 1.0)


def test_percentile_rank_by_hand() -> None:
    got = ind.percentile_rank(np.array([3.0, 1.0, 2.0, 5.0, 2.0]), 3)
    np.testing.assert_allclose(got[2:], [200 / 3, 100.0, 50.0])  # 2 of (3,1,2): middle


def _pivots_by_hand(values: np.ndarray, left: int, right: int, sign: float) -> np.ndarray:
    out = np.full(len(values), np.nan)
    v = values * sign
    for p in range(left, len(values) - right):
        if all(v[p] > v[p - left : p]) and all(v[p] >= v[p + 1 : p + right + 1]):
            out[p + right] = values[p]
    return out


def test_swing_points_appear_only_at_confirmation() -> None:
    high = np.array([1.0, 2.0, 3.0, 10.0, 3.0, 2.0, 1.0, 4.0, 12.0, 11.0, 13.0, 9.0, 8.0])
    low = high - 0.5
    swing_high, _ = ind.swing_points(high, low, 2, 2)
    expected = np.full(len(high), np.nan)
    expected[5] = 10.0  # pivot at bar 3, confirmed 2 bars later
    expected[12] = 13.0  # 12 at bar 8 is beaten within 2 bars by 13 at bar 10
    np.testing.assert_array_equal(swing_high, expected)
    # truncated before confirmation: the pivot at bar 3 is not visible yet
    assert np.isnan(ind.swing_points(high[:5], low[:5], 2, 2)[0]).all()


def test_swing_lows_and_equal_highs() -> None:
    high = np.array([1.0, 5.0, 5.0, 1.0, 1.0])
    np.testing.assert_array_equal(
        ind.swing_points(high, high - 1, 1, 1)[0], [np.nan, np.nan, 5.0, np.nan, np.nan]
    )  # of two equal highs the first is the pivot
    low = np.array([5.0, 4.0, 1.0, 4.0, 6.0, 2.0, 3.0])
    _, swing_low = ind.swing_points(low + 1, low, 2, 1)
    np.testing.assert_array_equal(swing_low, [np.nan] * 3 + [1.0] + [np.nan] * 2 + [2.0])


def test_swing_points_match_a_direct_scan(real: pd.DataFrame) -> None:
    high, low = real["high"].to_numpy(), real["low"].to_numpy()
    for left, right in ((2, 2), (5, 3), (1, 4)):
        sh, sl = ind.swing_points(high, low, left, right)
        np.testing.assert_array_equal(sh, _pivots_by_hand(high, left, right, 1.0))
        np.testing.assert_array_equal(sl, _pivots_by_hand(low, left, right, -1.0))


def test_compute_all_equals_the_single_functions(btc_1h: pd.DataFrame) -> None:
    f = btc_1h
    h, lo, c, v = (f[k].to_numpy() for k in ("high", "low", "close", "volume"))
    got = ind.compute_all(f)
    want = {
        **{f"ema_{p}": ind.ema(c, p) for p in ind.EMA_PERIODS},
        "sma_20": ind.sma(c, 20),
        "rsi_14": ind.rsi(c, 14),
        **dict(zip(("macd", "macd_signal", "macd_hist"), ind.macd(c), strict=True)),
        **dict(zip(("bb_upper", "bb_middle", "bb_lower"), ind.bollinger(c), strict=True)),
        "atr_14": ind.atr(h, lo, c, 14),
        "atr_rank_100": ind.percentile_rank(ind.atr(h, lo, c, 14), 100),
        **dict(zip(("adx_14", "plus_di_14", "minus_di_14"), ind.adx(h, lo, c), strict=True)),
        "obv": ind.obv(c, v),
        **dict(zip(("stoch_rsi_k", "stoch_rsi_d"), ind.stoch_rsi(c), strict=True)),
        "vwap_20": ind.vwap_rolling(h, lo, c, v, 20),
        "vwap_session": ind.vwap_session(f["timestamp"], h, lo, c, v),
        "volume_sma_20": ind.volume_sma(v, 20),
        **dict(zip(("swing_high", "swing_low"), ind.swing_points(h, lo, 2, 2), strict=True)),
    }
    assert list(got) == list(ind.COLUMNS)
    assert set(got) == set(want)
    for key, values in want.items():
        np.testing.assert_array_equal(got[key], values, err_msg=key)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ind.ema([1.0, 2.0], 0),
        lambda: ind.ema([1.0, 2.0], 2.5),
        lambda: ind.ema([1.0, 2.0], 2, seed="zero"),
        lambda: ind.sma(np.ones((3, 3)), 2),
        lambda: ind.atr([1.0, 2.0], [1.0], [1.0, 2.0]),
        lambda: ind.swing_points([1.0], [1.0], 0, 2),
        lambda: ind.percentile_rank([1.0], -1),
        lambda: ind.vwap_session([0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0]),
    ],
)
def test_bad_arguments_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()
