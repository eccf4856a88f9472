"""The risk jobs: the guard pass over every paper account, and the global
`signals_stalled` flag raised after 48 h without a delivered signal."""

from __future__ import annotations

import time
from decimal import Decimal

from services.jobs.risk import run_guard
from services.risk.stalled import check_signals_stalled
from tests.integration.risk.conftest import HOUR, Env
from tests.paper_exits import book_exit


async def test_guard_job_raises_and_clears_flags_for_every_account(env: Env) -> None:
    risk = env.services.risk
    await env.trade(101, "BTC/USDT long 100")
    (position,) = await env.services.paper.queries.open_positions(101)
    price = (position.entry_price * Decimal("0.4")).quantize(Decimal("0.01"))
    await book_exit(env.services, 101, position.id, price)
    assert await risk.flags.all_active() == []  # nothing yet: the guard has not run
    assert await run_guard(env.services) == 1  # 101 traded today; 102 has nothing to check
    flag = await risk.flags.active("daily_loss_stop", 101)
    assert flag is not None and flag.reason_key == "risk-reason-daily-loss-stop"
    assert await risk.flags.active("daily_loss_stop", 102) is None
    # The reason is rendered in each reader's language from the stored variables.
    assert "2023-06-02 00:00 UTC" in risk.reason_text(flag, "en")
    assert "входы возобновятся" in risk.reason_text(flag, "ru")
    env.advance(24 * HOUR)
    assert await run_guard(env.services) == 1  # checked again for its active flag
    assert await risk.flags.active("daily_loss_stop", 101) is None
    env.advance(24 * HOUR)
    assert await run_guard(env.services) == 0  # nothing open, no recent fill, no flag


async def test_signals_stalled_is_raised_after_48_hours_and_cleared_by_the_job(env: Env) -> None:
    flags = env.services.risk.flags
    now = int(time.time() * 1000)  # users were created just now; no delivery ever
    assert await check_signals_stalled(env.services.db, flags, 48, now + 47 * HOUR) is False
    assert await flags.active("signals_stalled", None) is None
    assert await check_signals_stalled(env.services.db, flags, 48, now + 49 * HOUR) is True
    flag = await flags.active("signals_stalled", None)
    assert flag is not None and flag.is_global and flag.set_by == "job" and not flag.blocking
    assert env.services.risk.reason_text(flag, "en") == (
        "no signal was delivered for 48 h (last: —)"
    )
    # Stalled signals do not block anyone (that would keep the flag up forever).
    assert await env.services.risk.blocked(101) is None
    assert await check_signals_stalled(env.services.db, flags, 48, now + HOUR) is False
    assert await flags.active("signals_stalled", None) is None
