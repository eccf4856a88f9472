"""core/accounting.py: exact money helpers, checked against hand-computed values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import accounting as acc

D = Decimal


def test_to_decimal_avoids_binary_noise_and_refuses_non_finite() -> None:
    assert acc.to_decimal(0.1) == D("0.1")
    assert acc.to_decimal(60000.5) == D("60000.5")
    for bad in (float("nan"), float("inf"), "abc"):
        with pytest.raises(ValueError):
            acc.to_decimal(bad)


def test_fee_pnl_and_balance_identity() -> None:
    # 0.1 BTC bought at 60000, sold at 61000, 0.1 % taker fee each side.
    entry_fee = acc.fee(D(60000), D("0.1"), D("0.001"))
    exit_fee = acc.fee(D(61000), D("0.1"), D("0.001"))
    gross = acc.pnl("long", D(60000), D(61000), D("0.1"))
    assert (entry_fee, exit_fee, gross) == (D(6), D("6.1"), D(100))
    assert acc.balance(D(1000), gross, entry_fee + exit_fee) == D("987.9") + D(100)
    assert acc.pnl("short", D(60000), D(61000), D("0.1")) == D(-100)


def test_liquidation_price_uses_the_shared_rule() -> None:
    # 10x long at 100 with 0.5 % maintenance: 100 * 0.9 / 0.995
    assert acc.liquidation_price(D(100), "long", 10) == acc.money(D(90) / D("0.995"))
    assert acc.liquidation_price(D(100), "short", 5) == acc.money(D(120) / D("1.005"))
    assert acc.liquidation_price(D(100), "long", 1) is None


@pytest.mark.parametrize(
    ("precision", "step"),
    [
        (0.001, D("0.001")),
        ("0.1", D("0.1")),
        (1e-05, D("0.00001")),
        # Whole-unit lots (Binance DOGE/XRP/TRX stepSize "1", the sim's XRP and DOGE):
        # ccxt's TICK_SIZE mode reports 1.0, which is a step of 1, not "1 decimal".
        (1.0, D(1)),
        (10, D(10)),
        (None, None),
        (-1, None),
        (0, None),
    ],
)
def test_step_from_precision(precision: object, step: Decimal | None) -> None:
    """MarketInfo precisions are steps (contracts: "lot step", "tick size")."""
    assert acc.step_from_precision(precision) == step  # type: ignore[arg-type]


def test_whole_unit_lot_rounds_quantity_to_whole_units() -> None:
    # 100 USDT of margin buys 812.34 DOGE at 0.1231; the market trades whole coins.
    step = acc.step_from_precision(1.0)
    assert acc.quantity_for_margin(D(100), 1, D("0.1231"), step) == D(812)


def test_quantity_rounds_down_to_step() -> None:
    # 100 USDT at 3x on 61234.5: 300 / 61234.5 = 0.004899... -> 0.00489 with step 1e-5
    assert acc.quantity_for_margin(D(100), 3, D("61234.5"), D("0.00001")) == D("0.00489")
    assert acc.round_qty(D("0.0099"), D("0.001")) == D("0.009")
    assert acc.round_price(D("100.126"), D("0.01")) == D("100.13")


def test_risk_at_stop_includes_exit_fee() -> None:
    # long 2 @ 100, stop 95: loss 10 plus fee 95*2*0.001 = 0.19
    assert acc.risk_at_stop("long", D(100), D(95), D(2), D("0.001")) == D("10.19")
    assert acc.risk_at_stop("short", D(100), D(105), D(2), D(0)) == D(10)
    assert acc.risk_at_stop("long", D(100), None, D(2), D(0)) is None


def test_sides() -> None:
    assert acc.stop_on_correct_side("long", D(100), D(99))
    assert not acc.stop_on_correct_side("long", D(100), D(101))
    assert acc.stop_on_correct_side("short", D(100), D(101))
    assert acc.target_on_correct_side("short", D(100), D(90))
    assert acc.position_kind(1) == "spot" and acc.position_kind(3) == "perp"
    with pytest.raises(ValueError):
        acc.direction("up")  # type: ignore[arg-type]
