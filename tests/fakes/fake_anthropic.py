"""A loopback fake of the Anthropic Messages API (POST /v1/messages).

The real `anthropic.AsyncAnthropic` client is pointed at it with `base_url=`, so
tests exercise the SDK's own request building, auth headers, error mapping and
timeouts. Behaviour is switched per test through `mode`:

- ``"ok"``: a normal `message` reply; the text is built from the request so tests
  can check that the language and facts reached the model;
- ``"error"``: HTTP 500 with an API error body (``status`` changes the code);
- ``"slow"``: sleeps ``delay_s`` before replying (drives client timeouts);
- ``"empty"``: a reply with no text block.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeAnthropic:
    api_key: str = "sk-ant-test-key-000"
    mode: str = "ok"
    status: int = 500
    delay_s: float = 5.0
    reply_text: str | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    async def start(self) -> FakeAnthropic:
        app = web.Application()
        app.router.add_post("/v1/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self._port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeAnthropic:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def _messages(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(RecordedRequest(dict(request.headers), body))
        if _presented_key(request) != self.api_key:
            return _error(401, "authentication_error", "invalid API key")
        if not request.headers.get("anthropic-version"):
            return _error(400, "invalid_request_error", "anthropic-version header is required")
        missing = [k for k in ("model", "max_tokens", "messages") if k not in body]
        if missing:
            return _error(400, "invalid_request_error", f"missing: {', '.join(missing)}")
        if self.mode == "error":
            return _error(self.status, "api_error", "Internal server error")
        if self.mode == "slow":
            await asyncio.sleep(self.delay_s)
        content: list[dict[str, Any]] = []
        if self.mode != "empty":
            content.append({"type": "text", "text": self.reply_text or _echo(body)})
        return web.json_response(
            {
                "id": f"msg_fake_{len(self.requests)}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": content,
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 120, "output_tokens": 48},
            }
        )


def _presented_key(request: web.Request) -> str | None:
    """The API accepts `x-api-key` or `Authorization: Bearer` (newer SDKs send the latter)."""
    if key := request.headers.get("x-api-key"):
        return key
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None


def _echo(body: dict[str, Any]) -> str:
    """A deterministic reply that proves what the model was given."""
    system = body.get("system")
    system_text = system if isinstance(system, str) else json.dumps(system)
    user = body["messages"][-1]["content"]
    user_text = user if isinstance(user, str) else json.dumps(user)
    marker = "RU" if "Russian" in system_text else "EN"
    return f"[{marker}] Model rationale. Facts seen: {len(user_text)} chars."


def _error(status: int, kind: str, message: str) -> web.Response:
    return web.json_response(
        {"type": "error", "error": {"type": kind, "message": message}}, status=status
    )
