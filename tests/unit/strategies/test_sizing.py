"""Position size suggestion: each cap at its boundary, the explicit outcomes, properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sizing import fallback_qty_step, suggest_size


def test_risk_based_size():
    # 1 % of 10 000 = 100 at risk over a 500 stop distance -> 0.2 units, 6 000 notional
    # is above 15 % of capital at 1x, so use leverage 5: cap 7 500 notional.
    s = suggest_size(D("10000"), D("0.01"), D("30000"), D("29500"), 5)
    assert s.status == "ok" and s.capped_by == "risk"
    assert s.qty == D("0.2")
    assert s.notional == D("6000") and s.margin == D("1200")
    assert s.risk_amount == D("100")


def test_position_cap_boundary():
    # position cap: margin <= 15 % of 10 000 -> notional <= 1 500 at 1x -> 0.05 units.
    # The risk size is 100 / 1 000 = 0.1 units, so the cap binds.
    s = suggest_size(D("10000"), D("0.01"), D("30000"), D("29000"), 1)
    assert s.capped_by == "position_cap" and s.qty == D("0.05")
    assert s.notional == D("1500") and s.margin == D("1500")
    assert s.risk_amount == D("50")  # less than the 1 % budget, never more
    # exactly at the boundary the risk size and the cap coincide: 0.05 units either way
    edge = suggest_size(D("10000"), D("0.005"), D("30000"), D("29000"), 1)
    assert edge.qty == D("0.05") and edge.notional == D("1500")


def test_leverage_multiplies_the_position_cap():
    s = suggest_size(D("10000"), D("0.01"), D("30000"), D("29000"), 2)
    assert s.capped_by == "risk" and s.qty == D("0.1")  # 3 000 notional <= 1 500 x 2
    assert s.margin == D("1500")


def test_leverage_cap_counts_open_positions():
    # 10 000 at 1x with 9 000 already open leaves 1 000 of buying power.
    s = suggest_size(D("10000"), D("0.01"), D("30000"), D("29000"), 1, open_notional=D("9000"))
    # 1 000 / 30 000 = 0.0333... units, rounded down to six significant digits.
    assert s.capped_by == "leverage" and s.qty == D("0.0333333")
    assert s.notional == s.qty * D("30000") == D("999.999")
    full = suggest_size(D("10000"), D("0.01"), D("30000"), D("29000"), 1, open_notional=D("10000"))
    assert full.status == "too_small" and full.qty == 0


def test_min_notional_is_a_clear_too_small_outcome():
    # 1 % of 50 = 0.5 at risk over 100 -> 0.005 units = 125 notional, then capped
    # to 15 % of 50 = 7.5 notional, below a 10 USDT minimum.
    s = suggest_size(D("50"), D("0.01"), D("25000"), D("24900"), 1, D("0.15"), D("10"))
    assert s.status == "too_small" and not s.ok
    assert s.notional == D("7.5") and s.min_notional == D("10")
    assert s.qty > 0  # the size it would have been is reported, not a silent zero
    at_min = suggest_size(D("50"), D("0.01"), D("25000"), D("24900"), 1, D("0.2"), D("10"))
    assert at_min.status == "ok" and at_min.notional == D("10")


def test_no_deposit_outcome():
    for deposit in (None, D("0"), D("-5")):
        s = suggest_size(deposit, D("0.01"), D("100"), D("95"))
        assert s.status == "no_deposit" and s.qty == 0 and s.capped_by is None


def test_short_side_and_float_prices():
    s = suggest_size(D("1000"), D("0.02"), 100.1, 105.1, 10)
    assert s.status == "ok" and s.qty == D("4")  # 20 / 5.0 exactly, no float noise
    assert s.notional == D("400.4")


def test_qty_step_rounds_down():
    s = suggest_size(D("1000"), D("0.01"), D("3"), D("2.7"), 10, qty_step=D("1"))
    assert s.qty == D("33") and s.risk_amount <= D("10")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"entry": D("100"), "stop": D("100")},
        {"entry": D("0"), "stop": D("1")},
        {"risk_pct": D("0")},
        {"risk_pct": D("1.5")},
        {"leverage": D("0.5")},
        {"max_position_pct": D("0")},
        {"min_notional": D("-1")},
        {"entry": float("nan")},
    ],
)
def test_invalid_arguments_raise(kwargs):
    args = {"deposit": D("1000"), "risk_pct": D("0.01"), "entry": D("100"), "stop": D("95")}
    args.update(kwargs)
    with pytest.raises(ValueError):
        suggest_size(**args)


prices = st.decimals(min_value=D("0.0001"), max_value=D("100000"), places=4)


@given(
    deposit=st.decimals(min_value=D("0"), max_value=D("1000000"), places=2),
    risk=st.decimals(min_value=D("0.001"), max_value=D("0.1"), places=3),
    entry=prices,
    stop=prices,
    leverage=st.integers(min_value=1, max_value=125),
    cap=st.decimals(min_value=D("0.01"), max_value=D("1"), places=2),
    min_notional=st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("100"))),
    held=st.decimals(min_value=D("0"), max_value=D("1000000"), places=2),
)
def test_size_never_exceeds_its_caps(deposit, risk, entry, stop, leverage, cap, min_notional, held):
    if entry == stop:
        return
    s = suggest_size(deposit, risk, entry, stop, leverage, cap, min_notional, open_notional=held)
    assert s.qty >= 0 and s.notional >= 0 and s.risk_amount >= 0
    if deposit == 0:
        assert s.status == "no_deposit"
        return
    assert s.risk_amount <= deposit * risk
    assert s.margin <= deposit * cap
    assert s.notional <= max(D(0), deposit * leverage - held)
    if s.status == "ok":
        assert s.qty > 0
        assert min_notional is None or s.notional >= min_notional
    else:
        assert s.status == "too_small"


def test_unknown_step_keeps_six_significant_digits_rounded_down():
    # 10 risk / 0.3 distance = 33.333... units; no market step -> 33.3333, never 28 digits
    s = suggest_size(D("1000"), D("0.01"), D("3"), D("2.7"), 10)
    assert s.qty == D("33.3333") and s.notional == D("99.9999")
    btc = suggest_size(D("1000"), D("0.01"), D("60194.95"), D("59000"), 1, D("1"))
    # 10 / 1 194.95 = 0.0083685509...
    assert btc.qty == D("0.00836855") and btc.qty * D("60194.95") == btc.notional
    assert fallback_qty_step(D("12345678.9")) == D("100")
    assert fallback_qty_step(D("0.000000123456789")) == D("1e-8")  # never finer than 1e-8
