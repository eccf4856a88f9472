"""The "exchange unreachable, showing a simulated market" notice comes once per user,
before the first answer built on simulated data, whatever the first request is
(QA defect 20: it used to come only from /top)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import ChatDriver

NOTICE = "The exchange cannot be reached right now"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "market_data": "auto",
        "exchange_url_overrides": {"binance": "http://127.0.0.1:9"},
        "market_retries": 0,
    }


async def test_first_signal_gets_the_notice_once(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000", user_id=4101)
    replies = await chat.send("/signal BTC/USDT", user_id=4101)
    assert [r.text.startswith(NOTICE) for r in replies] == [True, False]
    assert "Simulated market" in replies[1].text
    again = await chat.send("/trade BTC/USDT long 100", user_id=4101)
    assert not any(NOTICE in r.text for r in again)


async def test_first_trade_or_backtest_gets_the_notice(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000", user_id=4102)
    replies = await chat.send("/trade ETH/USDT long 100", user_id=4102)
    assert replies[0].text.startswith(NOTICE) and len(replies) >= 2
    chat.timeout_s = 120
    replies = await chat.send("/backtest BTC/USDT 1h composite 30d", user_id=4103, lang="ru")
    assert replies[0].text.startswith("Биржа сейчас недоступна")
    assert any("Backtest #" in (r.text or "") or "Бэктест" in (r.text or "") for r in replies)


async def test_health_commands_do_not_get_the_notice(chat: ChatDriver) -> None:
    """/admin and /status state the data source themselves; their market probe is not a
    request on the user's behalf, so the notice waits for the first real data answer."""
    admin = await chat.send("/admin")
    assert len(admin) == 1 and NOTICE not in admin[0].text
    status = await chat.send("/status", user_id=4104)
    assert len(status) == 1 and NOTICE not in status[0].text
    replies = await chat.send("/signal BTC/USDT", user_id=4104)
    assert replies[0].text.startswith(NOTICE)
