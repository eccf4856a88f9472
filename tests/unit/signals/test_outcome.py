"""Candle-by-candle scenarios for following a signal (hand-computed R)."""

from __future__ import annotations

import pandas as pd
import pytest

from services.signals.outcome import follow_signal

H = 3_600_000
T0 = 1_700_000_000_000 - (1_700_000_000_000 % H)


def _frame(bars: list[tuple[float, float, float, float]]) -> pd.DataFrame:
    """Bars after the signal bar at T0: (open, high, low, close)."""
    rows = [(T0 + (i + 1) * H, *b, 1.0) for i, b in enumerate(bars)]
    return pd.DataFrame(rows, columns=["timestamp", "open", "high", "low", "close", "volume"])


def _follow(bars, *, side=1, expiry_bars=24, now_bars=None):
    frame = _frame(bars)
    now = T0 + ((now_bars if now_bars is not None else len(bars)) + 1) * H
    tps = (110.0, 120.0, 130.0) if side == 1 else (90.0, 80.0, 70.0)
    stop = 95.0 if side == 1 else 105.0
    return follow_signal(
        side=side,
        entry=100.0,
        stop=stop,
        tps=tps,
        bar_time=T0,
        expires_ms=T0 + (expiry_bars + 1) * H,
        candles=frame,
        now_ms=now,
        timeframe_ms=H,
    )


def test_stop_first_is_minus_one_r() -> None:
    out = _follow([(100, 101, 99, 100), (99, 100, 94, 95)])
    assert (out.status, out.tp_hit, out.r) == ("sl", 0, pytest.approx(-1.0))
    assert out.sl_ms == T0 + 2 * H and out.closed_ms == T0 + 2 * H


def test_all_targets_in_turn() -> None:
    # R per target: (10/5, 20/5, 30/5) = (2, 4, 6); 0.5*2 + 0.3*4 + 0.2*6 = 3.4
    out = _follow([(100, 111, 99, 110), (110, 121, 108, 120), (120, 131, 119, 130)])
    assert (out.status, out.tp_hit) == ("tp3", 3)
    assert out.r == pytest.approx(3.4)
    assert out.tp_ms == (T0 + H, T0 + 2 * H, T0 + 3 * H)


def test_tp1_then_breakeven() -> None:
    # 0.5 * 2R banked, the stop moves to 100 and the rest closes flat.
    out = _follow([(100, 111, 99, 110), (105, 106, 99, 100)])
    assert (out.status, out.tp_hit, out.r) == ("breakeven", 1, pytest.approx(1.0))
    assert out.current_stop == 100.0


def test_bar_touching_stop_and_tp_stops_out() -> None:
    out = _follow([(100, 112, 94, 105)])
    assert (out.status, out.r) == ("sl", pytest.approx(-1.0))


def test_gap_through_stop_fills_at_open() -> None:
    out = _follow([(100, 101, 99, 100), (92, 93, 90, 91)])
    assert out.r == pytest.approx(-8 / 5)


def test_short_mirror() -> None:
    out = _follow([(100, 101, 89, 90), (90, 91, 79, 80)], side=-1)
    assert (out.status, out.tp_hit) == ("tp2", 2)
    assert out.is_open
    assert out.r == pytest.approx(0.5 * 2 + 0.3 * 4)


def test_open_signal_waits_and_then_expires_at_last_close() -> None:
    bars = [(100, 102, 98, 101)] * 3 + [(101, 103, 99, 102)]
    still_open = _follow(bars, expiry_bars=4, now_bars=3)
    assert (still_open.status, still_open.closed_ms, still_open.r) == ("active", None, 0.0)
    assert still_open.checked_ms == T0 + 3 * H
    expired = _follow(bars, expiry_bars=4)
    assert expired.status == "expired"
    assert expired.closed_ms == T0 + 5 * H
    assert expired.r == pytest.approx((102 - 100) / 5)


def test_candles_not_closed_yet_are_ignored() -> None:
    frame = _frame([(100, 101, 94, 95)])
    out = follow_signal(
        side=1,
        entry=100.0,
        stop=95.0,
        tps=(110.0, 120.0, 130.0),
        bar_time=T0,
        expires_ms=T0 + 25 * H,
        candles=frame,
        now_ms=T0 + H + 10,  # the next candle is still open
        timeframe_ms=H,
    )
    assert out.status == "active"


def test_rejects_zero_risk() -> None:
    with pytest.raises(ValueError):
        follow_signal(
            side=1,
            entry=100.0,
            stop=100.0,
            tps=(110.0, 120.0, 130.0),
            bar_time=T0,
            expires_ms=T0 + H,
            candles=_frame([]),
            now_ms=T0,
            timeframe_ms=H,
        )
