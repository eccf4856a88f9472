"""Scheduled signal jobs: the scan after each base candle closes, and the monitor
that follows open signals to TP/SL/expiry.

The scan fires on every quarter hour (the shortest base timeframe, 15m) and waits
`signal_scan_delay_s` so the exchange has published the closed candle; each preset
is scanned once per closed candle of its own timeframe (1h presets every hour).
"""

from __future__ import annotations

import asyncio
import logging

from services.jobs import JobSpec
from services.jobs.context import current_services

log = logging.getLogger(__name__)

JOBS = [
    JobSpec("signals-scan", "services.jobs.signals:scan", {"trigger": "cron", "minute": "*/15"}),
    JobSpec(
        "signals-monitor",
        "services.jobs.signals:monitor",
        {"trigger": "cron", "minute": "*/5", "second": 40},
    ),
]


async def scan() -> None:
    services = current_services()
    if services.signals is None:
        return
    await asyncio.sleep(services.settings.signal_scan_delay_s)
    report = await services.signals.scan()
    log.info(
        "signal scan: %s evaluated, %s issued, %s queued, skipped %s",
        report.evaluated,
        len(report.issued),
        report.deliveries,
        report.skipped,
    )


async def monitor() -> None:
    services = current_services()
    if services.signals is None:
        return
    report = await services.signals.monitor()
    if report.updated:
        log.info(
            "signal monitor: %s followed, %s updated, %s closed",
            report.followed,
            report.updated,
            report.closed,
        )
