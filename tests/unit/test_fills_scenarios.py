"""Fill rules (core/fills.py) against candle-by-candle scenario tables.

The same tables run through the plain-Python path on float and on Decimal here, and
through the numba backtest kernel in tests/unit/backtest/test_backtest_fills_kernel.py.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import fills
from tests.unit.backtest.fill_scenarios import SCENARIOS, FillScenario, run_scenario

IDS = [sc.name for sc in SCENARIOS]


def _close(a: object, b: float) -> bool:
    return math.isclose(float(a), b, rel_tol=1e-12, abs_tol=1e-12)


def check_fills(sc: FillScenario, got: list[tuple[int, fills.Fill]]) -> None:
    assert len(got) == len(sc.fills), f"{sc.name}: {got}"
    for (bar, fill), exp in zip(got, sc.fills, strict=True):
        assert bar == exp.bar, (sc.name, fill, exp)
        assert fill.kind == exp.kind
        assert fill.reason == exp.reason
        assert _close(fill.qty, exp.qty_fraction * sc.qty), (sc.name, fill, exp)
        assert _close(fill.price, exp.price), (sc.name, fill, exp)
        assert _close(fill.fee, float(fill.price) * float(fill.qty) * sc.fee_rate)
    # Every scenario ends flat or with its position still open, never negative.
    exited = sum(float(f.qty) for _, f in got if f.kind == "exit")
    assert exited <= sc.qty + 1e-12
    if sc.net_pnl is not None:
        net = sum(float(f.pnl) - float(f.fee) for _, f in got)
        assert _close(net, sc.net_pnl)


@pytest.mark.parametrize("sc", SCENARIOS, ids=IDS)
def test_scenario_float(sc: FillScenario) -> None:
    check_fills(sc, run_scenario(sc, float))


@pytest.mark.parametrize("sc", SCENARIOS, ids=IDS)
def test_scenario_decimal(sc: FillScenario) -> None:
    got = run_scenario(sc, Decimal)
    for _, f in got:
        assert all(isinstance(v, Decimal) for v in (f.qty, f.price, f.fee, f.pnl))
    check_fills(sc, got)


def test_decimal_amounts_are_exact() -> None:
    sc = next(s for s in SCENARIOS if s.name == "fees_on_both_sides")
    got = run_scenario(sc, Decimal)
    assert sum(f.pnl - f.fee for _, f in got) == Decimal("19.58")


def test_liquidation_price_formula() -> None:
    # Hand-computed: long 10x: 100 * (1 - 0.1) / (1 - 0.005); short 5x: 100 * 1.2 / 1.005
    assert fills.liquidation_price(Decimal(100), 1, 10, Decimal("0.005")) == Decimal(90) / Decimal(
        "0.995"
    )
    assert math.isclose(fills.liquidation_price(100.0, -1, 5.0, 0.005), 120 / 1.005)
    assert fills.liquidation_price(100.0, 1, 1.0, 0.005) == 0  # spot long: never
    assert fills.liquidation_price(100.0, 1, 0.5, 0.005) == 0


# --- jitted twins: the numba compilation of each rule equals the Python function ---------

_jit = {
    name: numba.njit(cache=True)(getattr(fills, name))
    for name in (
        "slippage",
        "entry_price",
        "exit_price",
        "fee",
        "gross_pnl",
        "liquidation_price",
        "adverse_level",
        "stop_fill",
        "tp_fill",
        "tp_close_qty",
        "resolve_bar",
        "tighten_stop",
        "trailing_candidate",
    )
}

prices = st.floats(1.0, 1000.0, allow_nan=False)
levels = st.one_of(st.just(0.0), prices)
sides = st.sampled_from([1, -1])


@settings(max_examples=150, deadline=None)
@given(
    side=sides,
    o=prices,
    a=prices,
    b=prices,
    stop=levels,
    lev=st.floats(1.0, 50.0),
    tp1=levels,
    tp2=levels,
    tp3=levels,
    k=st.integers(1, 3),
)
def test_jitted_twins_equal_python(
    side: int,
    o: float,
    a: float,
    b: float,
    stop: float,
    lev: float,
    tp1: float,
    tp2: float,
    tp3: float,
    k: int,
) -> None:
    h, low = max(o, a, b), min(o, a, b)
    liq = fills.liquidation_price(o, side, lev, 0.005)
    cases = {
        "slippage": (o, 7.0, 3.0, 0.1),
        "entry_price": (o, side, 7.0, 3.0, 0.1),
        "exit_price": (o, side, 7.0, 3.0, 0.1),
        "fee": (o, 2.5, 0.001),
        "gross_pnl": (side, o, a, 2.0),
        "liquidation_price": (o, side, lev, 0.005),
        "adverse_level": (side, stop, liq),
        "stop_fill": (side, o, a),
        "tp_fill": (side, o, a),
        "tp_close_qty": (k, 1.0, 0.7, tp1, tp2, tp3),
        "resolve_bar": (side, o, h, low, stop, liq, tp1, tp2, tp3, k),
        "tighten_stop": (side, stop, a),
        "trailing_candidate": (side, h, low, 0.05),
    }
    for name, args in cases.items():
        py = getattr(fills, name)(*args)
        nb = _jit[name](*args)
        np.testing.assert_equal(np.asarray(nb, dtype=float), np.asarray(py, dtype=float), name)
