"""Optimizer: process pool, ranking, sensitivity, and checkpoint resume."""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import pandas as pd
import pytest

from core.backtest import BacktestConfig
from core.robustness.evaluate import RunSpec, evaluate
from core.robustness.optimizer import CheckpointMismatch, optimize
from core.robustness.params import Choice, FloatRange, IntRange, grid_trials, random_trials

SPACE = {
    "fast": Choice((8, 12)),
    "slow": Choice((26, 40)),
    "sl": Choice((0.02,)),
    "tp": FloatRange(0.04, 0.06, 0.02),
}
SPEC = RunSpec(
    "ema_cross",
    BacktestConfig(initial_cash=10_000.0, size_mode="equity_pct", size=50.0),
    objective="sharpe",
)


@pytest.fixture(scope="module")
def frame(btc_1h: pd.DataFrame) -> pd.DataFrame:
    return btc_1h


def test_grid_search_in_pool_matches_inline_evaluation(frame: pd.DataFrame) -> None:
    res = optimize(frame, SPEC, SPACE, method="grid", workers=2)
    assert res.complete and len(res.table) == 8
    inline = [evaluate(frame, SPEC, p)["objective"] for p in grid_trials(SPACE)]
    best = max(range(8), key=lambda i: inline[i])
    assert res.best_params == grid_trials(SPACE)[best]
    assert res.table["objective"].iat[0] == pytest.approx(inline[best])
    assert sorted(res.table["objective"]) == pytest.approx(sorted(inline))
    assert list(res.top(5)["trial"]) == list(res.table["trial"][:5])
    objective = res.table["objective"].tolist()
    assert objective == sorted(objective, reverse=True)
    sens = res.sensitivity()
    assert set(sens) == {"fast", "slow", "sl", "tp"}
    assert sens["fast"]["value"].tolist() == [8, 12]
    assert sens["fast"]["count"].tolist() == [4, 4]
    fast8 = res.table.loc[res.table["fast"] == 8, "objective"].mean()
    assert sens["fast"]["mean"].iat[0] == pytest.approx(fast8)
    json.dumps(res.to_dict(), allow_nan=False)


def test_interrupted_run_resumes_to_same_table(frame: pd.DataFrame, tmp_path: Path) -> None:
    full = optimize(frame, SPEC, SPACE, method="grid", workers=2, checkpoint=tmp_path / "a.jsonl")
    ck = tmp_path / "b.jsonl"
    cancel = threading.Event()

    def stop_after_three(done: int, total: int) -> None:
        if done >= 3:
            cancel.set()

    part = optimize(
        frame,
        SPEC,
        SPACE,
        method="grid",
        workers=2,
        checkpoint=ck,
        progress=stop_after_three,
        cancel=cancel,
    )
    assert not part.complete and 3 <= len(part.table) < 8
    finished = len(part.table)
    with ck.open("a") as fh:
        fh.write('{"trial": 7, "scor')  # a line torn by the interruption
    calls: list[int] = []
    resumed = optimize(
        frame,
        SPEC,
        SPACE,
        method="grid",
        workers=2,
        checkpoint=ck,
        progress=lambda d, t: calls.append(d),
    )
    assert resumed.complete
    assert len(calls) == 8 - finished  # finished trials were not run again
    pd.testing.assert_frame_equal(resumed.table, full.table)
    assert len(ck.read_text().splitlines()) == 1 + 8


def test_checkpoint_of_another_search_is_refused(frame: pd.DataFrame, tmp_path: Path) -> None:
    ck = tmp_path / "c.jsonl"
    optimize(frame, SPEC, SPACE, method="random", n_trials=2, seed=1, workers=1, checkpoint=ck)
    with pytest.raises(CheckpointMismatch):
        optimize(frame, SPEC, SPACE, method="random", n_trials=2, seed=2, workers=1, checkpoint=ck)
    other = RunSpec(SPEC.strategy, SPEC.config, objective="calmar")
    with pytest.raises(CheckpointMismatch):
        optimize(frame, other, SPACE, method="random", n_trials=2, seed=1, workers=1, checkpoint=ck)


def test_random_search_is_seeded_and_invalid_sets_rank_last(frame: pd.DataFrame) -> None:
    space = {
        "fast": IntRange(10, 40, 10),
        "slow": IntRange(20, 30, 10),
        "tp": FloatRange(0.01, 0.05),
    }
    a = random_trials(space, 20, seed=5)
    assert a == random_trials(space, 20, seed=5) and a != random_trials(space, 20, seed=6)
    assert all(0.01 <= t["tp"] <= 0.05 and t["fast"] in (10, 20, 30, 40) for t in a)
    res = optimize(frame, SPEC, space, method="random", n_trials=12, seed=5, workers=1)
    bad = res.table[res.table["fast"] >= res.table["slow"]]
    assert len(bad) > 0 and bad["objective"].isna().all()
    assert bad["error"].str.contains("fast < slow").all()
    assert res.table["objective"].iloc[-len(bad) :].isna().all()
    assert not math.isnan(res.table["objective"].iat[0])


def test_grid_requires_float_steps_and_known_objective() -> None:
    with pytest.raises(ValueError):
        grid_trials({"tp": FloatRange(0.01, 0.05)})
    with pytest.raises(ValueError):
        RunSpec("ema_cross", objective="sortino")  # type: ignore[arg-type]


def test_min_trades_ranks_thin_trials_last(frame: pd.DataFrame) -> None:
    spec = RunSpec(SPEC.strategy, SPEC.config, objective="return", min_trades=10_000)
    row = evaluate(frame, spec, {"fast": 8, "slow": 26, "sl": 0.02, "tp": 0.04})
    assert math.isnan(row["objective"]) and row["trades"] > 0
    assert row["error"] == "fewer than 10000 trades"


def test_spawned_workers_give_the_same_table(frame: pd.DataFrame) -> None:
    space = {"fast": Choice((8, 12)), "slow": Choice((26,))}
    forked = optimize(frame, SPEC, space, method="grid", workers=2)
    spawned = optimize(frame, SPEC, space, method="grid", workers=2, mp_context="spawn")
    pd.testing.assert_frame_equal(forked.table, spawned.table)


def test_sensitivity_bins_are_in_numeric_order_with_clean_edges() -> None:
    from core.robustness.optimizer import sensitivity

    sl = [0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3]
    table = pd.DataFrame({"sl": sl, "objective": [float(i) for i in range(len(sl))]})
    values = sensitivity(table, ["sl"], bins=5)["sl"]["value"].tolist()
    assert len(values) == 5
    lefts = [float(v[1:].split(",")[0]) for v in values]
    assert lefts == sorted(lefts)  # (0.1, ...] comes after (0.05, ...], not before (0.02, ...]
    assert values[0] == "(0.009, 0.022]"  # not (0.009000000000000001, 0.022]
    assert all(len(v) < 20 for v in values), values
