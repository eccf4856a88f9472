"""Explain: Claude through the fake Messages API, the cache, and the fallback."""

from __future__ import annotations

import pytest

from services.ai.explainer import ClaudeExplainer
from tests.fakes.fake_anthropic import FakeAnthropic
from tests.integration.signals.conftest import Env


@pytest.fixture
async def fake():
    async with FakeAnthropic() as server:
        yield server


async def _signal_id(env: Env) -> int:
    return (await env.service.analyse("BTC/USDT", user=await env.user(1))).signal.id


async def test_ai_text_is_cached_per_signal_and_language(env: Env, fake: FakeAnthropic) -> None:
    env.service.explainer = ClaudeExplainer(fake.api_key, base_url=fake.base_url, max_retries=0)
    signal_id = await _signal_id(env)
    first = await env.service.explain(signal_id, "ru")
    assert (first.kind, first.cached) == ("ai", False) and first.text.startswith("[RU]")
    facts = fake.requests[0].body["messages"][0]["content"]
    assert "BTC/USDT" in facts and "EMA" in facts  # localized reasons reach the model
    again = await env.service.explain(signal_id, "ru")
    assert (again.kind, again.cached, again.text) == ("ai", True, first.text)
    english = await env.service.explain(signal_id, "en")
    assert english.text.startswith("[EN]")
    assert len(fake.requests) == 2
    await env.service.explainer.aclose()


async def test_api_failure_falls_back_and_is_not_cached(env: Env, fake: FakeAnthropic) -> None:
    env.service.explainer = ClaudeExplainer(fake.api_key, base_url=fake.base_url, max_retries=0)
    signal_id = await _signal_id(env)
    fake.mode = "error"
    down = await env.service.explain(signal_id, "en")
    assert down.kind == "fallback"
    assert "leans long on BTC/USDT 1h" in down.text
    assert "not financial advice" in down.text
    fake.mode = "ok"
    up = await env.service.explain(signal_id, "en")
    assert up.kind == "ai"
    await env.service.explainer.aclose()


async def test_no_key_gives_the_deterministic_text_in_the_users_language(env: Env) -> None:
    signal_id = await _signal_id(env)
    ru = await env.service.explain(signal_id, "ru")
    assert ru.kind == "fallback" and "склоняется к покупке BTC/USDT" in ru.text
    assert ru.text == (await env.service.explain(signal_id, "ru")).text  # deterministic
