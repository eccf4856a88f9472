"""Metrics over a real backtest of shared candles: the numbers reconcile with the trades."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig, run_backtest
from core.metrics import compute_metrics, daily_returns, sharpe_ratio
from core.strategies.registry import get_strategy

DATA = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(DATA).iloc[-3000:].reset_index(drop=True)


def test_metrics_reconcile_with_trades_and_equity(frame: pd.DataFrame) -> None:
    strategy = get_strategy("ema_cross", fast=12, slow=26, sl=0.02, tp=0.04)
    config = BacktestConfig(initial_cash=10_000.0, fee_rate=0.001, size_mode="equity_pct", size=50)
    result = run_backtest(frame, strategy, config)
    m = compute_metrics(result)
    closed = result.trades[result.trades["exit_time"].notna()]
    opened = result.trades[result.trades["exit_time"].isna()]
    assert m.trades > 20
    assert (
        m.trades
        == closed["position_id"].nunique() - opened["position_id"].isin(closed["position_id"]).sum()
    )
    # realised plus open pnl is the equity change
    open_pnl = float(opened["pnl"].sum())
    assert m.gross_profit + m.gross_loss + open_pnl == pytest.approx(
        m.final_equity - m.initial_cash, abs=1e-6
    )
    assert m.sharpe == pytest.approx(
        sharpe_ratio(daily_returns(result.timestamps, result.equity, 10_000.0))
    )
    assert m.benchmark is not None
    close = frame["close"].to_numpy()
    assert m.benchmark["total_return"] == pytest.approx(close[-1] / close[0] - 1)
    assert 0 < m.exposure < 1 and 0 <= m.win_rate <= 1
    assert sum(v["trades"] for v in m.exit_reasons.values()) == len(closed)
    assert np.isfinite(m.max_drawdown) and m.max_drawdown_bars > 0
    json.dumps(m.to_dict(), allow_nan=False)
