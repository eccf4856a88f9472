"""The market upkeep job builds the universe and logs per-source counters."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from services.jobs.context import set_current_services
from services.jobs.market import refresh
from services.market.base import ReplayClock
from services.market.factory import build_market_data
from tests.integration.market.conftest import fast_settings


async def test_refresh_builds_universe_and_logs_stats(db, caplog: pytest.LogCaptureFixture) -> None:
    hub = build_market_data(
        fast_settings(market_data="sim"), db, clock=ReplayClock(1_700_000_000_000)
    )
    set_current_services(SimpleNamespace(market=hub))
    try:
        with caplog.at_level(logging.INFO, logger="services.jobs.market"):
            await refresh()
        expected = len((await hub.universe.build()).entries)
    finally:
        set_current_services(None)
        await hub.aclose()
    messages = [r.getMessage() for r in caplog.records]
    assert 5 <= expected <= 15
    assert f"market universe: {expected} symbols (sim)" in messages
    assert any(m.startswith("market source _hub: {'mode': 'sim'") for m in messages)
