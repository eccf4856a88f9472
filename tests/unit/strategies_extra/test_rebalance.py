"""Rebalance book: hand-computed drift cases and a BTC-neutral book on real candles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib

from core.metrics import compute_metrics
from core.strategies.rebalance import (
    RebalanceConfig,
    RebalanceStrategy,
    atr_pct,
    drift_thresholds,
)
from tests.unit.strategies_extra.pathsim_frames import candles

DATA = "../shared/data/ohlcv/binance_{}-USDT_1h.csv.gz"


def flat(price: float) -> tuple[float, float, float, float]:
    return (price, price, price, price)


@pytest.fixture(scope="module")
def btc() -> pd.DataFrame:
    return pd.read_csv(DATA.format("BTC")).iloc[-2000:].reset_index(drop=True)


def test_hand_computed_rebalance_after_drift() -> None:
    # 50 % in the asset at 100: 5 units. Close 120: 500 + 600 = 1100, weight 0.545 -> drift
    # 0.045 > 0.5 %: back to 50 % at the next open (120): 4.5833 units
    rows = [flat(100), (100, 120, 100, 120), flat(120), flat(120)]
    r = RebalanceStrategy(weights={"btc": 0.5}).simulate(
        candles(rows), initial_cash=1000.0, fee_rate=0.0
    )
    assert r.equity.tolist() == pytest.approx([1000, 1100, 1100, 1100])
    assert r.extra["rebalances"] == 1
    first = r.trades.iloc[0]
    assert (first["qty"], first["entry_price"], first["exit_price"]) == (5.0, 100.0, 120.0)
    assert first["pnl"] == pytest.approx(100.0) and first["exit_bar"] == 2
    assert r.trades.iloc[1]["qty"] == pytest.approx(550 / 120)
    assert r.extra["max_drift"] == pytest.approx(600 / 1100 - 0.5)


def test_small_drift_and_fees() -> None:
    # close 100.5: weight 502.5 / 1002.5 = 0.50125, drift 0.00125 < 0.5 %: no trade
    rows = [flat(100), flat(100.5), flat(100.5)]
    r = RebalanceStrategy(weights={"btc": 0.5}).simulate(
        candles(rows), initial_cash=1000.0, fee_rate=0.001
    )
    assert r.extra["rebalances"] == 0
    # the build costs 500 * 0.1 % = 0.5
    assert r.extra["fees"] == pytest.approx(0.5)
    assert r.equity[-1] == pytest.approx(1000 - 0.5 + 5 * 0.5)


def test_at_most_one_rebalance_per_hour() -> None:
    # 15-minute bars swinging 10 % each bar: drift every bar, trades every 4th open
    prices = [100, 110] * 8
    rows = [flat(p) for p in prices]
    r = RebalanceStrategy(weights={"btc": 0.5}).simulate(
        candles(rows, step_ms=900_000), initial_cash=1000.0, fee_rate=0.0
    )
    entries = sorted(set(r.trades["entry_bar"]))
    assert entries == [0, 4, 8, 12]
    fast = RebalanceStrategy(weights={"btc": 0.5}, min_interval_ms=0).simulate(
        candles(rows, step_ms=900_000), initial_cash=1000.0, fee_rate=0.0
    )
    # without the limit: decided on every close away from the last trade price, i.e.
    # every other bar (an open at the same price as the close leaves no drift)
    assert sorted(set(fast.trades["entry_bar"])) == list(range(0, 16, 2))


def test_btc_neutral_book_keeps_equity_minus_fees(btc: pd.DataFrame) -> None:
    strat = RebalanceStrategy(weights={"spot": 0.5, "perp": -0.5}, perps=("perp",))
    r = strat.simulate({"spot": btc, "perp": btc}, initial_cash=10_000.0, fee_rate=0.0004)
    assert r.extra["rebalances"] > 5
    assert r.equity[-1] == pytest.approx(10_000.0 - r.extra["fees"], rel=1e-9)
    assert np.ptp(r.equity) < 0.05 * 10_000
    assert set(r.trades["asset"]) == {"spot", "perp"}
    assert set(r.trades.loc[r.trades["asset"] == "perp", "side"]) == {"short"}


def test_threshold_is_max_of_floor_and_atr_share(btc: pd.DataFrame) -> None:
    ohlc = btc[["open", "high", "low", "close"]].to_numpy()
    cfg = RebalanceConfig(weights={"btc": 0.5}, atr_mult=0.5)
    got = drift_thresholds({"btc": ohlc}, ["btc"], 24, cfg)[:, 0]
    ref = np.fmax(0.005, 0.5 * talib.ATR(ohlc[:, 1], ohlc[:, 2], ohlc[:, 3], 24) / ohlc[:, 3])
    np.testing.assert_allclose(got[100:], ref[100:], rtol=1e-9)
    assert (got[100:] > 0.005).any() and (got[100:] == 0.005).any()
    assert (got[:23] == 0.005).all()  # warm-up: the floor
    # a higher ATR share means fewer rebalances
    wide = RebalanceStrategy(weights={"btc": 0.5}, atr_mult=1.0).simulate(btc, initial_cash=1e4)
    floor = RebalanceStrategy(weights={"btc": 0.5}, atr_mult=0.0).simulate(btc, initial_cash=1e4)
    assert 0 < wide.extra["rebalances"] < floor.extra["rebalances"]


def test_atr_pct_matches_talib_over_24_bars(btc: pd.DataFrame) -> None:
    ohlc = btc[["open", "high", "low", "close"]].to_numpy()
    ref = talib.ATR(ohlc[:, 1], ohlc[:, 2], ohlc[:, 3], 24) / ohlc[:, 3]
    np.testing.assert_allclose(atr_pct(ohlc, 24)[100:], ref[100:], rtol=1e-9)


def test_pnl_reconciles_and_metrics_apply() -> None:
    frames = {k: pd.read_csv(DATA.format(k)).iloc[-1500:] for k in ("ETH", "SOL")}
    frames = {k: f.reset_index(drop=True) for k, f in frames.items()}
    r = RebalanceStrategy(weights={"ETH": 0.4, "SOL": 0.4}).simulate(frames, initial_cash=5_000.0)
    assert 5_000.0 + r.trades["pnl"].sum() == pytest.approx(r.equity[-1], rel=1e-9)
    m = compute_metrics(r)
    assert m.final_equity == r.equity[-1] and m.extra["rebalances"] == r.extra["rebalances"]


def test_invalid_books_are_refused() -> None:
    with pytest.raises(ValueError):
        RebalanceConfig(weights={"a": -0.5})
    with pytest.raises(ValueError):
        RebalanceConfig(weights={"a": 0.7, "b": 0.5})
    with pytest.raises(ValueError):
        RebalanceConfig(weights={"a": 0.5}, perps=("b",))
    with pytest.raises(ValueError):
        RebalanceStrategy(weights={"a": 0.5, "b": 0.5}).simulate(
            {"a": candles([flat(1)])}, initial_cash=1.0
        )
