"""The real anthropic client against the loopback fake Messages API."""

from __future__ import annotations

import logging
import time

import pytest

from services.ai.explainer import ClaudeExplainer, ExplainerUnavailable
from tests.fakes.fake_anthropic import FakeAnthropic

FACTS = {
    "symbol": "BTC/USDT",
    "direction": "LONG",
    "confidence": 74.0,
    "entry": "27150.5",
    "stop": "26800",
    "reasons": ["EMA stack bullish", "Volume 1.6x its average"],
}


@pytest.fixture
async def fake():
    async with FakeAnthropic() as server:
        yield server


def _explainer(fake: FakeAnthropic, **kw) -> ClaudeExplainer:
    return ClaudeExplainer(fake.api_key, base_url=fake.base_url, max_retries=0, **kw)


async def test_success_sends_facts_language_and_token_cap(fake: FakeAnthropic) -> None:
    explainer = _explainer(fake, max_tokens=222, model="claude-test")
    result = await explainer.explain(FACTS, "ru")
    await explainer.aclose()
    assert result.text.startswith("[RU] Model rationale")
    assert result.model == "claude-test"
    assert (result.input_tokens, result.output_tokens) == (120, 48)
    (req,) = fake.requests
    assert req.body["max_tokens"] == 222
    assert "Russian" in req.body["system"]
    assert "EMA stack bullish" in req.body["messages"][0]["content"]
    assert fake.api_key in (
        req.headers.get("x-api-key"),
        req.headers.get("Authorization", "").removeprefix("Bearer "),
    )


async def test_timeout_is_unavailable_and_fast(fake: FakeAnthropic) -> None:
    fake.mode, fake.delay_s = "slow", 1.0
    explainer = _explainer(fake, timeout_s=0.2)
    started = time.monotonic()
    with pytest.raises(ExplainerUnavailable) as info:
        await explainer.explain(FACTS, "en")
    await explainer.aclose()
    assert info.value.reason == "timeout"
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize("status", [500, 529])
async def test_server_error_is_unavailable(fake: FakeAnthropic, status: int) -> None:
    fake.mode, fake.status = "error", status
    explainer = _explainer(fake)
    with pytest.raises(ExplainerUnavailable) as info:
        await explainer.explain(FACTS, "en")
    await explainer.aclose()
    assert info.value.reason == f"status_{status}"


async def test_empty_reply_is_unavailable(fake: FakeAnthropic) -> None:
    fake.mode = "empty"
    explainer = _explainer(fake)
    with pytest.raises(ExplainerUnavailable) as info:
        await explainer.explain(FACTS, "en")
    assert info.value.reason == "empty"


async def test_wrong_key_is_unavailable(fake: FakeAnthropic) -> None:
    explainer = ClaudeExplainer("sk-ant-wrong", base_url=fake.base_url, max_retries=0)
    with pytest.raises(ExplainerUnavailable) as info:
        await explainer.explain(FACTS, "en")
    assert info.value.reason == "status_401"


async def test_no_key_never_calls_the_api(fake: FakeAnthropic) -> None:
    explainer = ClaudeExplainer(None, base_url=fake.base_url)
    assert not explainer.available
    with pytest.raises(ExplainerUnavailable) as info:
        await explainer.explain(FACTS, "en")
    assert info.value.reason == "no_key"
    assert fake.requests == []


async def test_key_never_logged(fake: FakeAnthropic, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    explainer = _explainer(fake)
    await explainer.explain(FACTS, "en")
    fake.mode = "error"
    with pytest.raises(ExplainerUnavailable):
        await explainer.explain(FACTS, "en")
    await explainer.aclose()
    assert caplog.records, "debug logging of the client should have produced records"
    assert fake.api_key not in caplog.text
