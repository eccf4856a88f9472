"""Portfolio backtest: risk rules on scripted signals, fills, correlation matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig, run_backtest
from core.metrics import compute_metrics
from core.robustness.portfolio import PortfolioRules, correlation_matrix, portfolio_backtest
from core.strategies.base import SignalFrame
from core.strategies.registry import get_strategy
from tests.unit.strategies_extra.pathsim_frames import candles

N = 60


class Scripted:
    """A real `Strategy`: long signals at given bars, confidence from the close level."""

    name = "scripted"

    def __init__(self, bars: dict[float, int], stop_pct: float = 0.0, tp_pct: float = 0.0) -> None:
        self.bars = bars  # first close of a symbol -> signal bar
        self.stop_pct, self.tp_pct = stop_pct, tp_pct

    def generate(self, frame: pd.DataFrame) -> SignalFrame:
        out = SignalFrame.empty(len(frame))
        close = frame["close"].to_numpy()
        bar = self.bars.get(float(close[0]))
        if bar is not None:
            out.direction[bar] = 1
            out.confidence[bar] = close[0]  # the higher-priced symbol is preferred
            if self.stop_pct:
                out.stop[bar] = close[bar] * (1 - self.stop_pct)
            if self.tp_pct:
                out.tp1[bar] = close[bar] * (1 + self.tp_pct)
        return out


def walk(seed: int, start: float) -> np.ndarray:
    r = np.random.default_rng(seed).normal(0, 0.01, N - 1)
    return start * np.exp(np.concatenate(([0.0], np.cumsum(r))))


def frames() -> dict[str, pd.DataFrame]:
    a = walk(1, 300.0)
    b = a / 300.0 * 200.0  # moves exactly like A
    c = walk(2, 100.0)
    return {k: candles([(x, x, x, x) for x in v]) for k, v in (("A", a), ("B", b), ("C", c))}


def signal_all(bar: int = 30, **kw: float) -> Scripted:
    return Scripted({300.0: bar, 200.0: bar, 100.0: bar}, **kw)


def test_correlation_rule_blocks_the_twin() -> None:
    rules = PortfolioRules(max_positions=3, max_correlation=0.8, corr_window=20, position_pct=20)
    pr = portfolio_backtest(frames(), signal_all(), initial_cash=1000.0, fee_rate=0.0, rules=rules)
    opened = pr.result.trades.drop_duplicates("position_id")
    assert sorted(opened["symbol"]) == ["A", "C"]
    assert opened["entry_bar"].eq(31).all()
    assert pr.blocked[["bar", "symbol", "reason"]].values.tolist() == [[31, "B", "correlation"]]


def test_max_positions_and_exposure_rules() -> None:
    one = PortfolioRules(max_positions=1, max_correlation=1.0, position_pct=20)
    pr = portfolio_backtest(frames(), signal_all(), initial_cash=1000.0, fee_rate=0.0, rules=one)
    assert pr.blocked["reason"].tolist() == ["max_positions", "max_positions"]
    assert pr.result.trades["symbol"].tolist() == ["A"]
    wide = PortfolioRules(max_positions=3, max_correlation=1.0, position_pct=60, max_exposure=1.0)
    pr = portfolio_backtest(frames(), signal_all(), initial_cash=1000.0, fee_rate=0.0, rules=wide)
    assert pr.blocked["reason"].tolist() == ["exposure", "exposure"]


def test_fills_and_accounting() -> None:
    fr = frames()
    rules = PortfolioRules(max_positions=3, max_correlation=1.0, position_pct=20)
    strat = signal_all(stop_pct=0.03, tp_pct=0.02)
    pr = portfolio_backtest(fr, strat, initial_cash=1000.0, fee_rate=0.001, rules=rules)
    t = pr.result.trades
    assert set(t["symbol"]) == {"A", "B", "C"}
    # each entry: 20 % of 1000 at bar 31's open
    for sym in "ABC":
        row = t[t["symbol"] == sym].iloc[0]
        assert row["entry_price"] == fr[sym]["open"].iat[31]
        assert (
            row["qty"] * row["entry_price"] == pytest.approx(200.0) or row["exit_reason"] != "end"
        )
    # realised and open pnl add up to the equity change
    assert 1000.0 + t["pnl"].sum() == pytest.approx(pr.result.equity[-1], rel=1e-12)
    m = compute_metrics(pr.result)
    assert m.trades == t.loc[t["exit_time"].notna(), "position_id"].nunique()


def test_single_symbol_matches_the_backtest_engine() -> None:
    frame = pd.read_csv("../shared/data/ohlcv/binance_ETH-USDT_1h.csv.gz").iloc[-1500:]
    frame = frame.reset_index(drop=True)
    strat = get_strategy("ema_cross", fast=12, slow=26, sl=0.02, tp=0.04, direction="long")
    rules = PortfolioRules(max_positions=1, position_pct=50)
    pr = portfolio_backtest(
        {"ETH": frame}, strat, initial_cash=10_000.0, fee_rate=0.001, rules=rules
    )
    ref = run_backtest(
        frame,
        strat,
        BacktestConfig(
            initial_cash=10_000.0,
            fee_rate=0.001,
            size_mode="equity_pct",
            size=50.0,
            direction="long",
        ),
    )
    mine = pr.result.trades.drop_duplicates("position_id")
    theirs = ref.trades.drop_duplicates("position_id")
    assert mine["entry_bar"].tolist() == theirs["entry_bar"].tolist()
    assert mine["entry_price"].tolist() == pytest.approx(theirs["entry_price"].tolist())
    assert sorted(pr.result.trades["exit_reason"]) == sorted(ref.trades["exit_reason"])


def test_correlation_matrix_of_log_returns() -> None:
    fr = frames()
    m = correlation_matrix({k: f["close"].to_numpy() for k, f in fr.items()})
    ra, rc = (np.diff(np.log(fr[k]["close"].to_numpy())) for k in ("A", "C"))
    assert m.loc["A", "B"] == pytest.approx(1.0)
    assert m.loc["A", "C"] == pytest.approx(np.corrcoef(ra, rc)[0, 1])
    assert list(m.columns) == ["A", "B", "C"]


def test_rules_validation() -> None:
    with pytest.raises(ValueError):
        PortfolioRules(max_positions=0)
    with pytest.raises(ValueError):
        PortfolioRules(position_pct=150)
