"""No look-ahead (design principle 1) on real candles.

Cut a real file at many points: every signal before the cut must be identical to the
one computed on the whole file, and the single-bar explanation (`evaluate` on the frame
ending at bar t) must agree with the history row at t.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.strategies import (
    NEUTRAL,
    config_for,
    cooldown_allows,
    evaluate,
    get_strategy,
    history,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"

# (preset, file, first row, rows): a few thousand real candles each, with their gaps.
CASES = {
    "composite": ("binance_BTC-USDT_1h.csv.gz", 6_000, 3_200),  # 2018, with data gaps
    "scalper": ("binance_ETH-USDT_15m.csv.gz", 20_000, 3_000),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request) -> tuple[str, pd.DataFrame]:
    name, start, rows = CASES[request.param]
    frame = pd.read_csv(DATA / name).iloc[start : start + rows].reset_index(drop=True)
    return request.param, frame


def cuts(n: int) -> list[int]:
    return sorted({int(c) for c in np.linspace(250, n - 1, 14)} | {n - 2, n - 1})


def test_history_before_a_cut_never_changes(case):
    preset, frame = case
    full = history(frame, preset)
    assert len(full) >= 10, "the slice must exercise real signals"
    ts = frame["timestamp"].to_numpy()
    for cut in cuts(len(frame)):
        head = history(frame.iloc[:cut], preset)
        assert head == [row for row in full if row.time < ts[cut]], f"cut at {cut}"


def test_signal_columns_before_a_cut_never_change(case):
    preset, frame = case
    strategy = get_strategy(preset)
    full = strategy.generate(frame)
    for cut in cuts(len(frame)):
        head = strategy.generate(frame.iloc[:cut])
        for column in ("direction", "confidence", "stop", "tp1", "tp2", "tp3", "exit"):
            np.testing.assert_array_equal(
                getattr(head, column), getattr(full, column)[:cut], err_msg=f"{column}@{cut}"
            )


def test_evaluate_agrees_with_history(case):
    preset, frame = case
    rows = history(frame, preset)
    ts = frame["timestamp"].to_numpy()
    index = {int(t): i for i, t in enumerate(ts)}
    for row in rows[:: max(1, len(rows) // 25)]:
        i = index[row.time]
        d = evaluate(frame.iloc[: i + 1], preset)
        assert d.bar_time == row.time and d.direction == row.direction
        assert d.confidence == row.confidence
        lv = d.levels
        assert lv is not None
        assert (lv.entry, lv.stop, lv.tp1, lv.tp2, lv.tp3, lv.rr) == (
            row.entry,
            row.stop,
            row.tp1,
            row.tp2,
            row.tp3,
            row.rr,
        )


def test_bars_missing_from_history_are_neutral_or_cooled_down(case):
    """Single-bar mode and history agree off the signal rows too: a bar without a row
    either issues nothing or is exactly the cooldown's doing."""
    preset, frame = case
    cfg = config_for(preset)
    rows = history(frame, preset)
    issued = {row.time: row.direction for row in rows}
    raw = get_strategy(preset).generate(frame).direction
    ts = frame["timestamp"].to_numpy()
    last: dict[int, int | None] = {1: None, -1: None}
    suppressed = 0
    for i, t in enumerate(ts):
        side = int(raw[i])
        if side == NEUTRAL:
            assert int(t) not in issued
            continue
        allowed = cooldown_allows(last[side], int(t), cfg.cooldown_ms)
        assert (int(t) in issued) == allowed
        if allowed:
            last[side] = int(t)
        else:
            suppressed += 1
    assert suppressed > 0, "the slice must exercise the cooldown"
    probes = np.linspace(300, len(frame) - 1, 8).astype(int)
    for i in probes:
        assert evaluate(frame.iloc[: i + 1], preset).direction == raw[i]
