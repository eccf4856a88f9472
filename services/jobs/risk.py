"""Scheduled risk jobs: the RiskGuard pass over every paper account (right after the
paper monitor each minute), and the global `signals_stalled` check."""

from __future__ import annotations

import logging
import time
from typing import Any

from services.jobs import JobSpec
from services.jobs.context import current_services
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
    """Bring every paper account's guard flags up to date; returns accounts checked."""
    risk = services.risk
    if risk is None:
        return 0
    checked = 0
    for user in await services.users.list_users(include_blocked=True):
        account = await services.accounts.get(user.id)
        if not account.exists:
            continue
        try:
            await risk.guard.refresh(user.id)
        except Exception:  # one account's trouble must not stop the others
            log.exception("risk guard failed for user %s", user.id)
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
