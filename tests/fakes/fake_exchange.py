"""A loopback fake of the Binance REST API for the real ccxt client.

Serves the public endpoints ccxt's `binance` uses for market data — spot
`/api/v3/{exchangeInfo,klines,ticker/24hr,depth,time,ping}` and USD-M
`/fapi/v1/{exchangeInfo,klines,ticker/24hr,depth}` — from the shared candle files
(`../shared/data/ohlcv/`), with a settable "now" (candles opening after it do not
exist yet; the one containing it is the open candle, served like Binance does),
and injectable faults: 429/418 with Retry-After, 5xx bursts, slow replies
(client timeouts), malformed JSON, and a `down` switch.

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

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from aiohttp import web

from core.market.csv import parse_file_name, read_candles
from core.market.timeframes import can_resample, resample, timeframe_ms

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_OHLCV = (REPO_ROOT / ".." / "shared" / "data" / "ohlcv").resolve()
DEFAULT_FILES = ("binance_BTC-USDT_1h.csv.gz", "binance_ETH-USDT_1h.csv.gz")


@lru_cache(maxsize=64)
def _load(path: str) -> pd.DataFrame:
    return read_candles(path)


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


@dataclass
class FakeMarket:
    symbol: str  # unified, e.g. BTC/USDT
    base: str
    quote: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    status: str = "TRADING"
    spread_pct: float = 0.02
    depth_quote: float = 2_000_000.0  # quote value within 1% of mid, per side

    @property
    def market_id(self) -> str:
        return self.base + self.quote


class FakeExchange:
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
        self.markets: dict[str, FakeMarket] = {}
        for name in files:
            path = Path(name) if Path(name).is_absolute() else data_dir / name
            parsed = parse_file_name(path)
            if parsed is None:
                raise ValueError(f"not a candle file name: {name}")
            base, quote = parsed.symbol.split("/")
            market = self.markets.setdefault(parsed.symbol, FakeMarket(parsed.symbol, base, quote))
            frame = _load(str(path))
            if shift_ms:
                frame = frame.assign(timestamp=frame["timestamp"] + shift_ms)
            market.frames[parsed.timeframe] = frame
        for extra in extra_markets:
            self.markets[extra.symbol] = extra
        self.perps = perps
        self.now_ms = now_ms if now_ms is not None else self._data_end()
        self.faults: deque[Fault] = deque()
        self.requests: list[Request] = []
        self.down = False
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

    # --- plumbing -----------------------------------------------------------------
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
        symbols = [self._symbol_info(m, futures) for m in self.markets.values()]
        return web.json_response(
            {
                "timezone": "UTC",
                "serverTime": self.now_ms,
                "rateLimits": [],
                "exchangeFilters": [],
                "symbols": symbols,
            }
        )

    def _symbol_info(self, m: FakeMarket, futures: bool) -> dict[str, Any]:
        last = self._last_price(m) or 1.0
        tick = _tick_for(last)
        filters = [
            {"filterType": "PRICE_FILTER", "minPrice": f"{tick:g}", "maxPrice": "10000000",
             "tickSize": f"{tick:g}"},
            {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000000",
             "stepSize": "0.00001"},
            {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": True,
             "maxNotional": "9000000", "applyMaxToMarket": False, "avgPriceMins": 5},
        ]  # fmt: skip
        info: dict[str, Any] = {
            "symbol": m.market_id,
            "status": m.status,
            "baseAsset": m.base,
            "quoteAsset": m.quote,
            "baseAssetPrecision": 8,
            "quotePrecision": 8,
            "quoteAssetPrecision": 8,
            "orderTypes": ["LIMIT", "MARKET"],
            "filters": filters,
        }
        if futures:
            info.update(
                {
                    "pair": m.market_id,
                    "contractType": "PERPETUAL",
                    "deliveryDate": 4133404800000,
                    "onboardDate": 1569398400000,
                    "contractStatus": m.status,
                    "marginAsset": m.quote,
                    "pricePrecision": 2,
                    "quantityPrecision": 3,
                    "underlyingType": "COIN",
                }
            )
        else:
            info.update(
                {"isSpotTradingAllowed": True, "isMarginTradingAllowed": False,
                 "permissions": [], "permissionSets": [["SPOT"]]}
            )  # fmt: skip
        return info

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

    def _ticker_for(self, m: FakeMarket, futures: bool) -> dict[str, Any] | None:
        frame = self._finest(m)
        if frame is None or frame.empty:
            return None
        day = frame[frame["timestamp"] >= self.now_ms - 86_400_000]
        if day.empty:
            day = frame.iloc[-1:]
        last = float(frame["close"].iloc[-1])
        half = last * m.spread_pct / 200
        out: dict[str, Any] = {
            "symbol": m.market_id,
            "priceChange": repr(last - float(day["open"].iloc[0])),
            "priceChangePercent": "0",
            "weightedAvgPrice": repr(last),
            "lastPrice": repr(last),
            "lastQty": "1",
            "openPrice": repr(float(day["open"].iloc[0])),
            "highPrice": repr(float(day["high"].max())),
            "lowPrice": repr(float(day["low"].min())),
            "volume": repr(float(day["volume"].sum())),
            "quoteVolume": repr(float((day["volume"] * day["close"]).sum())),
            "openTime": self.now_ms - 86_400_000,
            "closeTime": self.now_ms,
            "firstId": 1,
            "lastId": 2,
            "count": 2,
        }
        if not futures:
            out.update(
                {"prevClosePrice": repr(last), "bidPrice": repr(last - half), "bidQty": "1",
                 "askPrice": repr(last + half), "askQty": "1"}
            )  # fmt: skip
        return out

    async def _ticker(self, request: web.Request) -> web.Response:
        futures = self._is_futures(request)
        q = request.query
        if "symbol" in q:
            m = self.market_by_id(q["symbol"])
            if m is None:
                return self._error(-1121, "Invalid symbol.")
            ticker = self._ticker_for(m, futures)
            if ticker is None:
                return self._error(-1121, "Invalid symbol.")
            return web.json_response(ticker)
        wanted = set(json.loads(q["symbols"])) if "symbols" in q else None
        out = [
            t
            for m in self.markets.values()
            if wanted is None or m.market_id in wanted
            if (t := self._ticker_for(m, futures)) is not None
        ]
        return web.json_response(out)

    async def _depth(self, request: web.Request) -> web.Response:
        m = self.market_by_id(request.query.get("symbol", ""))
        last = None if m is None else self._last_price(m)
        if m is None or last is None:
            return self._error(-1121, "Invalid symbol.")
        limit = min(int(request.query.get("limit", 100)), 5000)
        half = last * m.spread_pct / 200
        levels = min(limit, 40)
        # 20 levels inside 1% of mid on each side carry `depth_quote`; the rest lie beyond.
        step = last * 0.0005
        bids, asks = [], []
        for i in range(levels):
            inside = i < 20
            quote = m.depth_quote / 20 if inside else m.depth_quote / 5
            bid = last - half - (i if inside else 20 + i * 5) * step
            ask = last + half + (i if inside else 20 + i * 5) * step
            bids.append([repr(bid), repr(quote / bid)])
            asks.append([repr(ask), repr(quote / ask)])
        return web.json_response({"lastUpdateId": 1, "E": self.now_ms, "T": self.now_ms,
                                  "bids": bids, "asks": asks})  # fmt: skip


def _tick_for(price: float) -> float:
    """A realistic tick size: about 5-6 significant digits of the price."""
    exponent = int(np.floor(np.log10(max(price, 1e-8)))) - 5
    return float(10.0 ** max(exponent, -8))


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
