"""The backtest engine on hand-made frames: every number below is computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.backtest import (
    BacktestConfig,
    BacktestConfigError,
    BacktestInputError,
    run_backtest,
)
from core.strategies.base import SignalFrame

FLAT = (100.0, 101.0, 99.0, 100.0)


def make_frame(bars: list[tuple[float, float, float, float]]) -> pd.DataFrame:
    a = np.asarray(bars, dtype=np.float64)
    return pd.DataFrame(
        {
            "timestamp": 1_700_000_000_000 + np.arange(len(a), dtype=np.int64) * 3_600_000,
            "open": a[:, 0],
            "high": a[:, 1],
            "low": a[:, 2],
            "close": a[:, 3],
            "volume": np.full(len(a), 10.0),
        }
    )


class Scripted:
    """A strategy whose signals are given per bar: {bar: (direction, stop, tp1, tp2, tp3)}."""

    name = "scripted"

    def __init__(
        self,
        entries: dict[int, tuple[int, float, float, float, float]],
        exits: tuple[int, ...] = (),
    ) -> None:
        self.entries = entries
        self.exits = exits
        self.seen_lengths: list[int] = []

    def generate(self, frame: pd.DataFrame) -> SignalFrame:
        n = len(frame)
        self.seen_lengths.append(n)
        sig = SignalFrame.empty(n)
        for bar, (d, stop, tp1, tp2, tp3) in self.entries.items():
            if bar < n:
                sig.direction[bar] = d
                for name, v in zip(
                    ("stop", "tp1", "tp2", "tp3"), (stop, tp1, tp2, tp3), strict=True
                ):
                    getattr(sig, name)[bar] = v if v else np.nan
        for bar in self.exits:
            if bar < n:
                sig.exit[bar] = 1
        return sig


def cfg(**kw: object) -> BacktestConfig:
    base: dict[str, object] = {
        "initial_cash": 10_000.0,
        "fee_rate": 0.0,
        "size_mode": "fixed_qty",
        "size": 1.0,
    }
    base.update(kw)
    return BacktestConfig(**base)  # type: ignore[arg-type]


def test_signal_exit_at_next_open_with_fees() -> None:
    frame = make_frame([FLAT, (101, 102, 100, 101), (103, 104, 102, 104), (105, 106, 104, 105)])
    res = run_backtest(frame, Scripted({0: (1, 0, 0, 0, 0)}, exits=(2,)), cfg(fee_rate=0.001))
    t = res.trades.iloc[0]
    assert (t.entry_bar, t.exit_bar, t.exit_reason) == (1, 3, "signal")
    assert (t.entry_price, t.exit_price) == (101.0, 105.0)
    assert t.entry_time == frame.timestamp[1] and t.exit_time == frame.timestamp[3]
    assert math.isclose(t.fees, 0.101 + 0.105)
    assert math.isclose(t.pnl, 4 - 0.206)
    # equity marks the open position at each close: bar 1 close 101, entry fee paid
    assert math.isclose(res.equity[1], 10_000 - 0.101)
    assert math.isclose(res.equity[2], 10_000 - 0.101 + 3)
    assert math.isclose(res.equity[-1], 10_000 + t.pnl)


def test_short_then_reversal_on_opposite_signal() -> None:
    frame = make_frame([FLAT, FLAT, (98, 99, 97, 98), (97, 98, 96, 97), (99, 100, 98, 99)])
    res = run_backtest(frame, Scripted({0: (-1, 0, 0, 0, 0), 2: (1, 0, 0, 0, 0)}), cfg())
    short, long_ = res.trades.iloc[0], res.trades.iloc[1]
    assert (short.side, short.entry_bar, short.exit_bar, short.exit_reason) == (
        "short",
        1,
        3,
        "signal",
    )
    assert short.pnl == 100 - 97
    assert (long_.side, long_.entry_bar, long_.entry_price) == ("long", 3, 97.0)
    assert pd.isna(long_.exit_time) and long_.exit_reason == "end"
    assert long_.pnl == 99 - 97  # marked to the last close
    assert math.isclose(res.equity[-1], 10_000 + 3 + 2)


def test_direction_filter_long_only_closes_on_short_signal_without_shorting() -> None:
    frame = make_frame([FLAT] * 5)
    strat = Scripted({0: (1, 0, 0, 0, 0), 2: (-1, 0, 0, 0, 0)})
    res = run_backtest(frame, strat, cfg(direction="long"))
    assert list(res.trades.side) == ["long"]
    assert res.trades.exit_bar.iloc[0] == 3


def test_max_positions_blocks_and_allows() -> None:
    frame = make_frame([FLAT] * 6)
    strat = Scripted({0: (1, 0, 0, 0, 0), 1: (1, 0, 0, 0, 0)})
    one = run_backtest(frame, strat, cfg(max_positions=1))
    assert len(one.trades) == 1
    assert list(one.blocked.reason) == ["max_positions"]
    assert one.blocked.bar.iloc[0] == 2 and one.blocked.side.iloc[0] == "long"
    two = run_backtest(frame, strat, cfg(max_positions=2))
    assert list(two.trades.entry_bar) == [1, 2]
    assert two.blocked.empty


@pytest.mark.parametrize(
    ("mode", "size", "leverage", "qty"),
    [
        ("fixed_qty", 2.0, 1.0, 2.0),
        ("quote", 500.0, 1.0, 5.0),  # 500 of margin at 100
        ("quote", 500.0, 3.0, 15.0),  # notional = margin x leverage
        ("equity_pct", 10.0, 1.0, 10.0),  # 10 % of 10,000 at 100
        ("risk", 1.0, 1.0, 20.0),  # risk 100 over a 5-point stop
    ],
)
def test_sizing_modes(mode: str, size: float, leverage: float, qty: float) -> None:
    frame = make_frame([FLAT] * 3)
    res = run_backtest(
        frame,
        Scripted({0: (1, 95.0, 0, 0, 0)}),
        cfg(size_mode=mode, size=size, leverage=leverage),
    )
    assert math.isclose(res.trades.qty.iloc[0], qty)


def test_sizing_refusals_and_cash_cap() -> None:
    frame = make_frame([FLAT] * 3)
    no_stop = run_backtest(frame, Scripted({0: (1, 0, 0, 0, 0)}), cfg(size_mode="risk"))
    assert no_stop.trades.empty and list(no_stop.blocked.reason) == ["no_stop_for_risk_sizing"]
    too_big = run_backtest(frame, Scripted({0: (1, 0, 0, 0, 0)}), cfg(size=101.0))
    assert too_big.trades.empty and list(too_big.blocked.reason) == ["insufficient_cash"]
    # 100 % of equity with a 0.1 % fee is cut so margin + fee fit the cash.
    full = run_backtest(
        frame,
        Scripted({0: (1, 0, 0, 0, 0)}),
        cfg(size_mode="equity_pct", size=100.0, fee_rate=0.001),
    )
    assert math.isclose(full.trades.qty.iloc[0], 10_000 / (100 * 1.001))


def test_liquidation_with_leverage() -> None:
    frame = make_frame([FLAT, FLAT, (98, 99, 85, 86), FLAT])
    res = run_backtest(
        frame,
        Scripted({0: (1, 80.0, 0, 0, 0)}),
        cfg(size_mode="quote", size=1_000.0, leverage=10.0),
    )
    t = res.trades.iloc[0]
    liq = 100 * 0.9 / 0.995
    assert (t.exit_reason, t.exit_bar) == ("liquidation", 2)
    assert math.isclose(t.exit_price, liq)
    assert math.isclose(t.qty, 100.0)
    assert math.isclose(t.pnl, (liq - 100) * 100)
    # margin 1,000 is lost down to the maintenance margin left at the liquidation price
    assert math.isclose(res.equity[-1], 10_000 - 1_000 + 0.005 * liq * 100, rel_tol=1e-12)


def test_partial_tps_breakeven_and_r_multiples() -> None:
    frame = make_frame([FLAT, (100, 105, 99, 104), (104, 109, 103, 108), (108, 108.5, 99, 100)])
    res = run_backtest(frame, Scripted({0: (1, 95.0, 104.0, 108.0, 112.0)}), cfg(size=10.0))
    tr = res.trades
    assert list(tr.exit_reason) == ["tp1", "tp2", "stop"]
    assert list(tr.qty) == pytest.approx([5.0, 3.0, 2.0])
    assert list(tr.exit_price) == [104.0, 108.0, 100.0]
    assert list(tr.exit_bar) == [1, 2, 3]
    assert tr.position_id.nunique() == 1
    assert list(tr.r_multiple) == pytest.approx([4 / 5, 8 / 5, 0.0])


def test_trailing_stop_from_config() -> None:
    frame = make_frame([FLAT, (100, 110, 99, 108), (108, 112, 107, 111), (111, 111, 105, 106)])
    res = run_backtest(frame, Scripted({0: (1, 90.0, 0, 0, 0)}), cfg(trailing_stop=0.05))
    t = res.trades.iloc[0]
    assert (t.exit_reason, t.exit_bar) == ("stop", 3)
    assert math.isclose(t.exit_price, 112 * 0.95)


def test_window_start_end_and_warmup() -> None:
    frame = make_frame([FLAT] * 10)
    ts = frame.timestamp.to_numpy()
    strat = Scripted({1: (1, 0, 0, 0, 0), 4: (1, 0, 0, 0, 0)})
    res = run_backtest(frame, strat, cfg(start=int(ts[3]), end=int(ts[7])))
    assert strat.seen_lengths == [8]  # signals see bars up to `end` only
    assert len(res.equity) == 5 and list(res.timestamps) == list(ts[3:8])
    # the bar-1 signal is before the window; the bar-4 signal enters at bar 5 (index 2)
    assert list(res.trades.entry_bar) == [2]
    assert res.trades.entry_time.iloc[0] == ts[5]


def test_bad_periods_and_settings() -> None:
    frame = make_frame([FLAT] * 4)
    ts = frame.timestamp.to_numpy()
    with pytest.raises(BacktestInputError, match="no candles"):
        run_backtest(frame, Scripted({}), cfg(start=int(ts[-1]) + 1))
    with pytest.raises(BacktestConfigError, match="after end"):
        cfg(start=int(ts[2]), end=int(ts[1]))
    with pytest.raises(BacktestConfigError, match="leverage"):
        cfg(leverage=0.5)
    with pytest.raises(BacktestConfigError, match="size_mode"):
        cfg(size_mode="all_in")
    # mmr >= 1/leverage puts liquidation at or beyond the entry (instant liquidation)
    with pytest.raises(BacktestConfigError, match=r"below 1/leverage \(0.05 at 20x\)"):
        cfg(leverage=20, maintenance_margin=0.05)
    with pytest.raises(BacktestConfigError, match="below 1/leverage"):
        cfg(leverage=125, maintenance_margin=0.01)
    cfg(leverage=20, maintenance_margin=0.049)
    cfg(leverage=1, maintenance_margin=0.4)


def test_progress_reports_every_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.backtest import engine

    monkeypatch.setattr(engine, "CHUNK_BARS", 4)
    frame = make_frame([FLAT, (101, 102, 100, 101)] * 5)
    calls: list[tuple[int, int]] = []
    strat = Scripted({0: (1, 0, 0, 0, 0), 6: (-1, 0, 0, 0, 0)})
    chunked = run_backtest(frame, strat, cfg(), progress=lambda d, n: calls.append((d, n)))
    assert calls == [(4, 10), (8, 10), (10, 10)]
    monkeypatch.setattr(engine, "CHUNK_BARS", 1000)
    whole = run_backtest(frame, strat, cfg())
    pd.testing.assert_frame_equal(chunked.trades, whole.trades)
    np.testing.assert_array_equal(chunked.equity, whole.equity)


def test_atr_slippage_uses_previous_bar_atr() -> None:
    from core.indicators import atr

    rng = np.random.default_rng(3)
    close = 100 + np.cumsum(rng.normal(0, 1, 40))
    bars = [(c, c + 1.5, c - 1.5, c) for c in close]
    frame = make_frame(bars)
    res = run_backtest(frame, Scripted({30: (1, 0, 0, 0, 0)}), cfg(slippage_atr=0.5))
    expected_atr = atr(frame.high.to_numpy(), frame.low.to_numpy(), frame.close.to_numpy(), 14)
    t = res.trades.iloc[0]
    assert t.entry_bar == 31
    assert math.isclose(t.entry_price, frame.open[31] + 0.5 * expected_atr[30])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    leverage=st.sampled_from([1.0, 3.0, 20.0]),
    max_positions=st.integers(1, 3),
    mode=st.sampled_from(["fixed_qty", "quote", "equity_pct", "risk"]),
)
def test_random_signals_keep_the_books_balanced(
    seed: int, leverage: float, max_positions: int, mode: str
) -> None:
    """Whatever the signals, cash + positions == initial + net PnL, quantities stay >= 0."""
    rng = np.random.default_rng(seed)
    n = 120
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    opens = np.concatenate(([100.0], close[:-1])) * (1 + rng.normal(0, 0.005, n))
    high = np.maximum(opens, close) * (1 + np.abs(rng.normal(0, 0.01, n)))
    low = np.minimum(opens, close) * (1 - np.abs(rng.normal(0, 0.01, n)))
    frame = make_frame(list(zip(opens, high, low, close, strict=True)))
    entries = {}
    for bar in np.flatnonzero(rng.random(n) < 0.15):
        d = int(rng.choice([1, -1]))
        c = close[bar]
        entries[int(bar)] = (d, c * (1 - d * 0.03), c * (1 + d * 0.02), c * (1 + d * 0.04), 0)
    exits = tuple(int(b) for b in np.flatnonzero(rng.random(n) < 0.05))
    size = {"fixed_qty": 5.0, "quote": 2_000.0, "equity_pct": 30.0, "risk": 2.0}[mode]
    res = run_backtest(
        frame,
        Scripted(entries, exits),
        cfg(
            fee_rate=0.001,
            slippage_bps=5,
            size_mode=mode,
            size=size,
            leverage=leverage,
            max_positions=max_positions,
        ),
    )
    tr = res.trades
    assert (tr.qty > 0).all()
    assert math.isclose(res.equity[-1], 10_000 + tr.pnl.sum(), rel_tol=1e-9, abs_tol=1e-6)
    per_position = tr.groupby("position_id").size()
    assert (per_position <= 3).all()
    liquidated = tr[tr.exit_reason == "liquidation"]
    assert (leverage > 1) or liquidated.side.eq("short").all()
