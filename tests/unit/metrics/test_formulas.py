"""Each formula against numbers worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.metrics import formulas as f

H12 = 12 * 3_600_000
DAY = 86_400_000
T0 = 1_700_006_400_000  # 2023-11-15 00:00 UTC, a day boundary

# 12-hour bars over three UTC days; the day closes are 110, 104.5, 114.95
TS = np.array([T0 + i * H12 for i in range(6)], dtype=np.int64)
EQ = np.array([105.0, 110.0, 99.0, 104.5, 104.5, 114.95])


def test_daily_closes_take_last_mark_of_each_utc_day() -> None:
    days, closes = f.daily_closes(TS, EQ)
    assert days.tolist() == [T0, T0 + DAY, T0 + 2 * DAY]
    assert closes.tolist() == [110.0, 104.5, 114.95]


def test_daily_closes_fill_a_day_without_bars_with_previous_close() -> None:
    ts = np.array([T0, T0 + 2 * DAY + 5], dtype=np.int64)
    days, closes = f.daily_closes(ts, np.array([101.0, 103.0]))
    assert days.tolist() == [T0, T0 + DAY, T0 + 2 * DAY]
    assert closes.tolist() == [101.0, 101.0, 103.0]


def test_daily_returns_start_from_initial_capital() -> None:
    # 110/100-1 = 0.10; 104.5/110-1 = -0.05; 114.95/104.5-1 = 0.10
    r = f.daily_returns(TS, EQ, 100.0)
    np.testing.assert_allclose(r, [0.10, -0.05, 0.10], rtol=1e-12)


def test_sharpe_hand_computed() -> None:
    # mean = 0.05; deviations 0.05, -0.10, 0.05; sample var = (0.0025+0.01+0.0025)/2 = 0.0075
    # Sharpe = 0.05 / 0.0866025404 * 19.1049731745 = 11.0302614
    r = np.array([0.10, -0.05, 0.10])
    assert f.sharpe_ratio(r) == pytest.approx(11.0302614, rel=1e-7)


def test_sharpe_with_risk_free_uses_compounded_daily_rate() -> None:
    # rf_d = 1.0365 ** (1/365) - 1 = 9.8466e-5 (annual 3.65 %)
    rf_d = 1.0365 ** (1 / 365) - 1
    assert f.daily_rf(0.0365) == pytest.approx(rf_d, rel=1e-12)
    r = np.array([0.10, -0.05, 0.10])
    expected = (0.05 - rf_d) / math.sqrt(0.0075) * math.sqrt(365)
    assert f.sharpe_ratio(r, 0.0365) == pytest.approx(expected, rel=1e-12)


def test_sortino_hand_computed_downside_over_all_days() -> None:
    # downside: only -0.05 -> sqrt(0.0025 / 3) = 0.0288675135
    # Sortino = 0.05 / 0.0288675135 * 19.1049731745 = 33.0907842
    r = np.array([0.10, -0.05, 0.10])
    assert f.downside_deviation(r) == pytest.approx(0.0288675135, rel=1e-8)
    assert f.sortino_ratio(r) == pytest.approx(33.0907842, rel=1e-7)


def test_sortino_without_losing_day_is_unbounded() -> None:
    assert f.sortino_ratio(np.array([0.01, 0.02])) == math.inf
    assert f.sortino_ratio(np.zeros(5)) == 0.0


def test_ratios_on_flat_and_short_series() -> None:
    assert f.sharpe_ratio(np.zeros(10)) == 0.0
    assert math.isnan(f.sharpe_ratio(np.array([0.01])))  # one day: undefined
    assert math.isnan(f.sharpe_ratio(np.full(4, 0.01)))  # zero deviation, non-zero mean
    assert math.isnan(f.sortino_ratio(np.array([0.01])))


def test_total_return_cagr_and_period() -> None:
    assert f.total_return(100.0, 114.95) == pytest.approx(0.1495)
    # six 12 h bars = 3 days
    assert f.period_years(TS) == pytest.approx(3 / 365)
    # doubling over two years: 2 ** 0.5 - 1 = 0.41421356
    assert f.cagr(100.0, 200.0, 2.0) == pytest.approx(0.41421356, rel=1e-8)
    assert f.cagr(100.0, 0.0, 1.0) == -1.0
    assert math.isnan(f.cagr(100.0, 120.0, 0.0))
    assert f.period_years(TS[:1]) == 0.0


def test_max_drawdown_and_duration() -> None:
    # peak 110 at bar 1, trough 99 at bar 2: 1 - 99/110 = 0.1; back above 110 at bar 5
    assert f.max_drawdown(EQ, 100.0) == pytest.approx(0.1)
    bars, ms = f.max_drawdown_duration(TS, EQ, 100.0)
    assert (bars, ms) == (4, 4 * H12)


def test_drawdown_counts_initial_capital_as_peak_and_unrecovered_spell() -> None:
    eq = np.array([90.0, 80.0, 95.0])  # never back to the 100 start
    assert f.max_drawdown(eq, 100.0) == pytest.approx(0.2)
    ts = np.array([0, 10, 20], dtype=np.int64)
    # spell from the first bar (the start counts as the high) to the last bar
    assert f.max_drawdown_duration(ts, eq, 100.0) == (2, 20)
    assert f.max_drawdown_duration(ts, np.array([1.0, 2.0, 3.0]), 1.0) == (0, 0)


def test_calmar_profit_factor_win_rate_expectancy() -> None:
    assert f.calmar_ratio(0.30, 0.15) == pytest.approx(2.0)
    assert f.calmar_ratio(0.0, 0.0) == 0.0
    pnl = np.array([10.0, -5.0, 20.0, -5.0, 0.0])
    # gross profit 30, gross loss 10 -> 3.0; wins 2 of 5; mean = 20 / 5 = 4
    assert f.profit_factor(pnl) == pytest.approx(3.0)
    assert f.win_rate(pnl) == pytest.approx(0.4)
    assert f.expectancy(pnl) == pytest.approx(4.0)
    # expectancy as W * avg_win - L * avg_loss: 0.4 * 15 - 0.4 * 5 - 0.2 * 0 = 4
    assert f.expectancy(pnl) == pytest.approx(0.4 * 15 - 0.4 * 5)


def test_profit_factor_edges_and_json_rendering() -> None:
    assert f.profit_factor(np.array([1.0, 2.0])) == math.inf
    assert math.isnan(f.profit_factor(np.empty(0)))
    assert math.isnan(f.win_rate(np.empty(0)))
    assert f.profit_factor(np.array([-1.0])) == 0.0
    # only break-even trades: 0 / 0 is undefined, not a profit factor of 0
    assert math.isnan(f.profit_factor(np.array([0.0, 0.0])))
    assert f.profit_factor(np.array([0.0, -1.0])) == 0.0
    safe = f.json_safe(
        {"pf": math.inf, "x": math.nan, "n": np.int64(3), "l": [-math.inf], "c": -math.inf}
    )
    assert safe == {
        "pf": None,
        "pf_infinite": True,
        "x": None,
        "n": 3,
        "l": [None],
        "c": None,
        "c_negative_infinite": True,
    }
    json.dumps(safe, allow_nan=False)
    # profit_factor always carries its flag, so the JSON schema does not change shape
    assert f.json_safe({"profit_factor": 1.5}) == {
        "profit_factor": 1.5,
        "profit_factor_infinite": False,
    }
    assert f.from_json(None, safe, "pf") == math.inf
    assert f.from_json(None, safe, "c") == -math.inf
    assert math.isnan(f.from_json(None, safe, "x"))
    assert f.from_json("inf") == math.inf  # rows stored before the flags
    assert f.format_ratio(math.inf) == "∞"
    assert f.format_ratio(math.nan) == "—"
    assert f.format_ratio(1.234) == "1.23"


def test_returns_from_daily_pnl_series() -> None:
    # equity 100 -> 110 -> 104.5 -> 114.95: the same returns as the equity curve
    r = f.returns_from_pnl(np.array([10.0, -5.5, 10.45]), 100.0)
    np.testing.assert_allclose(r, [0.10, -0.05, 0.10], rtol=1e-12)
    assert f.sharpe_ratio(r) == pytest.approx(11.0302614, rel=1e-7)


@given(
    st.lists(st.floats(-0.2, 0.2, allow_nan=False), min_size=3, max_size=60),
    st.floats(0.5, 1000.0),
)
def test_ratios_do_not_depend_on_account_size(rets: list[float], scale: float) -> None:
    eq = 100.0 * np.cumprod(1.0 + np.array(rets))
    ts = T0 + np.arange(len(rets), dtype=np.int64) * DAY
    a = f.daily_returns(ts, eq, 100.0)
    b = f.daily_returns(ts, eq * scale, 100.0 * scale)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a, rets, rtol=1e-9, atol=1e-12)
    dd = f.max_drawdown(eq, 100.0)
    assert 0.0 <= dd < 1.0
    assert dd == pytest.approx(f.max_drawdown(eq * scale, 100.0 * scale), abs=1e-12)
