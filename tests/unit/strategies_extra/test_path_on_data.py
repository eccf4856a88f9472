"""Grid and DCA on real candles, built through the strategy registry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib

from core.metrics import compute_metrics
from core.strategies.pathsim import PathStrategy
from core.strategies.registry import get_strategy

DATA = "../shared/data/ohlcv/binance_ETH-USDT_1h.csv.gz"


@pytest.fixture(scope="module")
def eth() -> pd.DataFrame:
    return pd.read_csv(DATA).iloc[-1500:].reset_index(drop=True)


def test_grid_with_atr_bounds(eth: pd.DataFrame) -> None:
    grid = get_strategy("grid", levels=12, atr_mult=8.0, spacing="geometric")
    assert isinstance(grid, PathStrategy)
    r = grid.simulate(eth, initial_cash=10_000.0, fee_rate=0.001)
    h, lo, c = (eth[k].to_numpy() for k in ("high", "low", "close"))
    atr = talib.ATR(h, lo, c, 14)
    t = int(np.flatnonzero(np.isfinite(atr))[0])
    assert r.extra["start_bar"] == t + 1
    assert r.extra["levels"][0] == pytest.approx(c[t] - 8 * atr[t])
    assert r.extra["levels"][-1] == pytest.approx(c[t] + 8 * atr[t])
    assert np.allclose(
        np.diff(np.log(r.extra["levels"])), np.log(r.extra["levels"][1] / r.extra["levels"][0])
    )
    assert r.extra["cycles"] > 10
    # realised plus open pnl is the equity change
    assert 10_000.0 + r.trades["pnl"].sum() == pytest.approx(r.equity[-1], rel=1e-9)
    m = compute_metrics(r)
    assert m.extra["cycles"] == r.extra["cycles"]
    assert m.exit_reasons["grid"]["trades"] == r.extra["cycles"]
    assert 0 < r.extra["level_fill_rate"] <= 1


def test_dca_on_data_reconciles(eth: pd.DataFrame) -> None:
    dca = get_strategy("dca", base_order=200.0, safety_order=200.0, safety_orders=4)
    r = dca.simulate(eth, initial_cash=10_000.0, fee_rate=0.001)
    assert r.extra["completed_deals"] > 5
    assert 10_000.0 + r.trades["pnl"].sum() == pytest.approx(r.equity[-1], rel=1e-9)
    m = compute_metrics(r)
    assert m.trades == r.extra["completed_deals"] + r.extra["stopped_deals"]
