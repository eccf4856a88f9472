"""Scheduled paper-trading job: the position monitor, then the fill notices.

Runs every minute, 5 s after the minute: with the default 1-minute monitor
timeframe that is right after every new candle closes. Notices are sent from the
fills table (`notified` flag), so a notice that could not go out before a restart
is sent on the next run, and one that went out is never sent twice.
"""

from __future__ import annotations

import logging
from typing import Any

from services.jobs import JobSpec
from services.jobs.context import current_services
from services.ops.faults import fault_point
from services.paper.notices import fill_notice
from services.paper.queries import mark_notified, unnotified_fills

log = logging.getLogger(__name__)

JOBS = [
    JobSpec("paper-monitor", "services.jobs.paper:monitor", {"trigger": "cron", "second": 5}),
]


async def monitor() -> None:
    await run_monitor(current_services())


async def run_monitor(services: Any) -> int:
    """One monitor pass over paper positions, then the notices; returns notices sent."""
    paper = services.paper
    if paper is None:
        return 0
    await paper.monitor.run_once(("paper",))
    await fault_point("paper.fill_recorded")  # fault tests: killed here, fills unsent
    return await send_notices(services)


async def send_notices(services: Any) -> int:
    sender = services.sender
    if sender is None:
        return 0
    pending = await unnotified_fills(services.db)
    sent: list[int] = []
    balances: dict[int, Any] = {}
    for fill, position in pending:
        user = await services.users.get(fill.user_id)
        if user is None or user.is_blocked:
            sent.append(fill.id)
            continue
        if fill.user_id not in balances:
            balances[fill.user_id] = await services.accounts.get(fill.user_id)
        account = balances[fill.user_id]
        i18n = services.i18n.translator(user.language)
        text = fill_notice(i18n, fill, position, balance=account.balance, currency=account.currency)
        if text:
            sender.enqueue(user.id, text, tag="paper-fill")
        sent.append(fill.id)
    await mark_notified(services.db, sent)
    return len(sent)
