"""Walk-forward windows, IS optimisation per window and the stitched OOS curve."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig
from core.robustness.evaluate import RunSpec, Window, run_window
from core.robustness.optimizer import optimize
from core.robustness.params import Choice
from core.robustness.walkforward import (
    efficiency_note,
    walk_forward,
    walk_forward_efficiency,
    window_bounds,
)

SPACE = {
    "fast": Choice((8, 12)),
    "slow": Choice((26, 40)),
    "sl": Choice((0.02,)),
    "tp": Choice((0.04, 0.06)),
}
SPEC = RunSpec(
    "ema_cross",
    BacktestConfig(initial_cash=10_000.0, size_mode="equity_pct", size=50.0),
    objective="return",
)


@pytest.fixture(scope="module")
def frame(btc_1h: pd.DataFrame) -> pd.DataFrame:
    return btc_1h


def test_window_layout_rolling_and_anchored() -> None:
    assert window_bounds(2000, 500, 250) == [
        (s, s + 500, s + 500, s + 750) for s in (0, 250, 500, 750, 1000, 1250)
    ]
    anchored = window_bounds(2000, 500, 250, anchored=True)
    assert [w[0] for w in anchored] == [0] * 6 and anchored[-1] == (0, 1750, 1750, 2000)
    assert window_bounds(1000, 400, 200, step_bars=300) == [
        (0, 400, 400, 600),
        (300, 700, 700, 900),
    ]
    with pytest.raises(ValueError):
        window_bounds(100, 80, 40)
    with pytest.raises(ValueError):
        window_bounds(100, 0, 40)


def test_walk_forward_stitches_oos_and_matches_per_window_runs(frame: pd.DataFrame) -> None:
    wf = walk_forward(frame, SPEC, SPACE, train_bars=600, test_bars=350, method="grid", workers=2)
    w = wf.windows
    assert len(w) == 4
    ts = frame["timestamp"].to_numpy()
    # OOS windows tile bars 600..2000 and the stitched curve covers exactly them
    assert w["oos_start"].tolist() == [ts[600], ts[950], ts[1300], ts[1650]]
    np.testing.assert_array_equal(wf.stitched.timestamps, ts[600:2000])
    assert len(wf.stitched.equity) == 1400
    # window 1: its best IS params are what the optimizer finds on that window alone
    alone = optimize(frame, SPEC, SPACE, method="grid", window=Window(350, 950, 0), workers=1)
    assert w["params"].iat[1] == alone.best_params
    assert w["is_objective"].iat[1] == pytest.approx(alone.table["objective"].iat[0])
    # each OOS window starts from the equity the previous one ended with
    cash = 10_000.0
    for i in range(4):
        start = 600 + 350 * i
        oos = run_window(
            frame,
            SPEC,
            w["params"].iat[i],
            Window(start, start + 350, start - 600),
            initial_cash=cash,
        )
        np.testing.assert_allclose(wf.stitched.equity[start - 600 : start - 250], oos.equity)
        assert w["oos_return"].iat[i] == pytest.approx(oos.equity[-1] / cash - 1)
        cash = float(oos.equity[-1])
    assert wf.metrics.final_equity == pytest.approx(cash)
    assert wf.metrics.total_return == pytest.approx(cash / 10_000.0 - 1)
    # stitched trades point at bars of the stitched curve
    t = wf.stitched.trades
    assert t["entry_bar"].max() < 1400 and t["position_id"].is_monotonic_increasing
    assert wf.metrics.benchmark is not None
    s = wf.summary()
    assert s["windows"] == 4 and s["is_mean"] == pytest.approx(w["is_objective"].mean())
    json.dumps(wf.to_dict(), allow_nan=False)


def test_walk_forward_runs_path_strategies(frame: pd.DataFrame) -> None:
    spec = RunSpec("dca", BacktestConfig(initial_cash=10_000.0, fee_rate=0.001), objective="return")
    space = {"take_profit": Choice((0.01, 0.02)), "safety_orders": Choice((2, 4))}
    wf = walk_forward(frame, spec, space, train_bars=800, test_bars=600, method="grid", workers=1)
    assert len(wf.windows) == 2 and len(wf.stitched.equity) == 1200
    first = run_window(frame, spec, wf.windows["params"].iat[0], Window(800, 1400))
    np.testing.assert_allclose(wf.stitched.equity[:600], first.equity)
    assert wf.metrics.trades >= 1


@pytest.mark.parametrize(
    ("is_mean", "oos_mean", "efficiency", "note"),
    [
        (2.0, 1.0, 0.5, None),
        (1.0, -0.5, -0.5, None),
        (-0.354, -3.210, None, "in-sample mean is not positive"),  # QA: read as 9.056
        (0.0, 1.0, None, "in-sample mean is not positive"),
        (math.nan, 1.0, None, "no finite objective to compare"),
    ],
)
def test_efficiency_is_defined_only_for_a_positive_in_sample_mean(
    is_mean: float, oos_mean: float, efficiency: float | None, note: str | None
) -> None:
    value = walk_forward_efficiency(is_mean, oos_mean)
    if efficiency is None:
        assert math.isnan(value)
    else:
        assert value == pytest.approx(efficiency)
    assert efficiency_note(is_mean, oos_mean) == note
