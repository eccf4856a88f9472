"""core/risk/guard.py: streak, daily loss and drawdown triggers at their boundaries."""

from __future__ import annotations

from decimal import Decimal

from core.risk.guard import DAY_MS, ClosedTrade, GuardInput, evaluate_guard, sl_streak
from core.risk.limits import RiskLimits

D = Decimal
H = 3_600_000
NOW = 20_000 * DAY_MS + 10 * H  # 10:00 UTC


def stop(ms: int, pnl: str = "-10") -> ClosedTrade:
    return ClosedTrade(ms, "stop", D(pnl))


def state(closed=(), day_pnl="0", history=("1000",), equity="1000", deposit="1000", now=NOW):
    return evaluate_guard(
        RiskLimits(),
        GuardInput(now, D(deposit), list(closed), D(day_pnl), [D(x) for x in history], D(equity)),
    )


def test_streak_counts_only_trailing_losing_stops() -> None:
    trades = [stop(1), ClosedTrade(2, "tp1", D(5)), stop(3), stop(4)]
    assert sl_streak(trades) == (2, 4)
    # A breakeven stop (no loss) ends the streak, as does a manual close.
    assert sl_streak([stop(1), stop(2), ClosedTrade(3, "stop", D("0.5"))]) == (0, None)
    assert sl_streak([stop(1), ClosedTrade(2, "close", D(-3))]) == (0, None)
    assert sl_streak([stop(1), ClosedTrade(2, "liquidation", D(-50))]) == (2, 2)


def test_streak_pause_at_three_for_the_cooldown() -> None:
    last = NOW - H
    two = [stop(NOW - 3 * H), stop(last)]
    assert "sl_streak_pause" not in state(two).wanted
    three = [stop(NOW - 5 * H), *two]
    s = state(three)
    assert s.streak == 3 and s.pause_until_ms == last + 12 * H
    assert s.wanted["sl_streak_pause"] == {"streak": 3, "until_ms": last + 12 * H}
    # The pause ends exactly at the end of the cooldown.
    assert "sl_streak_pause" in state(three, now=last + 12 * H - 1).wanted
    assert "sl_streak_pause" not in state(three, now=last + 12 * H).wanted


def test_daily_loss_boundary_is_five_percent_of_the_deposit() -> None:
    assert "daily_loss_stop" not in state(day_pnl="-49.9999999999").wanted
    s = state(day_pnl="-50")
    assert s.wanted["daily_loss_stop"]["until_ms"] == 20_001 * DAY_MS  # next UTC midnight
    assert s.daily_limit == D("50.00")
    assert "daily_loss_stop" in state(day_pnl="-75").wanted


def test_drawdown_warning_at_15_and_emergency_at_18_percent() -> None:
    peak = ("1000", "1200", "1100")
    assert state(history=peak, equity="1020.0000000001").wanted == {}
    w = state(history=peak, equity="1020")  # exactly 15 % below 1200
    assert set(w.wanted) == {"maxdd_warning"} and w.drawdown == D("0.15")
    e = state(history=peak, equity="984")  # exactly 18 %
    assert set(e.wanted) == {"maxdd_warning", "emergency_stop"}
    assert state(history=peak, equity="984.0000000001").wanted.keys() == {"maxdd_warning"}


def test_drawdown_peak_includes_the_current_equity() -> None:
    s = state(history=("1000",), equity="1300")
    assert s.peak == D("1300") and s.drawdown == 0
