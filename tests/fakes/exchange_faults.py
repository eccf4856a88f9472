"""Fault injection and the request log of the fake exchange (`tests.fakes.fake_exchange`).

Kept apart from the Binance routes so what a test can break (429/418 with Retry-After,
5xx bursts, slow replies, malformed JSON, the `down` switch) reads in one place.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class Fault:
    kind: str  # "429" | "418" | "5xx" | "timeout" | "malformed"
    path: str | None = None  # only requests whose path contains this
    retry_after: float | None = None
    status: int = 503
    delay_s: float = 1.0


@dataclass
class Request:
    path: str
    params: dict[str, str]


class FaultInjection:
    """Queued faults, the `down` switch and every request seen, as an aiohttp middleware."""

    def __init__(self) -> None:
        self.faults: deque[Fault] = deque()
        self.requests: list[Request] = []
        self.down = False

    def fail_next(
        self,
        kind: str,
        times: int = 1,
        *,
        path: str | None = None,
        retry_after: float | None = None,
        status: int = 503,
        delay_s: float = 1.0,
    ) -> None:
        for _ in range(times):
            self.faults.append(Fault(kind, path, retry_after, status, delay_s))

    def count(self, path_fragment: str) -> int:
        return sum(1 for r in self.requests if path_fragment in r.path)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append(Request(request.path, dict(request.query)))
        if self.down:
            return web.Response(status=503, text="<html>503 Service Unavailable</html>")
        fault = self._take_fault(request.path)
        if fault is not None:
            if fault.kind in ("429", "418"):
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                return web.json_response(
                    {"code": -1003, "msg": "Too many requests; IP banned until later."},
                    status=int(fault.kind),
                    headers=headers,
                )
            if fault.kind == "5xx":
                return web.Response(status=fault.status, text="<html>Bad Gateway</html>")
            if fault.kind == "timeout":
                await asyncio.sleep(fault.delay_s)
            if fault.kind == "malformed":
                return web.Response(
                    status=200, text='[[1502942400000,"4261.48",', content_type="application/json"
                )
        return await handler(request)

    def _take_fault(self, path: str) -> Fault | None:
        for i, fault in enumerate(self.faults):
            if fault.path is None or fault.path in path:
                del self.faults[i]
                return fault
        return None
