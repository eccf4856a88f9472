"""A loopback fake of the Binance REST API for the real ccxt client.

Serves the public endpoints ccxt's `binance` uses for market data — spot
`/api/v3/{exchangeInfo,klines,ticker/24hr,depth,time,ping}` and USD-M
`/fapi/v1/{exchangeInfo,klines,ticker/24hr,depth}` — from the shared candle files
(`../shared/data/ohlcv/`), with a settable "now" (candles opening after it do not
exist yet; the one containing it is the open candle, served like Binance does),
and injectable faults: 429/418 with Retry-After, 5xx bursts, slow replies
(client timeouts), malformed JSON, and a `down` switch.

This module holds the routes; the markets and payloads are in `exchange_data`, the
faults and the request log in `exchange_faults` (both re-exported here).

Usage (any test):

    from tests.fakes.fake_exchange import FakeExchange
    async with FakeExchange(files=["binance_BTC-USDT_1h.csv.gz"], now_ms=...) as fake:
        source = ExchangeSource("binance", config, base_url=fake.url)
        fake.fail_next("429", retry_after=0.01)
        fake.count("/api/v3/klines")

or the `fake_exchange_factory` fixture (import it into your conftest):

    from tests.fakes.fake_exchange import fake_exchange_factory  # noqa: F401
    async def test_x(fake_exchange_factory):
        fake = await fake_exchange_factory(files=[...], now_ms=...)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from aiohttp import web

from core.market.csv import parse_file_name
from core.market.timeframes import can_resample, resample, timeframe_ms
from tests.fakes.exchange_data import (
    DEFAULT_FILES,
    REPO_ROOT,
    SHARED_OHLCV,
    FakeMarket,
    depth_payload,
    load_candles,
    symbol_info,
    ticker_payload,
)
from tests.fakes.exchange_faults import Fault, FaultInjection, Request

__all__ = [
    "DEFAULT_FILES",
    "REPO_ROOT",
    "SHARED_OHLCV",
    "FakeExchange",
    "FakeMarket",
    "Fault",
    "Request",
    "fake_exchange_factory",
]


class FakeExchange(FaultInjection):
    """An aiohttp server on 127.0.0.1 speaking enough Binance REST for ccxt."""

    def __init__(
        self,
        files: Iterable[str] = DEFAULT_FILES,
        *,
        data_dir: Path = SHARED_OHLCV,
        now_ms: int | None = None,
        perps: bool = True,
        extra_markets: Iterable[FakeMarket] = (),
        shift_ms: int = 0,
    ) -> None:
        """`shift_ms` moves every candle in time (e.g. so recorded data ends "now")."""
        FaultInjection.__init__(self)
        self.markets: dict[str, FakeMarket] = {}
        for name in files:
            path = Path(name) if Path(name).is_absolute() else data_dir / name
            parsed = parse_file_name(path)
            if parsed is None:
                raise ValueError(f"not a candle file name: {name}")
            base, quote = parsed.symbol.split("/")
            market = self.markets.setdefault(parsed.symbol, FakeMarket(parsed.symbol, base, quote))
            frame = load_candles(str(path))
            if shift_ms:
                frame = frame.assign(timestamp=frame["timestamp"] + shift_ms)
            market.frames[parsed.timeframe] = frame
        for extra in extra_markets:
            self.markets[extra.symbol] = extra
        self.perps = perps
        self.now_ms = now_ms if now_ms is not None else self._data_end()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- control ------------------------------------------------------------------
    def _data_end(self) -> int:
        ends = [
            int(f["timestamp"].iloc[-1]) + timeframe_ms(tf)
            for m in self.markets.values()
            for tf, f in m.frames.items()
            if len(f)
        ]
        return max(ends) if ends else 0

    def market_by_id(self, market_id: str) -> FakeMarket | None:
        for m in self.markets.values():
            if m.market_id == market_id:
                return m
        return None

    async def start(self) -> str:
        app = web.Application()
        for prefix in ("/api/v3", "/fapi/v1"):
            app.router.add_get(prefix + "/exchangeInfo", self._exchange_info)
            app.router.add_get(prefix + "/klines", self._klines)
            app.router.add_get(prefix + "/ticker/24hr", self._ticker)
            app.router.add_get(prefix + "/depth", self._depth)
            app.router.add_get(prefix + "/time", self._time)
            app.router.add_get(prefix + "/ping", self._ping)
        app.middlewares.append(self._middleware)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeExchange:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- plumbing (faults and the request log: tests.fakes.exchange_faults) ---------
    @staticmethod
    def _error(code: int, msg: str, status: int = 400) -> web.Response:
        return web.json_response({"code": code, "msg": msg}, status=status)

    def _is_futures(self, request: web.Request) -> bool:
        return request.path.startswith("/fapi/")

    # --- endpoints ----------------------------------------------------------------
    async def _time(self, request: web.Request) -> web.Response:
        return web.json_response({"serverTime": self.now_ms})

    async def _ping(self, request: web.Request) -> web.Response:
        return web.json_response({})

    async def _exchange_info(self, request: web.Request) -> web.Response:
        futures = self._is_futures(request)
        if futures and not self.perps:
            return web.json_response({"timezone": "UTC", "serverTime": self.now_ms, "symbols": []})
        symbols = [symbol_info(m, self._last_price(m), futures) for m in self.markets.values()]
        return web.json_response(
            {
                "timezone": "UTC",
                "serverTime": self.now_ms,
                "rateLimits": [],
                "exchangeFilters": [],
                "symbols": symbols,
            }
        )

    def _frame(self, m: FakeMarket, timeframe: str) -> pd.DataFrame | None:
        if timeframe in m.frames:
            return m.frames[timeframe]
        lower = [tf for tf in m.frames if can_resample(tf, timeframe)]
        if not lower:
            return None
        source = max(lower, key=timeframe_ms)
        frame = resample(m.frames[source], timeframe, source=source)
        m.frames[timeframe] = frame
        return frame

    def _visible(self, frame: pd.DataFrame) -> pd.DataFrame:
        ts = frame["timestamp"].to_numpy()
        return frame.iloc[: int(np.searchsorted(ts, self.now_ms, side="right"))]

    async def _klines(self, request: web.Request) -> web.Response:
        q = request.query
        m = self.market_by_id(q.get("symbol", ""))
        if m is None:
            return self._error(-1121, "Invalid symbol.")
        interval = q.get("interval", "")
        try:
            step = timeframe_ms(interval)
        except ValueError:
            return self._error(-1120, "Invalid interval.")
        frame = self._frame(m, interval)
        if frame is None:
            return web.json_response([])
        limit = min(int(q.get("limit", 500)), 1000)
        visible = self._visible(frame)
        ts = visible["timestamp"].to_numpy()
        if "startTime" in q:
            lo = int(np.searchsorted(ts, int(q["startTime"]), side="left"))
            hi = (
                len(ts)
                if "endTime" not in q
                else int(np.searchsorted(ts, int(q["endTime"]), side="right"))
            )
            rows = visible.iloc[lo : min(hi, lo + limit)]
        else:
            hi = (
                len(ts)
                if "endTime" not in q
                else int(np.searchsorted(ts, int(q["endTime"]), side="right"))
            )
            rows = visible.iloc[max(0, hi - limit) : hi]
        out = [
            [int(t), repr(o), repr(h), repr(lw), repr(c), repr(v), int(t) + step - 1,
             repr(v * c), 100, "0", "0", "0"]
            for t, o, h, lw, c, v in rows.itertuples(index=False, name=None)
        ]  # fmt: skip
        return web.json_response(out)

    def _finest(self, m: FakeMarket) -> pd.DataFrame | None:
        if not m.frames:
            return None
        tf = min(m.frames, key=timeframe_ms)
        return self._visible(m.frames[tf])

    def _last_price(self, m: FakeMarket) -> float | None:
        frame = self._finest(m)
        if frame is None or frame.empty:
            return None
        return float(frame["close"].iloc[-1])

    async def _ticker(self, request: web.Request) -> web.Response:
        futures = self._is_futures(request)
        q = request.query
        if "symbol" in q:
            m = self.market_by_id(q["symbol"])
            if m is None:
                return self._error(-1121, "Invalid symbol.")
            ticker = ticker_payload(m, self._finest(m), self.now_ms, futures)
            if ticker is None:
                return self._error(-1121, "Invalid symbol.")
            return web.json_response(ticker)
        wanted = set(json.loads(q["symbols"])) if "symbols" in q else None
        out = [
            t
            for m in self.markets.values()
            if wanted is None or m.market_id in wanted
            if (t := ticker_payload(m, self._finest(m), self.now_ms, futures)) is not None
        ]
        return web.json_response(out)

    async def _depth(self, request: web.Request) -> web.Response:
        m = self.market_by_id(request.query.get("symbol", ""))
        last = None if m is None else self._last_price(m)
        if m is None or last is None:
            return self._error(-1121, "Invalid symbol.")
        limit = min(int(request.query.get("limit", 100)), 5000)
        return web.json_response(depth_payload(m, last, limit, self.now_ms))


@pytest.fixture
async def fake_exchange_factory() -> AsyncIterator[Any]:
    """`await fake_exchange_factory(files=[...], now_ms=...)` -> a started FakeExchange."""
    started: list[FakeExchange] = []

    async def make(*args: Any, **kwargs: Any) -> FakeExchange:
        fake = FakeExchange(*args, **kwargs)
        await fake.start()
        started.append(fake)
        return fake

    yield make
    for fake in started:
        await fake.close()
