"""Fault-injection points for the fault tests (tests/integration/ops/test_faults_*).

`await fault_point("paper.fill_recorded")` does nothing unless the process was
started with TRADEBOT_FAULT=paper.fill_recorded; then it pauses there for
TRADEBOT_FAULT_SLEEP_S seconds (default 60), so a test can SIGKILL the process at
exactly that point and check what a restart recovers.
"""

from __future__ import annotations

import asyncio
import logging
import os

log = logging.getLogger(__name__)


async def fault_point(name: str) -> None:
    if os.environ.get("TRADEBOT_FAULT") != name:
        return
    log.warning("fault injection: pausing at %s", name)
    await asyncio.sleep(float(os.environ.get("TRADEBOT_FAULT_SLEEP_S", "60")))
