"""Plain-language signal rationales written by Claude.

The model only sees the facts the engine produced (levels, scores, reasons,
regime); it is told to hedge and to add nothing else, so a rationale can never
contradict the signal it explains. Any failure — no key, timeout, API error,
empty reply — surfaces as `ExplainerUnavailable`, and the caller falls back to
the deterministic text. The API key is held as a secret and never logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-haiku-4-5"

LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}

SYSTEM_PROMPT = (
    "You explain one crypto trading signal to a retail trader. Write in {language}. "
    "Use only the facts in the JSON the user sends; do not add news, prices, "
    "indicators or events that are not in it. Write 3 to 5 short sentences of plain "
    "text (no markdown, no lists): what the signal says, which facts support it, "
    "what would invalidate it (the stop), and one hedging sentence that this is a "
    "probabilistic setup, not advice or a promise. Never invent numbers."
)


class ExplainerUnavailable(Exception):
    """The AI path did not produce text; `reason` says why (for logs and metrics)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AIText:
    text: str
    model: str
    input_tokens: int
    output_tokens: int


class ClaudeExplainer:
    """Wraps `anthropic.AsyncAnthropic` with a hard timeout and a token cap.

    The client (and the `anthropic` package, over a second to import) is created on
    the first explanation, not at start-up."""

    def __init__(
        self,
        api_key: SecretStr | str | None,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        timeout_s: float = 15.0,
        max_tokens: int = 350,
        max_retries: int = 1,
    ) -> None:
        secret = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        self.model = model
        self.max_tokens = max_tokens
        self.timeout_s = timeout_s
        self._key = SecretStr(secret) if secret else None
        self._base_url = base_url
        self._max_retries = max_retries
        self._client: anthropic.AsyncAnthropic | None = None

    @property
    def available(self) -> bool:
        return self._key is not None

    def _api(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            import anthropic

            assert self._key is not None
            self._client = anthropic.AsyncAnthropic(
                api_key=self._key.get_secret_value(),
                base_url=self._base_url,
                timeout=self.timeout_s,
                max_retries=self._max_retries,
            )
        return self._client

    async def explain(self, facts: Mapping[str, Any], lang: str) -> AIText:
        if self._key is None:
            raise ExplainerUnavailable("no_key")
        import anthropic

        client = self._api()
        language = LANGUAGE_NAMES.get(lang, "English")
        payload = json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True)
        try:
            message = await client.messages.create(
                model=self.model,
                max_tokens=self.max_tokens,
                system=SYSTEM_PROMPT.format(language=language),
                messages=[{"role": "user", "content": f"Signal facts (JSON):\n{payload}"}],
            )
        except anthropic.APITimeoutError as exc:
            log.warning("explainer timeout after %.1fs", self.timeout_s)
            raise ExplainerUnavailable("timeout") from exc
        except anthropic.APIStatusError as exc:
            log.warning("explainer API error status=%s type=%s", exc.status_code, exc.type)
            raise ExplainerUnavailable(f"status_{exc.status_code}") from exc
        except anthropic.AnthropicError as exc:
            log.warning("explainer failed: %s", type(exc).__name__)
            raise ExplainerUnavailable(type(exc).__name__) from exc
        text = "".join(
            block.text for block in message.content if getattr(block, "type", "") == "text"
        ).strip()
        if not text:
            raise ExplainerUnavailable("empty")
        return AIText(
            text=text,
            model=message.model,
            input_tokens=message.usage.input_tokens,
            output_tokens=message.usage.output_tokens,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
