"""Stress: order-book model by hand, scenario candles, breakers, volatile windows."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from core.backtest import BacktestConfig
from core.robustness.evaluate import RunSpec, Window, run_window
from core.robustness.liquidity import CircuitBreakers, LiquidityModel, execute
from core.robustness.stress import (
    FLASH_CRASH,
    LIQUIDITY_CRISIS,
    apply_scenario,
    run_scenario,
    stress_windows,
    volatile_windows,
)
from tests.unit.strategies_extra.pathsim_frames import candles

SPEC = RunSpec(
    "ema_cross",
    BacktestConfig(initial_cash=10_000.0, size_mode="equity_pct", size=50.0, direction="long"),
)
PARAMS = {"fast": 12, "slow": 26, "sl": 0.02, "tp": 0.04}


@pytest.fixture(scope="module")
def btc(btc_1h: pd.DataFrame) -> pd.DataFrame:
    return btc_1h.iloc[-1500:].reset_index(drop=True)


def test_execution_hand_computed() -> None:
    model = LiquidityModel(spread=0.0002, participation=0.1)
    # cap = min(depth 1e6, 10 % of 5e6) = 5e5; 2e5 fills: impact 0.2 * 1 % / 2 = 0.001,
    # half of a tripled 2 bps spread = 0.0003
    e = execute(200_000, 5_000_000, 1_000_000, model, spread_mult=3.0)
    assert (e.filled, e.fill_ratio) == (200_000, 1.0)
    assert e.slippage == pytest.approx(0.0013)
    assert e.cost == pytest.approx(260.0)
    # 8e5 wanted, 5e5 fillable: ratio 0.625, impact 0.5 * 0.5 % = 0.0025, + 1 bp
    e = execute(800_000, 5_000_000, 1_000_000, model)
    assert e.fill_ratio == pytest.approx(0.625)
    assert e.slippage == pytest.approx(0.0026)
    frame = candles([(10, 10, 10, 10)] * 3)
    frame["volume"] = [1.0, 3.0, 100.0]  # quote 10, 30, 1000: median 30
    assert LiquidityModel(depth_ratio=0.5).normal_depth(frame) == 15.0


def test_flash_crash_candles_hourly_and_5m() -> None:
    rows = [(100, 101, 99, 100)] * 5
    out, span = apply_scenario(candles(rows), FLASH_CRASH, 2)
    assert span == 1
    assert out["open"].tolist() == [100, 100, 100, 85, 85]
    assert out["close"].tolist() == [100, 100, 85, 85, 85]
    assert out["low"].iat[2] == pytest.approx(99 * 0.85) and out["high"].iat[2] == 101
    assert out["volume"].tolist() == [1, 1, 0.5, 1, 1]
    # 5-minute bars: the 10-minute fall spans two bars (7.5 % each); volume halved 12 bars
    out, span = apply_scenario(candles([(100, 101, 99, 100)] * 20, step_ms=300_000), FLASH_CRASH, 2)
    assert span == 12
    assert out["close"].iloc[1:5].tolist() == pytest.approx([100, 92.5, 85, 85])
    assert out["open"].iloc[2:5].tolist() == pytest.approx([100, 92.5, 85])
    assert out["volume"].iloc[2:14].eq(0.5).all() and out["volume"].iat[14] == 1


def test_breakers_per_scenario(btc: pd.DataFrame) -> None:
    crash = run_scenario(btc, SPEC, PARAMS, FLASH_CRASH)
    assert crash.breakers["price"] and crash.breakers["spread"]
    assert not crash.breakers["volume"] and not crash.breakers["depth"]
    crisis = run_scenario(btc, SPEC, PARAMS, LIQUIDITY_CRISIS, at_bar=700)
    assert crisis.fired == ["spread", "volume", "depth"] or set(crisis.fired) >= {
        "spread",
        "volume",
        "depth",
    }
    assert not crisis.breakers["price"]
    assert crisis.bars == 24 and crisis.price_change == pytest.approx(
        btc["close"].iat[723] / btc["close"].iat[699] - 1
    )
    strict = CircuitBreakers(spread_mult=5.0, volume_floor=0.2, depth_floor=0.05)
    calm = run_scenario(btc, SPEC, PARAMS, LIQUIDITY_CRISIS, at_bar=700, breakers=strict)
    assert not {"spread", "volume", "depth", "price"} & set(calm.fired)


def test_flash_crash_hits_an_open_long(btc: pd.DataFrame) -> None:
    r = run_scenario(btc, SPEC, PARAMS, FLASH_CRASH)
    assert r.orders >= 1  # the stop fills inside the crash bar
    assert 0 < r.fill_ratio <= 1
    assert r.slippage > r.slippage_normal  # spread x 3, half the volume
    assert r.drawdown > 0 and r.stressed_return < r.baseline_return
    assert r.price_change < -0.14
    assert 0 < r.reference["fill_ratio"] <= 1
    json.dumps(r.to_dict(), allow_nan=False)
    with pytest.raises(ValueError):
        run_scenario(btc, SPEC, PARAMS, FLASH_CRASH, at_bar=0)


def test_volatile_windows_find_the_wild_stretch() -> None:
    rng = np.random.default_rng(1)
    r = rng.normal(0, 0.001, 999)
    r[400:450] = rng.normal(0, 0.03, 50)
    close = 100 * np.exp(np.concatenate(([0.0], np.cumsum(r))))
    frame = candles([(c, c, c, c) for c in close])
    table = volatile_windows(frame, 50, top=3)
    assert len(table) == 3
    first = table.iloc[0]
    assert first["start_bar"] <= 425 <= first["end_bar"]
    spans = sorted(zip(table["start_bar"], table["end_bar"], strict=True))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert table["volatility"].is_monotonic_decreasing
    with pytest.raises(ValueError):
        volatile_windows(frame.iloc[:40], 50)


def test_stress_windows_run_the_strategy(btc: pd.DataFrame) -> None:
    table = stress_windows(btc, SPEC, PARAMS, window_bars=200, top=2)
    assert len(table) == 2
    row = table.iloc[0]
    w = Window(int(row["start_bar"]), int(row["end_bar"]), max(0, int(row["start_bar"]) - 300))
    res = run_window(btc, SPEC, PARAMS, w)
    assert row["strategy_return"] == pytest.approx(res.equity[-1] / 10_000.0 - 1)
