"""`compute_metrics` over a small result with every number worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from core.backtest.result import TRADE_COLUMNS, BacktestResult
from core.metrics import compute_metrics, monthly_returns

H = 3_600_000
H12 = 12 * H
DAY = 86_400_000
T0 = 1_700_006_400_000  # 2023-11-15 00:00 UTC


def Result(
    trades: pd.DataFrame,
    equity: np.ndarray,
    timestamps: np.ndarray,
    initial_cash: float = 100.0,
    close: np.ndarray | None = None,
) -> BacktestResult:
    close = np.full(len(equity), 10.0) if close is None else close
    return BacktestResult(trades, equity, timestamps, {}, initial_cash, close)


COLUMNS = [c for c in TRADE_COLUMNS if c != "position_id"]


def trades_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def sample() -> Result:
    ts = np.array([T0 + i * H12 for i in range(6)], dtype=np.int64)
    eq = np.array([105.0, 110.0, 99.0, 104.5, 104.5, 114.95])
    t = lambda bar: T0 + bar * H12  # noqa: E731
    trades = trades_frame(
        [
            (t(0), t(1), "long", 10.0, 11.0, 10.0, 0.5, 10.0, "tp1", 1.0, 0, 1),
            (t(1), t(3), "short", 10.0, 10.5, 10.0, 0.5, -5.0, "stop", -1.0, 1, 3),
            (t(3), t(3), "long", 10.0, 12.0, 10.0, 0.5, 20.0, "signal", 2.0, 3, 3),
            (t(3), t(4), "long", 10.0, 9.5, 10.0, 0.5, -5.0, "stop", -1.0, 3, 4),
            (t(5), None, "long", 10.0, None, 1.0, 0.1, 0.0, None, None, 5, None),
        ]
    )
    return Result(trades=trades, equity=eq, timestamps=ts)


def test_curve_metrics_hand_computed() -> None:
    m = compute_metrics(sample())
    assert m.final_equity == 114.95
    assert m.total_return == pytest.approx(0.1495)
    # daily returns 0.10, -0.05, 0.10 (see test_formulas)
    assert m.sharpe == pytest.approx(11.0302614, rel=1e-7)
    assert m.sortino == pytest.approx(33.0907842, rel=1e-7)
    # 3 days: 1.1495 ** (365 / 3) - 1
    assert m.cagr == pytest.approx(1.1495 ** (365 / 3) - 1, rel=1e-9)
    assert m.max_drawdown == pytest.approx(0.1)
    assert m.calmar == pytest.approx(m.cagr / 0.1)
    assert (m.max_drawdown_bars, m.max_drawdown_days) == (4, 2.0)
    assert m.monthly_returns == {"2023-11": pytest.approx(0.1495)}
    assert m.start == T0 and m.end == T0 + 5 * H12


def test_trade_metrics_hand_computed() -> None:
    m = compute_metrics(sample())
    assert (m.trades, m.open_trades) == (4, 1)
    assert m.win_rate == 0.5  # 2 of 4 closed
    assert m.profit_factor == pytest.approx(3.0)  # 30 / 10
    assert m.expectancy == pytest.approx(5.0)  # 20 / 4
    assert m.avg_r == pytest.approx(0.25)  # (1 - 1 + 2 - 1) / 4
    assert m.fees == pytest.approx(2.1)
    assert (m.gross_profit, m.gross_loss) == (30.0, -10.0)
    # bars held: [0,1) [1,3) [3,4) (same-bar trade) [3,4) [5,6) -> {0,1,2,3,5} of 6
    assert m.exposure == pytest.approx(5 / 6)
    # durations 12 h, 24 h, 0 h, 12 h -> 12 h
    assert m.avg_duration_hours == pytest.approx(12.0)
    assert m.best_trade["pnl"] == 20.0 and m.best_trade["return"] == pytest.approx(0.2)
    assert m.worst_trade["pnl"] == -5.0 and m.worst_trade["side"] == "short"
    assert m.long == {
        "trades": 3,
        "win_rate": pytest.approx(2 / 3),
        "pnl": 25.0,
        "profit_factor": 6.0,
    }
    assert m.short == {"trades": 1, "win_rate": 0.0, "pnl": -5.0, "profit_factor": 0.0}
    assert list(m.exit_reasons) == ["stop", "tp1", "signal"]
    assert m.exit_reasons["stop"] == {
        "trades": 2,
        "win_rate": 0.0,
        "pnl": -10.0,
        "profit_factor": 0.0,
    }
    assert m.exit_reasons["tp1"]["profit_factor"] == math.inf


def test_risk_free_lowers_sharpe() -> None:
    rf_d = 1.05 ** (1 / 365) - 1
    m = compute_metrics(sample(), risk_free=0.05)
    assert m.sharpe == pytest.approx((0.05 - rf_d) / math.sqrt(0.0075) * math.sqrt(365))
    assert m.risk_free == 0.05


def test_benchmark_is_buy_and_hold_over_same_bars() -> None:
    close = np.array([20.0, 21.0, 22.0, 19.0, 23.0, 25.0])
    m = compute_metrics(sample(), benchmark_close=close)
    assert m.benchmark is not None
    assert m.benchmark["total_return"] == pytest.approx(0.25)  # 25 / 20 - 1
    assert m.benchmark["max_drawdown"] == pytest.approx(1 - 19 / 22)
    assert m.benchmark["excess_return"] == pytest.approx(0.1495 - 0.25)
    # without an explicit series, the result's own closes (flat 10 here): 0 %
    assert compute_metrics(sample()).benchmark["total_return"] == 0.0


def test_exit_fills_of_one_position_count_as_one_trade() -> None:
    r = sample()
    t = lambda bar: T0 + bar * H12  # noqa: E731
    # position 7: TP1 on half at 12 (+10 - fee), stop on the rest at breakeven (-0.5)
    rows = trades_frame(
        [
            (t(0), t(1), "long", 10.0, 12.0, 5.0, 0.5, 9.5, "tp1", 1.9, 0, 1),
            (t(0), t(2), "long", 10.0, 10.0, 5.0, 0.5, -0.5, "stop", -0.1, 0, 2),
            (t(3), t(4), "short", 10.0, 11.0, 10.0, 0.5, -10.5, "stop", -1.05, 3, 4),
        ]
    )
    rows.insert(0, "position_id", [7, 7, 8])
    m = compute_metrics(Result(rows, r.equity, r.timestamps))
    assert m.trades == 2
    assert m.win_rate == 0.5  # position 7 nets +9.0
    assert m.profit_factor == pytest.approx(9.0 / 10.5)
    assert m.best_trade["pnl"] == pytest.approx(9.0)
    assert m.best_trade["exit_time"] == t(2)
    # R of position 7: (1.9 * 5 - 0.1 * 5) / 10 = 0.9; mean with -1.05
    assert m.avg_r == pytest.approx((0.9 - 1.05) / 2)
    assert m.avg_duration_hours == pytest.approx((24 + 12) / 2)
    # the exit-reason table counts fills
    assert m.exit_reasons["stop"]["trades"] == 2 and m.exit_reasons["tp1"]["trades"] == 1


def test_no_trades_flat_equity() -> None:
    ts = np.array([T0 + i * H for i in range(72)], dtype=np.int64)
    r = Result(trades=trades_frame([]), equity=np.full(72, 100.0), timestamps=ts)
    m = compute_metrics(r)
    assert m.trades == 0 and m.open_trades == 0
    assert (m.total_return, m.cagr, m.sharpe, m.sortino, m.calmar) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert m.max_drawdown == 0.0 and m.max_drawdown_bars == 0
    assert m.exposure == 0.0
    assert math.isnan(m.profit_factor) and math.isnan(m.win_rate)
    assert m.best_trade is None and m.exit_reasons == {}
    d = m.to_dict()
    assert d["profit_factor"] is None and d["win_rate"] is None
    json.dumps(d, allow_nan=False)


def test_empty_trades_frame_without_columns() -> None:
    ts = np.array([T0, T0 + H], dtype=np.int64)
    m = compute_metrics(
        Result(trades=pd.DataFrame(), equity=np.array([100.0, 101.0]), timestamps=ts)
    )
    assert m.trades == 0 and m.long["trades"] == 0
    assert m.total_return == pytest.approx(0.01)


def test_all_wins_profit_factor_inf_is_json_safe() -> None:
    r = sample()
    r.trades["pnl"] = r.trades["pnl"].abs() + 1.0
    m = compute_metrics(r)
    assert m.profit_factor == math.inf and m.win_rate == 1.0
    d = m.to_dict()
    assert d["profit_factor"] is None and d["profit_factor_infinite"] is True
    loaded = json.loads(json.dumps(d, allow_nan=False))
    assert loaded["profit_factor"] is None and loaded["profit_factor_infinite"] is True


def test_one_day_has_one_daily_return_and_no_sharpe() -> None:
    ts = np.array([T0 + i * H for i in range(24)], dtype=np.int64)
    eq = np.linspace(100.0, 110.0, 24)
    m = compute_metrics(Result(trades=trades_frame([]), equity=eq, timestamps=ts))
    assert math.isnan(m.sharpe) and math.isnan(m.sortino)
    assert m.total_return == pytest.approx(0.10)
    assert m.cagr == pytest.approx(1.10**365 - 1)  # 24 hourly bars = 1 day
    assert m.to_dict()["sharpe"] is None


def test_monthly_returns_cross_months_and_fill_missing_month() -> None:
    # 2024-01-31 00:00, 2024-03-01 00:00 (no bar in February)
    ts = np.array([1_706_659_200_000, 1_709_251_200_000], dtype=np.int64)
    out = monthly_returns(ts, np.array([110.0, 121.0]), 100.0)
    assert out == {"2024-01": pytest.approx(0.10), "2024-02": 0.0, "2024-03": pytest.approx(0.10)}
