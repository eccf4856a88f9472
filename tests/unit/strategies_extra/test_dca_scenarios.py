"""DCA deals candle by candle.

Config for every case: base order 100 quote, safety orders 100 then 200 quote at 5 %
and 10 % below the base price, take-profit 2 % above the average, no fee unless stated.
The first open is 100: the base order buys 1.0; safety orders rest at 95 and 90; the
take-profit rests at 102.
"""

from __future__ import annotations

import pytest

from core.strategies.dca import DcaConfig, DcaStrategy
from tests.unit.strategies_extra.pathsim_frames import candles


def run(rows, fee: float = 0.0, cash: float = 1000.0, **cfg: object):
    params = {
        "base_order": 100.0,
        "safety_order": 100.0,
        "safety_orders": 2,
        "volume_scale": 2.0,
        "deviation": 0.05,
        "step_scale": 1.0,
        "take_profit": 0.02,
        **cfg,
    }
    return DcaStrategy(**params).simulate(candles(rows), initial_cash=cash, fee_rate=fee)


def closed(result) -> list[tuple]:
    t = result.trades[result.trades["exit_time"].notna()]
    return [
        (round(r.entry_price, 4), round(r.exit_price, 4), r.exit_reason, int(r.exit_bar))
        for r in t.itertuples()
    ]


def test_take_profit_of_base_order_only() -> None:
    # up candle 100 -> 103 reaches 102
    r = run([(100, 103, 99, 101)], restart=False)
    assert closed(r) == [(100.0, 102.0, "take_profit", 0)]
    assert r.trades["pnl"].iloc[0] == pytest.approx(2.0)
    assert r.equity[0] == pytest.approx(1002.0)


def test_safety_fill_moves_tp_which_fills_on_later_leg_of_down_candle() -> None:
    # down candle 100 -> 94 fills 100/95 at 95: average 200 / (1 + 1/0.95) = 97.4359,
    # TP 99.3846; the leg 94 -> 101 reaches it: pnl = 200 * 2 % = 4
    r = run([(100, 101, 94, 96)], restart=False)
    avg = 200 / (1 + 100 / 95)
    assert closed(r) == [(round(avg, 4), round(avg * 1.02, 4), "take_profit", 0)]
    assert r.trades["pnl"].iloc[0] == pytest.approx(4.0)
    assert r.extra["avg_safety_orders"] == 1.0


def test_up_candle_tp_not_reached_before_safety_fill() -> None:
    # up candle: 100 -> 101 (TP 102 not reached), 101 -> 94 fills at 95, 94 -> 100.5 hits
    # the moved TP 99.3846
    r = run([(100, 101, 94, 100.5)], restart=False)
    assert closed(r)[0][2] == "take_profit"
    # same candle but closing at 99: the TP at 99.3846 is not reached
    r = run([(100, 99.2, 94, 99)], restart=False)
    assert closed(r) == []
    assert r.trades["qty"].iloc[0] == pytest.approx(1 + 100 / 95)


def test_gap_fills_safety_orders_at_open() -> None:
    # bar 1 opens at 89 below both safety levels: 100/95 and 200/90 base bought at 89
    r = run([(100, 100.5, 99.5, 100), (89, 89.5, 88.5, 89)], restart=False)
    qty = 1 + 100 / 95 + 200 / 90
    cost = 100 + (100 / 95 + 200 / 90) * 89
    row = r.trades.iloc[0]
    assert row["qty"] == pytest.approx(qty)
    assert row["entry_price"] == pytest.approx(cost / qty)
    assert r.extra["max_safety_orders"] == 0  # the deal is still open
    assert r.equity[1] == pytest.approx(1000 - cost + qty * 89)


def test_stop_loss_after_safety_orders_inside_candle() -> None:
    # stop 12 % below 100 = 88: 100 -> 87 fills 95 and 90, then the stop at 88
    r = run([(100, 100.5, 87, 87.5)], stop_loss=0.12, restart=False)
    qty = 1 + 100 / 95 + 200 / 90
    assert closed(r)[0][1:] == (88.0, "stop_loss", 0)
    assert r.trades["pnl"].iloc[0] == pytest.approx(qty * 88 - 400)
    assert r.extra["stopped_deals"] == 1


def test_restart_opens_next_deal_at_next_open() -> None:
    r = run([(100, 103, 99, 101), (101, 101.5, 100.5, 101)])
    assert r.extra["deals"] == 2 and r.extra["completed_deals"] == 1
    open_deal = r.trades[r.trades["exit_time"].isna()].iloc[0]
    assert open_deal["entry_price"] == 101.0 and open_deal["entry_bar"] == 1


def test_fees_on_every_fill() -> None:
    r = run([(100, 103, 99, 101)], fee=0.001, restart=False)
    # buy 100 (fee 0.1), sell 1.0 at 102 (fee 0.102)
    assert r.trades["pnl"].iloc[0] == pytest.approx(2.0 - 0.202)
    assert r.trades["fees"].iloc[0] == pytest.approx(0.202)


def test_unfunded_safety_order_is_skipped() -> None:
    # cash 250: base 100, first safety 100 fits, the 200 one does not
    r = run([(100, 100.5, 85, 86)], cash=250.0, restart=False)
    assert r.extra["unfunded_orders"] == 1
    assert r.trades["qty"].iloc[0] == pytest.approx(1 + 100 / 95)


def test_deviation_steps_and_validation() -> None:
    cfg = DcaConfig(deviation=0.01, step_scale=2.0, safety_orders=3)
    assert cfg.deviations() == pytest.approx([0.01, 0.03, 0.07])
    with pytest.raises(ValueError):
        DcaConfig(take_profit=0)
    with pytest.raises(ValueError):
        DcaConfig(deviation=1.5)
    with pytest.raises(ValueError):
        DcaConfig(stop_loss=2.0)
