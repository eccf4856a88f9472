"""Scheduled risk jobs: the RiskGuard pass over the paper accounts that can have
changed (right after the paper monitor each minute), and the global `signals_stalled` check."""

from __future__ import annotations

import logging
import time
from typing import Any

from core.risk.guard import DAY_MS
from services.jobs import JobSpec
from services.jobs.context import current_services
from services.risk.guard import recent_traders
from services.risk.stalled import check_signals_stalled

log = logging.getLogger(__name__)

JOBS = [
    JobSpec("risk-guard", "services.jobs.risk:guard", {"trigger": "cron", "second": 25}),
    JobSpec(
        "risk-signals-stalled",
        "services.jobs.risk:signals_stalled",
        {"trigger": "cron", "minute": "*/30", "second": 50},
    ),
]


async def guard() -> None:
    await run_guard(current_services())


async def run_guard(services: Any) -> int:
    """Bring the guard flags up to date for every paper account that can have changed:
    one with open positions (marks move its drawdown), a fill in the last day, or an
    active flag (to clear it). Returns the accounts checked."""
    risk = services.risk
    if risk is None:
        return 0
    now = risk.clock()
    queries = services.paper.queries
    users = {p.user_id for p in await queries.open_positions(None, "paper")}
    users |= await recent_traders(services.db, now - DAY_MS)
    users |= {f.user_id for f in await risk.flags.all_active() if f.user_id is not None}
    checked = 0
    for user_id in sorted(users):
        try:
            await risk.guard.refresh(user_id, notify=True)
        except Exception:  # one account's trouble must not stop the others
            log.exception("risk guard failed for user %s", user_id)
            continue
        checked += 1
    return checked


async def signals_stalled() -> None:
    services = current_services()
    if services.risk is None:
        return
    await check_signals_stalled(
        services.db,
        services.risk.flags,
        services.settings.risk_signals_stalled_hours,
        int(time.time() * 1000),
    )
