"""/signal, its buttons and scheduled delivery through the Bot API emulator, on
replayed shared candles with the replay clock just after a LONG closes."""

from __future__ import annotations

from typing import Any

import pytest

from services.jobs import signals as signal_jobs
from tests.e2e.harness import USER_ID, ChatDriver
from tests.fakes.fake_anthropic import FakeAnthropic
from tests.integration.signals.conftest import LONG_CLOSE


@pytest.fixture
async def fake_api():
    async with FakeAnthropic() as server:
        yield server


@pytest.fixture
def settings_overrides(fake_api: FakeAnthropic) -> dict[str, Any]:
    return {
        "market_data": "replay",
        "replay_data_path": "../shared/data/ohlcv",
        "replay_start_ms": LONG_CLOSE,
        "anthropic_api_key": fake_api.api_key,
        "anthropic_base_url": fake_api.base_url,
        "signal_scan_delay_s": 0,
        "signal_symbols": ["BTC/USDT"],
        "send_chat_interval_s": 0.01,
    }


def services_of(chat: ChatDriver) -> Any:
    assert chat.app is not None
    return chat.app.services


async def set_deposit(chat: ChatDriver, user_id: int, amount: str) -> None:
    """Through /deposit: the accounts service is the only source of a deposit."""
    replies = await chat.send(f"/deposit {amount}", user_id=user_id)
    assert replies, "the /deposit command answered nothing"


async def test_signal_shows_levels_size_chart_and_explanation(chat, fake_api) -> None:
    await chat.send("/start")
    await set_deposit(chat, USER_ID, "1000")
    (card,) = await chat.send("/signal BTC/USDT")
    assert "BTC/USDT · 1h · LONG" in card.text
    for word in ("Entry", "Stop", "TP1", "TP2", "TP3", "Risk/reward", "Size:", "BTC ≈"):
        assert word in card.text
    assert "1,000" in card.text  # the size is worked out from the user's deposit
    assert card.buttons[:2] == ["📊 Chart", "💡 Explain"]

    (photo,) = await chat.click("Chart")
    assert photo.photo is not None and (photo.photo.width, photo.photo.height) == (1200, 800)
    assert "BTC/USDT 1h" in (photo.text or "")

    (ai,) = await chat.click("Explain")
    assert "Explanation (AI" in ai.text and "[EN] Model rationale" in ai.text
    fake_api.mode = "error"
    (cached,) = await chat.click("Explain")
    assert "[EN] Model rationale" in cached.text  # cached: the API was not asked again
    assert len(fake_api.requests) == 1


async def test_explain_falls_back_when_the_api_is_down(chat, fake_api) -> None:
    fake_api.mode = "error"
    await chat.send("/start", lang="ru")
    await chat.send("/signal ETH/USDT")
    (reply,) = await chat.click("Объяснить")
    assert "ИИ-объяснение недоступно" in reply.text
    assert "не финансовая рекомендация" in reply.text


async def test_bad_symbol_gets_suggestions_and_buttons_belong_to_their_user(chat) -> None:
    await chat.send("/start")
    (reply,) = await chat.send("/signal BTCC/USDT")
    assert "BTC/USDT" in reply.text and "Did you mean" in reply.text
    (usage,) = await chat.send("/signal")
    assert "/signal SYMBOL" in usage.text
    await chat.send("/signal BTC/USDT")
    message = chat.latest_with_buttons()
    store = chat.emulator.store
    assert store is not None
    stranger = 4242
    await chat.send("/start", user_id=stranger)
    emu_message = store.messages[message.chat_id][message.message_id - 1]
    chart_data = message.keyboard[0][0].callback_data
    before = len(store.messages[stranger])
    answer = await chat.emulator.press(stranger, emu_message, chart_data)
    await chat.wait_idle()
    assert len(store.messages[stranger]) == before  # nothing was sent to the stranger
    assert answer.answered and answer.show_alert
    assert answer.text == "This signal is no longer available."


async def test_scheduled_scan_delivers_to_all_and_not_to_off(chat) -> None:
    subscriber, silent, strong = 2001, 2002, 2003
    for user_id in (subscriber, silent, strong):
        await chat.send("/start", user_id=user_id)
    users = services_of(chat).users
    await users.update_settings(subscriber, notify_mode="all", min_confidence=50)
    await users.update_settings(silent, notify_mode="off")
    await users.update_settings(strong, notify_mode="strong", min_confidence=90)

    await signal_jobs.scan()
    await chat.wait_idle()

    pushed = [m for m in chat.history(subscriber) if "New signal" in (m.text or "")]
    assert len(pushed) == 1
    assert "BTC/USDT · 1h · LONG" in pushed[0].text and "📊 Chart" in pushed[0].buttons
    assert not [m for m in chat.history(silent) if "New signal" in (m.text or "")]
    assert not [m for m in chat.history(strong) if "New signal" in (m.text or "")]

    # The delivery was recorded with its candle-close-to-delivery latency.
    from sqlalchemy import select

    from services.db.models.signals import SignalDelivery

    async with services_of(chat).db.session() as session:
        rows = (await session.scalars(select(SignalDelivery))).all()
    assert [(r.user_id, r.status) for r in rows] == [(subscriber, "sent")]
    assert rows[0].latency_ms is not None and rows[0].latency_ms >= 0

    # The pushed signal's buttons work for its recipient.
    (photo,) = await chat.click("Chart", user_id=subscriber)
    assert photo.photo is not None


async def test_a_subscriber_who_blocked_the_bot_is_marked(chat) -> None:
    fan, gone = 2101, 2102
    for user_id in (fan, gone):
        await chat.send("/start", user_id=user_id)
    store = chat.emulator.store
    assert store is not None
    store.users[gone].blocked_bot = True

    await signal_jobs.scan()
    await chat.wait_idle()

    users = services_of(chat).users
    assert (await users.get(gone)).is_blocked
    assert not (await users.get(fan)).is_blocked
    assert any("New signal" in (m.text or "") for m in chat.history(fan))
