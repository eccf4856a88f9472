"""Market-data upkeep: keep the screened universe and the /top ranking warm, and log
per-source counters.

Building the universe costs a tickers request and a depth request per candidate, and
ranking it a candle request per coin (all rate-limited), so doing it here keeps
`/top` answering from the caches; the counters
line gives operators latency, failures and breaker states without an admin asking.
"""

from __future__ import annotations

import logging

from services.jobs import JobSpec
from services.jobs.context import current_services
from services.market.base import MarketDataError

log = logging.getLogger(__name__)

JOBS = [
    JobSpec(
        "market-refresh", "services.jobs.market:refresh", {"trigger": "interval", "minutes": 10}
    ),
]


async def refresh() -> None:
    hub = current_services().market
    if hub is None:
        return
    if hub.universe is not None and hub.mode != "replay":
        try:
            universe = await hub.universe.build()
            log.info("market universe: %d symbols (%s)", len(universe.entries), universe.source)
            await hub.universe.top(1)  # warms the full /top ranking
        except MarketDataError as exc:
            log.warning("market universe refresh failed: %s", exc)
    for name, stats in hub.stats().items():
        log.info("market source %s: %s", name, stats)
