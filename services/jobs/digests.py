"""The digest job: every 15 minutes, send the daily and weekly digests that are due
at each user's local digest hour (idempotent: see services/reports/service.py)."""

from __future__ import annotations

import logging

from services.jobs import JobSpec
from services.jobs.context import current_services

log = logging.getLogger(__name__)

JOBS = [
    JobSpec("reports-digests", "services.jobs.digests:run", {"trigger": "cron", "minute": "*/15"}),
]


async def run() -> None:
    services = current_services()
    if services.reports is None:
        return
    result = await services.reports.run_digests()
    if result.sent or result.skipped:
        log.info(
            "digests: %s sent, %s skipped, %s already done",
            result.sent,
            result.skipped,
            result.already,
        )
