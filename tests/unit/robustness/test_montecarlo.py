"""Monte Carlo bands on trade sets small enough to enumerate by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.robustness.montecarlo import closed_pnl, run_monte_carlo


def test_shuffle_keeps_final_equity_and_spreads_drawdown() -> None:
    # orders: +10,-10 -> 100,110,100 (dd 10/110); -10,+10 -> 100,90,100 (dd 0.1)
    mc = run_monte_carlo(np.array([10.0, -10.0]), 100.0, method="shuffle", n_sims=500, seed=1)
    assert mc.final_equity == {5: 100.0, 50: 100.0, 95: 100.0}
    assert mc.max_drawdown[5] == pytest.approx(10 / 110)
    assert mc.max_drawdown[95] == pytest.approx(0.1)
    assert mc.original_max_drawdown == pytest.approx(10 / 110)
    assert mc.p_loss == 0.0


def test_bootstrap_bands_match_enumeration() -> None:
    # two draws of {+10, -10}: 80 (1/4), 100 (1/2), 120 (1/4)
    mc = run_monte_carlo(np.array([10.0, -10.0]), 100.0, method="bootstrap", n_sims=4000, seed=7)
    assert mc.final_equity == {5: 80.0, 50: 100.0, 95: 120.0}
    assert mc.p_loss == pytest.approx(0.25, abs=0.03)
    # the 80 path: 100, 90, 80 -> dd 0.2
    assert mc.max_drawdown[95] == pytest.approx(0.2)


def test_seed_makes_runs_repeatable() -> None:
    pnl = np.random.default_rng(0).normal(1.0, 10.0, 200)
    a = run_monte_carlo(pnl, 1000.0, method="bootstrap", n_sims=300, seed=3)
    b = run_monte_carlo(pnl, 1000.0, method="bootstrap", n_sims=300, seed=3)
    c = run_monte_carlo(pnl, 1000.0, method="bootstrap", n_sims=300, seed=4)
    assert a == b
    assert a.final_equity != c.final_equity
    assert a.final_equity[5] < a.final_equity[50] < a.final_equity[95]


def test_compounding_replays_returns_on_equity() -> None:
    # +10 on 100 = +10 %; -11 on 110 = -10 %; either order ends at 100 * 1.1 * 0.9 = 99
    mc = run_monte_carlo(np.array([10.0, -11.0]), 100.0, n_sims=200, seed=0, compounding=True)
    assert mc.final_equity[50] == pytest.approx(99.0)
    assert mc.original_final_equity == pytest.approx(99.0)
    assert mc.p_loss == 1.0


def test_no_trades_and_bad_arguments() -> None:
    mc = run_monte_carlo(np.empty(0), 100.0, n_sims=10)
    assert mc.final_equity == {5: 100.0, 50: 100.0, 95: 100.0}
    assert mc.max_drawdown[95] == 0.0
    with pytest.raises(ValueError):
        run_monte_carlo(np.ones(3), 100.0, method="jackknife")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        run_monte_carlo(np.ones(3), 100.0, n_sims=0)


def test_trades_table_uses_closed_trades_in_exit_order() -> None:
    trades = pd.DataFrame({"exit_time": [30.0, 10.0, None, 20.0], "pnl": [3.0, 1.0, 99.0, 2.0]})
    assert closed_pnl(trades).tolist() == [1.0, 2.0, 3.0]
    mc = run_monte_carlo(trades, 10.0, n_sims=5)
    assert mc.n_trades == 3 and mc.original_final_equity == 16.0
    assert mc.to_dict()["final_equity"]["50"] == 16.0
