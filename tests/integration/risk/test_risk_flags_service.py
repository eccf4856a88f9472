"""Risk flags through the real services: a flag blocks that user's trades and signals
(a global one everyone's), names itself and why, and clearing restores both."""

from __future__ import annotations

import asyncio

import pytest

from services.paper.dto import TradeError
from services.risk.dto import FlagError
from tests.integration.risk.conftest import ADMIN, Env


async def test_the_risk_service_is_plugged_into_paper_and_signals(env: Env) -> None:
    risk = env.services.risk
    assert env.services.signals.gate is risk
    # The opener chains order validity first, then the risk service.
    assert risk in env.services.paper.opener.risk_check.checks


async def test_user_flag_blocks_only_that_user_and_clearing_restores(env: Env) -> None:
    risk = env.services.risk
    flag, created = await risk.set_flag("emergency_stop", 101, "manual review", ADMIN)
    assert created and flag.set_by == f"admin:{ADMIN}" and flag.reason == "manual review"

    with pytest.raises(TradeError) as refused:
        await env.trade(101, "BTC/USDT long 50")
    assert refused.value.key == "risk-blocked-trade"
    assert refused.value.params == {"flag": "emergency_stop", "reason": "manual review"}
    block = await risk.blocked(101)
    assert block is not None and block.key == "risk-blocked-signal"
    assert block.params == {"flag": "emergency_stop", "reason": "manual review"}

    assert await risk.blocked(102) is None
    assert (await env.trade(102, "BTC/USDT long 50")).position.user_id == 102

    cleared = await risk.clear_flag("emergency_stop", 101, ADMIN, "reviewed")
    assert not cleared.active and cleared.cleared_by == f"admin:{ADMIN}"
    assert cleared.clear_reason == "reviewed" and cleared.cleared_ms is not None
    assert await risk.blocked(101) is None
    assert (await env.trade(101, "BTC/USDT long 50")).position.user_id == 101
    # History keeps the episode.
    (row,) = await risk.flags.history(101)
    assert (row.name, row.active, row.reason) == ("emergency_stop", False, "manual review")


async def test_global_flag_blocks_everyone(env: Env) -> None:
    risk = env.services.risk
    await risk.set_flag("weak_setup_stop", None, "choppy market", ADMIN)
    for uid in (101, 102):
        with pytest.raises(TradeError) as refused:
            await env.trade(uid, "BTC/USDT long 50")
        assert refused.value.params["flag"] == "weak_setup_stop"
        assert (await risk.blocked(uid)).params["reason"] == "choppy market"  # type: ignore[union-attr]
    await risk.clear_flag("weak_setup_stop", None, ADMIN)
    assert await risk.blocked(101) is None and await risk.blocked(102) is None


async def test_non_blocking_flags_only_warn(env: Env) -> None:
    risk = env.services.risk
    await risk.set_flag("maxdd_warning", 101, "watch it", ADMIN)
    await risk.set_flag("signals_stalled", None, "feed down", ADMIN)
    assert await risk.blocked(101) is None
    assert (await env.trade(101, "BTC/USDT long 50")).position is not None
    overview = await risk.overview(101)
    assert {f.name for f in overview.flags} == {"maxdd_warning", "signals_stalled"}
    assert overview.blocking_flags == []


async def test_setting_twice_keeps_one_active_row_and_bad_commands_change_nothing(
    env: Env,
) -> None:
    risk = env.services.risk
    first, created = await risk.set_flag("sl_streak_pause", 101, "one", ADMIN)
    again, created_again = await risk.set_flag("sl_streak_pause", 101, "two", ADMIN)
    assert created and not created_again and again.id == first.id and again.reason == "one"
    with pytest.raises(FlagError) as no_user:
        await risk.set_flag("emergency_stop", 55555, "who?", ADMIN)
    assert no_user.value.key == "risk-flag-err-user"
    with pytest.raises(FlagError) as not_active:
        await risk.clear_flag("daily_loss_stop", 101, ADMIN)
    assert not_active.value.key == "risk-flag-err-not-active"
    assert [f.name for f in await risk.flags.all_active()] == ["sl_streak_pause"]


async def test_a_lapsed_flag_does_not_swallow_a_new_one(env: Env) -> None:
    flags = env.services.risk.flags
    now = env.clock.now_ms()
    old, _ = await flags.set("daily_loss_stop", 101, set_by="guard", expires_ms=now + 1000)
    assert [f.name for f in await flags.all_active()] == ["daily_loss_stop"]
    env.advance(1000)  # lapsed; the guard job has not cleared it yet
    assert await flags.all_active() == [] and await flags.active_for(101, now + 1000) == []
    new, created = await env.services.risk.set_flag("daily_loss_stop", 101, "manual", ADMIN)
    assert created and new.id != old.id and new.expires_ms is None
    lapsed = [f for f in await flags.history(101) if f.id == old.id]
    assert lapsed[0].cleared_by == "expired" and not lapsed[0].active


async def test_concurrent_setters_leave_one_active_row(env: Env) -> None:
    flags = env.services.risk.flags
    results = await asyncio.gather(
        *(flags.set("emergency_stop", 102, set_by=f"admin:{i}", reason=str(i)) for i in range(5))
    )
    assert sum(created for _, created in results) == 1
    assert len({flag.id for flag, _ in results}) == 1
    assert len(await flags.history(102)) == 1
