"""A signal asked for while the bot runs is live, even on the simulated market; only
`tradebot backfill` produces backfill signals (QA defect 14)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from services.db.models.signals import SignalRecord
from tests.e2e.harness import ChatDriver


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"market_data": "sim"}


async def test_on_demand_sim_signal_counts_as_live_not_backfill(chat: ChatDriver) -> None:
    await chat.send("/start")
    replies = await chat.send("/signal SOL/USDT")
    assert replies and "SOL/USDT" in replies[0].text
    assert chat.app is not None
    services = chat.app.services
    async with services.db.session() as session:
        rows = (await session.execute(select(SignalRecord.trade_mode, SignalRecord.source))).all()
    assert [tuple(r) for r in rows] == [("live", "sim")]  # the source still says sim
    text = "\n".join(m.text or "" for m in await chat.send("/stats"))
    assert "backfill" not in text.lower()
