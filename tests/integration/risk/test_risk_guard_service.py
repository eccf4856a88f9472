"""The RiskGuard on real positions: a stop-loss streak pauses entries for the
cooldown, a 5 % daily loss stops them until the next UTC day, drawdown raises the
warning at 15 % and the emergency stop at 18 %; backfill replays never write flags."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.paper.dto import TradeError
from tests.integration.risk.conftest import ADMIN, DAY, HOUR, Env
from tests.paper_exits import book_exit


async def refusal(env: Env, text: str, user: int = 101, mode: str = "paper") -> TradeError:
    with pytest.raises(TradeError) as info:
        await env.trade(user, text, mode)
    return info.value


async def stop_out(env: Env, user: int = 101) -> None:
    """Open a long with a stop just under the entry and run the monitor hour by hour
    until the stop fills."""
    quote = await env.services.paper.quote("BTC/USDT", "long")
    stop = (quote.price * Decimal("0.997")).quantize(Decimal(1))
    tp = (quote.price * Decimal("1.2")).quantize(Decimal(1))
    opened = await env.trade(user, f"BTC/USDT long 20 sl {stop} tp {tp}")
    for _ in range(48):
        env.advance(HOUR)
        await env.services.paper.monitor.run_once(("paper",))
        position = await env.services.paper.queries.position(user, opened.position.id)
        if position is not None and not position.is_open:
            assert position.exit_reason == "stop" and position.net_pnl < 0
            return
    raise AssertionError("the stop never filled")


async def close_at(env: Env, user: int, fraction: str) -> None:
    (position,) = await env.services.paper.queries.open_positions(user)
    price = (position.entry_price * Decimal(fraction)).quantize(Decimal("0.01"))
    await book_exit(env.services, user, position.id, price)


async def test_three_stop_losses_pause_entries_for_the_cooldown(env: Env) -> None:
    for _ in range(3):
        await stop_out(env)
    err = await refusal(env, "BTC/USDT long 20")
    assert err.key == "risk-blocked-trade" and err.params["flag"] == "sl_streak_pause"
    assert "3 stop-losses in a row" in str(err.params["reason"])
    flag = await env.services.risk.flags.active("sl_streak_pause", 101)
    assert flag is not None and flag.set_by == "guard" and flag.expires_ms is not None
    # Signals are held back too, and another user is not affected.
    assert (await env.services.risk.blocked(101)).params["flag"] == "sl_streak_pause"  # type: ignore[union-attr]
    assert await env.services.risk.blocked(102) is None
    # After the 12 h cooldown the guard clears its own flag and entries resume.
    env.clock.set(flag.expires_ms)
    assert (await env.trade(101, "BTC/USDT long 20")).position is not None
    (row,) = await env.services.risk.flags.history(101)
    assert not row.active and row.cleared_by == "guard"


async def test_daily_loss_stops_entries_until_the_next_utc_day(env: Env) -> None:
    await env.trade(101, "BTC/USDT long 100")
    await close_at(env, 101, "0.5")  # about -50 and fees: over 5 % of 1000
    err = await refusal(env, "BTC/USDT long 20")
    assert err.key == "risk-blocked-trade" and err.params["flag"] == "daily_loss_stop"
    assert "2023-06-02 00:00 UTC" in str(err.params["reason"])
    overview = await env.services.risk.overview(101)
    assert overview.day_pnl < -overview.daily_limit and overview.daily_limit == Decimal("50.00")
    env.clock.set(env.clock.now_ms() // DAY * DAY + DAY)  # next UTC midnight
    assert (await env.trade(101, "BTC/USDT long 20")).position is not None
    assert await env.services.risk.flags.active("daily_loss_stop", 101) is None


async def test_drawdown_warning_then_emergency_stop_then_admin_reset(env: Env) -> None:
    risk = env.services.risk
    await env.trade(101, "BTC/USDT long 150")
    await close_at(env, 101, "0.2")  # about -120: 12 %
    env.advance(DAY)
    await env.trade(101, "BTC/USDT long 100")
    await close_at(env, 101, "0.7")  # about -30 more: past 15 %
    state = await risk.guard.refresh(101)
    assert Decimal("0.15") <= state.drawdown < Decimal("0.18")
    assert await risk.flags.active("maxdd_warning", 101) is not None
    assert await risk.blocked(101) is None  # a warning does not block
    await env.trade(101, "BTC/USDT long 100")
    await close_at(env, 101, "0.7")  # past 18 %
    err = await refusal(env, "BTC/USDT long 20")
    assert err.params["flag"] == "emergency_stop"
    # The guard never clears an emergency stop by itself.
    env.advance(DAY)
    assert (await refusal(env, "BTC/USDT long 20")).params["flag"] == "emergency_stop"
    # An admin clears it: the drawdown curve restarts there, so it is not re-raised.
    await risk.clear_flag("emergency_stop", 101, ADMIN, "reviewed")
    assert (await env.trade(101, "BTC/USDT long 20")).position is not None
    assert (await risk.guard.refresh(101)).drawdown < Decimal("0.01")


async def test_backfill_evaluates_the_guard_without_writing_flags(env: Env) -> None:
    await env.deposit(101, "1000", mode="backfill")
    await env.trade(101, "BTC/USDT long 100", mode="backfill")
    (position,) = await env.services.paper.queries.open_positions(101, "backfill")
    price = (position.entry_price * Decimal("0.5")).quantize(Decimal("0.01"))
    await book_exit(env.services, 101, position.id, price)
    err = await refusal(env, "BTC/USDT long 20", mode="backfill")
    assert err.key == "risk-blocked-trade" and err.params["flag"] == "daily_loss_stop"
    assert await env.services.risk.flags.history() == []
    # Paper trading is untouched by the replay's losses.
    assert (await env.trade(101, "BTC/USDT long 20")).position.trade_mode == "paper"
