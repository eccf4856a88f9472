"""/top through the emulator and the real Dispatcher, on the simulated market."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import ChatDriver


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # auto mode with an exchange URL nobody listens on: the offline case.
    return {
        "market_data": "auto",
        "exchange_url_overrides": {"binance": "http://127.0.0.1:9"},
        "market_retries": 0,
    }


async def test_offline_top_answers_from_labelled_sim(chat: ChatDriver) -> None:
    replies = await chat.send("/top 5", user_id=3101, lang="en")

    texts = [r.text for r in replies]
    assert texts[0].startswith("The exchange cannot be reached right now")
    body = texts[-1]
    assert body.startswith("⚠️ Simulated market: these are not real prices.")
    ranked = [line for line in body.splitlines() if line[:2] in {f"{i}." for i in range(1, 6)}]
    assert len(ranked) == 5
    assert all("/USDT" in line and "volume" in line for line in ranked)

    # The fallback notice is said once per user; the label stays on every answer.
    again = await chat.send("/top 3", user_id=3101, lang="en")
    assert len(again) == 1
    assert again[0].text.startswith("⚠️ Simulated market")


async def test_top_bad_n_gets_localized_usage(chat: ChatDriver) -> None:
    for bad in ("/top 0", "/top abc", "/top 31", "/top -2"):
        replies = await chat.send(bad, user_id=3102, lang="ru")
        assert [r.text for r in replies] == [
            "Формат: /top [N], где N — целое число от 1 до 30 (по умолчанию 10)."
        ]
    replies = await chat.send("/top x", user_id=3103, lang="en")
    assert replies[0].text.startswith("Usage: /top [N]")
