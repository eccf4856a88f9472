"""Grid sweeps candle by candle.

Every test uses levels 90, 95, 100, 105, 110 (slots 90-95, 95-100, 100-105, 105-110),
100 quote per level (slot 100-105 trades 1.0 base), cash 1000, no fee unless stated.
The first open, 102, is below the 105 buy level, so slot 105-110 is bought at 102 at
the start and rests its sell at 110; the others rest buys at 90, 95, 100.
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.strategies.grid import GridConfig, GridStrategy, grid_levels, recentred_bounds
from core.strategies.pathsim import candle_path
from tests.unit.strategies_extra.pathsim_frames import candles


def run(rows: list[tuple[float, float, float, float]], fee: float = 0.0, **cfg: object):
    params = {"lower": 90.0, "upper": 110.0, "levels": 5, "amount_per_level": 100.0, **cfg}
    return GridStrategy(**params).simulate(candles(rows), initial_cash=1000.0, fee_rate=fee)


def fills(result) -> list[tuple]:
    """(entry, exit, reason, exit bar) of every trade; open trades have exit None."""
    out = []
    for r in result.trades.itertuples():
        exit_ = None if pd.isna(r.exit_price) else round(r.exit_price, 6)
        bar = None if pd.isna(r.exit_bar) else int(r.exit_bar)
        reason = None if pd.isna(r.exit_reason) else r.exit_reason
        out.append((round(r.entry_price, 6), exit_, reason, bar))
    return sorted(out, key=lambda x: (x[1] is None, x))


def test_sweep_order_of_up_and_down_candles() -> None:
    down = candle_path(None, 102, 106, 99, 100)
    up = candle_path(None, 102, 106, 99, 103)
    assert [(s.start, s.end) for s in down] == [(102, 99), (99, 106), (106, 100)]
    assert [(s.start, s.end) for s in up] == [(102, 106), (106, 99), (99, 103)]
    gap = candle_path(100, 93, 94, 92, 93.5)
    assert gap[0].gap and (gap[0].start, gap[0].end) == (100, 93)


def test_down_candle_buys_then_counter_sell_fills_on_later_leg() -> None:
    # 102 -> 99 buys at 100; 99 -> 106 sells that lot at 105 (cycle); 106 -> 100 buys again
    r = run([(102, 106, 99, 100)])
    assert fills(r) == [
        (100.0, 105.0, "grid", 0),
        (100.0, None, None, None),
        (102.0, None, None, None),
    ]
    assert r.extra["cycles"] == 1
    # cash 1000 - 97.142857 (100/105 at 102) - 100 + 105 - 100; lots 1 + 100/105 at 100
    assert r.equity[0] == pytest.approx(
        1000 - 100 / 105 * 102 - 100 + 105 - 100 + 100 + 100 / 105 * 100
    )


def test_up_candle_same_range_no_cycle() -> None:
    # 102 -> 106 (nothing held below 105), 106 -> 99 buys at 100, 99 -> 103 below 105
    r = run([(102, 106, 99, 103)])
    assert fills(r) == [(100.0, None, None, None), (102.0, None, None, None)]
    assert r.extra["cycles"] == 0


def test_counter_order_not_reached_after_fill_waits() -> None:
    # down candle: buy at 100 on 102 -> 99; the leg up to 102.5 does not reach 105
    r = run([(102, 102.5, 99, 100)])
    assert r.extra["cycles"] == 0
    assert (100.0, None, None, None) in fills(r)


def test_two_cycles_in_one_up_candle() -> None:
    # bar 0: buy at 100. bar 1 up: 100 -> 105.5 sells at 105; 105.5 -> 99.5 buys at 100;
    # 99.5 -> 105 sells at 105 again
    r = run([(102, 102.5, 99, 100), (100, 105.5, 99.5, 105)])
    assert r.extra["cycles"] == 2
    assert fills(r) == [
        (100.0, 105.0, "grid", 1),
        (100.0, 105.0, "grid", 1),
        (102.0, None, None, None),
    ]


def test_gap_fills_limit_buys_at_the_open() -> None:
    # prev close 101, open 93: buys resting at 100 and 95 both fill at 93
    r = run([(102, 102, 101, 101), (93, 94, 92, 93.5)])
    assert fills(r) == [
        (93.0, None, None, None),
        (93.0, None, None, None),
        (102.0, None, None, None),
    ]
    assert r.trades["entry_bar"].tolist().count(1) == 2


def test_stop_loss_inside_candle_sells_everything_and_stops() -> None:
    # bar 1: gap 101 -> 100 buys at 100 (open); 100 -> 91 buys at 95, then the 92 stop
    r = run([(102, 102, 101, 101), (100, 100.5, 91, 91.5), (91.5, 120, 80, 100)], stop_loss=92.0)
    assert fills(r) == [
        (95.0, 92.0, "stop_loss", 1),
        (100.0, 92.0, "stop_loss", 1),
        (102.0, 92.0, "stop_loss", 1),
    ]
    assert r.extra["stop_reason"] == "stop_loss"
    assert r.equity[2] == r.equity[1]  # no trading after the stop


def test_stop_loss_gap_fills_at_open() -> None:
    # gap 101 -> 90 jumps the 100, 95, 90 buys (all at 90) and the 92 stop: all sold at 90
    r = run([(102, 102, 101, 101), (90, 91, 89, 90.5)], stop_loss=92.0)
    assert {f[1] for f in fills(r)} == {90.0}
    assert len(r.trades) == 4 and set(r.trades["exit_reason"]) == {"stop_loss"}


def test_take_profit_sells_at_level() -> None:
    r = run([(102, 109, 101.5, 108.5)], take_profit=108.0)
    assert fills(r) == [(102.0, 108.0, "take_profit", 0)]
    assert r.trades["pnl"].iloc[0] == pytest.approx(100 / 105 * 6)


def test_fees_on_both_fills_of_a_cycle() -> None:
    r = run([(102, 106, 99, 100)], fee=0.001)
    cycle = r.trades[r.trades["exit_reason"] == "grid"].iloc[0]
    # 1.0 * (105 - 100) - 100 * 0.001 - 105 * 0.001
    assert cycle["pnl"] == pytest.approx(4.795)
    assert cycle["fees"] == pytest.approx(0.205)
    assert r.extra["profit_per_cycle"] == pytest.approx(4.795)


def test_max_drawdown_stop_sells_at_close() -> None:
    # bar 1 buys at 100 (gap); close 95.5: 802.857 + 1.952381 * 95.5 = 989.31 < 990
    rows = [(102, 102, 101, 101), (100, 100, 95.5, 95.5), (95.5, 110, 90, 100)]
    r = run(rows, max_drawdown=0.01)
    assert r.extra["stop_reason"] == "max_drawdown"
    assert set(r.trades["exit_reason"]) == {"max_drawdown"}
    assert set(r.trades["exit_price"]) == {95.5}
    assert r.equity[2] == r.equity[1]


def test_trailing_recentres_when_close_leaves_bounds() -> None:
    # 102 -> 112 sells the 102 lot at 110; 112 -> 101.5 buys at 105; 101.5 -> 111 sells it
    # at 110; close 111 > 110: re-centre to 101..121 and buy slots 111 and 116 at 111
    r = run([(102, 112, 101.5, 111)], trailing=True, cooldown_bars=0)
    assert r.extra["cycles"] == 2 and r.extra["recenters"] == 1
    assert r.extra["levels"] == [101.0, 106.0, 111.0, 116.0, 121.0]
    assert sorted(r.trades.loc[r.trades["exit_time"].isna(), "entry_price"]) == [111.0, 111.0]


def test_cooldown_limits_recentring() -> None:
    rows = [(102, 112, 101.5, 111), (111, 125, 110, 124), (124, 140, 123, 139)]
    assert run(rows, trailing=True, cooldown_bars=0).extra["recenters"] == 3
    assert run(rows, trailing=True, cooldown_bars=5).extra["recenters"] == 1


def test_unfunded_buys_are_skipped() -> None:
    r = GridStrategy(lower=90.0, upper=110.0, levels=5, amount_per_level=100.0).simulate(
        candles([(102, 102, 80, 85)]), initial_cash=150.0, fee_rate=0.0
    )
    # 97.14 at the start leaves 52.86: the buys at 100, 95 and 90 cannot be paid, each
    # touched twice (102 -> 80 and 102 -> 85)
    assert r.extra["unfunded_orders"] == 6
    assert len(r.trades) == 1


def test_level_fill_rate_and_capital_efficiency() -> None:
    r = run([(102, 106, 99, 100)])
    # levels touched by a limit fill: 100 (buy) and 105 (sell) of 5
    assert r.extra["level_fill_rate"] == pytest.approx(2 / 5)
    # 5 profit on 4 slots x 100 committed
    assert r.extra["capital_efficiency"] == pytest.approx(5 / 400)
    assert r.extra["profit_per_grid"] == pytest.approx([5 / 105, 5 / 90])


def test_levels_spacing_and_recentring_shape() -> None:
    assert grid_levels(100, 400, 3, "geometric").tolist() == pytest.approx([100, 200, 400])
    assert grid_levels(100, 400, 4, "arithmetic").tolist() == pytest.approx([100, 200, 300, 400])
    assert recentred_bounds(150, 90, 110, "arithmetic") == (140, 160)
    lo, hi = recentred_bounds(200, 100, 400, "geometric")
    assert (lo, hi) == pytest.approx((100, 400))


def test_bad_config_is_refused() -> None:
    with pytest.raises(ValueError):
        GridConfig(lower=110.0, upper=90.0)
    with pytest.raises(ValueError):
        GridConfig(lower=90.0)
    with pytest.raises(ValueError):
        GridConfig(levels=1)
    with pytest.raises(ValueError):
        GridConfig(spacing="log")  # type: ignore[arg-type]


def test_no_data_leaves_cash_untouched() -> None:
    r = run([])
    assert len(r.trades) == 0 and r.equity.size == 0
    assert r.extra["started"] is False and r.initial_cash == 1000.0
