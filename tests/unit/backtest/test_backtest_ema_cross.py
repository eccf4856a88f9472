"""`ema_cross` signals, look-ahead of the engine's decisions, and the backtesting.py check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig, run_backtest
from core.backtest.crosscheck import classify, compare
from core.market.csv import read_candles
from core.strategies.ema_cross import EmaCross, EmaCrossConfig

DATA = "../shared/data/ohlcv/binance_BTC-USDT_5m.csv.gz"


@pytest.fixture(scope="module")
def btc() -> pd.DataFrame:
    return read_candles(DATA).iloc[:4000].reset_index(drop=True)


def test_signals_match_pandas_ewm_crosses(btc: pd.DataFrame) -> None:
    sig = EmaCross(fast=12, slow=26, sl=0.02, tp=0.04, direction="both").generate(btc)
    close = btc["close"]
    fast = close.ewm(span=12, adjust=False, min_periods=12).mean()
    slow = close.ewm(span=26, adjust=False, min_periods=26).mean()
    up = (fast.shift() < slow.shift()) & (fast > slow)
    down = (fast.shift() > slow.shift()) & (fast < slow)
    assert up.sum() > 20 and down.sum() > 20
    np.testing.assert_array_equal(sig.direction == 1, up.to_numpy())
    np.testing.assert_array_equal(sig.direction == -1, down.to_numpy())
    longs = sig.direction == 1
    np.testing.assert_allclose(sig.stop[longs], close[longs] * 0.98)
    np.testing.assert_allclose(sig.tp1[longs], close[longs] * 1.04)
    shorts = sig.direction == -1
    np.testing.assert_allclose(sig.stop[shorts], close[shorts] * 1.02)
    np.testing.assert_allclose(sig.tp1[shorts], close[shorts] * 0.96)
    assert np.isnan(sig.tp2).all() and not sig.exit.any()


def test_long_only_exits_on_cross_down(btc: pd.DataFrame) -> None:
    sig = EmaCross(direction="long").generate(btc)
    both = EmaCross(direction="both").generate(btc)
    np.testing.assert_array_equal(sig.exit == 1, both.direction == -1)
    assert not (sig.direction == -1).any()


@pytest.mark.parametrize(
    "params",
    [{"fast": 26, "slow": 12}, {"fast": 0, "slow": 5}, {"sl": -0.1}, {"direction": "up"}],
)
def test_bad_params_raise(params: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        EmaCross(**params)


def test_engine_decisions_do_not_look_ahead(btc: pd.DataFrame) -> None:
    """Truncating the data never changes a trade closed, or equity marked, before the cut."""
    strat = EmaCross(fast=12, slow=26, sl=0.01, tp=0.015, direction="both")
    config = BacktestConfig(initial_cash=100_000, size_mode="equity_pct", size=50, max_positions=2)
    frame = btc.iloc[:1500]
    full = run_backtest(frame, strat, config)
    closed = full.trades[full.trades.exit_time.notna()]
    assert len(closed) > 30
    for cut in range(60, 1500, 97):
        part = run_backtest(frame.iloc[:cut], strat, config)
        np.testing.assert_array_equal(part.equity, full.equity[:cut])
        done = part.trades[part.trades.exit_time.notna()].reset_index(drop=True)
        expect = closed[closed.exit_bar <= cut - 1].reset_index(drop=True)
        pd.testing.assert_frame_equal(done, expect)


def test_same_trades_as_backtesting_py(btc: pd.DataFrame) -> None:
    check = compare(btc)
    assert check.ours > 40
    assert check.agreement >= 0.99
    assert check.price_mismatches == 0
    assert "unexplained" not in check.summary()


def test_classify_names_each_mismatch(btc: pd.DataFrame) -> None:
    cfg = EmaCrossConfig(direction="long")
    ours = pd.DataFrame(
        {"entry_bar": [10, 50], "exit_bar": [20, 60], "entry_price": 1.0, "exit_price": 2.0}
    )
    theirs = pd.DataFrame(
        {"entry_bar": [10, 50], "exit_bar": [20, 61], "entry_price": 1.0, "exit_price": 2.5}
    )
    check = classify(btc, cfg, ours, theirs)
    assert (check.matched, check.price_mismatches) == (1, 1)
    assert check.agreement == 0.5
    assert check.summary() == {"unexplained": 1}
    assert classify(btc, cfg, ours, theirs, out_of_money=True).summary() == {"bt_out_of_money": 1}


def test_classify_float_cross_then_cascade() -> None:
    """Flat closes keep both EMAs equal (a cross within rounding): named float_cross;
    a later mismatch after it is a cascade, not unexplained."""
    n = 200
    close = np.full(n, 100.0)
    close[150:] = 100.0 + np.arange(n - 150)  # trending later: EMAs clearly apart
    frame = pd.DataFrame(
        {
            "timestamp": np.arange(n, dtype=np.int64) * 60_000,
            "open": close,
            "high": close,
            "low": close,
            "close": close,
            "volume": 1.0,
        }
    )
    cfg = EmaCrossConfig(direction="long")
    ours = pd.DataFrame({"entry_bar": [40, 170], "exit_bar": [45, 180]})
    theirs = pd.DataFrame({"entry_bar": [41, 171], "exit_bar": [45, 180]})
    for side in (ours, theirs):
        side["entry_price"] = 100.0
        side["exit_price"] = 100.0
    check = classify(frame, cfg, ours, theirs)
    assert [d.convention for d in check.differences] == [
        "float_cross",
        "float_cross",
        "cascade",
        "cascade",
    ]
    assert check.matched == 0
