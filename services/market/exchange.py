"""The exchange provider: ccxt async behind our own rate limit, retries and breaker.

ccxt's built-in throttle is switched off (`enableRateLimit=False`) because the
per-source `aiolimiter` budget here is the one limit that counts, and two
throttles would compound. Every request goes through `_call`, which classifies
failures into `SourceError` kinds: network trouble, timeouts, 429/418 (honouring
Retry-After), 5xx and malformed replies are retried with jittered exponential
backoff and count against the circuit breaker; a rejected request (unknown symbol,
bad parameters) is neither retried nor counted.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import ccxt.async_support as ccxt_async
import pandas as pd
from aiolimiter import AsyncLimiter
from ccxt.base import errors as ccxt_errors

from core.market.frame import concat_frames, empty_frame, frame_from_rows
from core.market.timeframes import timeframe_ms
from services.market.base import Depth, MarketInfo, Ticker, book_depth, spread_pct
from services.market.resilience import CircuitBreaker, RetryPolicy, SourceStats

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE_LIMIT = 1000
RETRIABLE = frozenset({"network", "timeout", "rate_limited", "unavailable", "malformed"})
# Parsing errors come from ccxt choking on a garbled body: "malformed", retried.
_CAUGHT = (
    ccxt_errors.BaseError,
    TypeError,
    KeyError,
    ValueError,
    IndexError,
    AttributeError,
    asyncio.TimeoutError,
)
_retry_after: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "market_retry_after", default=None
)


@dataclass(frozen=True, slots=True)
class SourceConfig:
    rate_limit_per_min: int
    retry: RetryPolicy
    breaker_failures: int
    breaker_reset_s: float
    timeout_ms: int
    market_types: tuple[str, ...] = ("spot",)


class SourceError(Exception):
    """A request to one source failed; `kind` decides retry and breaker handling."""

    def __init__(self, source: str, kind: str, message: str) -> None:
        super().__init__(f"{source}: {kind}: {message}")
        self.source = source
        self.kind = kind

    @property
    def retriable(self) -> bool:
        return self.kind in RETRIABLE


def classify(exc: BaseException) -> str:
    """Map a ccxt (or parsing) exception to a `SourceError` kind."""
    if isinstance(exc, ccxt_errors.RequestTimeout | asyncio.TimeoutError):
        return "timeout"
    if isinstance(exc, ccxt_errors.DDoSProtection | ccxt_errors.RateLimitExceeded):
        return "rate_limited"
    if isinstance(exc, ccxt_errors.ExchangeNotAvailable):
        return "unavailable"
    if isinstance(exc, ccxt_errors.NetworkError):
        return "network"
    if isinstance(exc, ccxt_errors.BadResponse):
        return "malformed"
    if isinstance(exc, ccxt_errors.BadRequest | ccxt_errors.NotSupported):
        return "rejected"
    if isinstance(exc, ccxt_errors.AuthenticationError):
        return "rejected"
    if isinstance(exc, ccxt_errors.ExchangeError):
        return "exchange"
    return "malformed"  # TypeError/KeyError/ValueError while parsing a garbled reply


def rewrite_urls(urls: Any, base_url: str) -> Any:
    """Point every API URL at `base_url`, keeping each path (tests, proxies, mirrors)."""
    target = urlsplit(base_url)
    if isinstance(urls, dict):
        return {k: rewrite_urls(v, base_url) for k, v in urls.items()}
    if isinstance(urls, str) and urls.startswith(("http://", "https://")):
        parts = urlsplit(urls)
        return parts._replace(scheme=target.scheme, netloc=target.netloc).geturl()
    return urls


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class ExchangeSource:
    """One ccxt exchange with its own limiter, breaker and counters."""

    def __init__(
        self,
        exchange_id: str,
        config: SourceConfig,
        *,
        base_url: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        klass = getattr(ccxt_async, exchange_id, None)
        if klass is None:
            raise ValueError(f"unknown ccxt exchange: {exchange_id}")
        self.name = exchange_id
        self.config = config
        self.client = klass(
            {
                "enableRateLimit": False,
                "timeout": config.timeout_ms,
                "options": {
                    "fetchMarkets": {"types": list(config.market_types)},
                    "fetchCurrencies": False,
                    "fetchMargins": False,
                    "adjustForTimeDifference": False,
                    "defaultType": "spot",
                },
            }
        )
        if base_url:
            self.client.urls["api"] = rewrite_urls(self.client.urls["api"], base_url)
        self._hook_retry_after()
        self._hook_strict_json()
        self.limiter = AsyncLimiter(max(1, config.rate_limit_per_min), 60)
        self.breaker = CircuitBreaker(config.breaker_failures, config.breaker_reset_s)
        self.stats = SourceStats()
        self._sleep = sleep
        self._markets_loaded = False

    def _hook_retry_after(self) -> None:
        original = self.client.on_rest_response

        def on_rest_response(code: int, reason: str, url: str, method: str, headers: Any,
                             body: str, *rest: Any) -> Any:  # fmt: skip
            if code in (418, 429, 503):
                _retry_after.set(_parse_retry_after((headers or {}).get("Retry-After")))
            return original(code, reason, url, method, headers, body, *rest)

        self.client.on_rest_response = on_rest_response

    def _hook_strict_json(self) -> None:
        """ccxt turns an undecodable JSON body into None and parses on, which reads a
        truncated kline page as "no candles"; raise BadResponse instead."""
        original = self.client.parse_json

        def parse_json(http_response: Any) -> Any:
            parsed = original(http_response)
            if parsed is None and isinstance(http_response, str):
                body = http_response.lstrip()
                if body.startswith(("{", "[")):
                    raise ccxt_errors.BadResponse(f"{self.name}: malformed JSON reply")
            return parsed

        self.client.parse_json = parse_json

    async def close(self) -> None:
        await self.client.close()

    async def _call(
        self,
        what: str,
        fn: Callable[[], Awaitable[T]],
        check: Callable[[T], None] | None = None,
        *,
        retries: int | None = None,
    ) -> T:
        """One logical request: breaker gate, rate limit, retries, classification."""
        policy = self.config.retry
        max_retries = policy.retries if retries is None else retries
        attempt = 0
        while True:
            if not self.breaker.allow():
                raise SourceError(self.name, "breaker_open", what)
            async with self.limiter:
                pass
            self.stats.requests += 1
            _retry_after.set(None)
            started = time.perf_counter()
            try:
                result = await fn()
                if check is not None:
                    check(result)
            except _CAUGHT as exc:
                kind = classify(exc)
                message = str(exc)[:200]
                if kind in ("rejected", "exchange"):
                    # The request itself was refused: the source is healthy.
                    self.breaker.record_success()
                    raise SourceError(self.name, "rejected", message) from exc
                self.stats.record_error(kind, message)
                if kind == "rate_limited":
                    self.stats.rate_limited += 1
                self.breaker.record_failure()
                if attempt >= max_retries or self.breaker.state != "closed":
                    raise SourceError(self.name, kind, message) from exc
                delay = policy.delay(attempt, _retry_after.get())
                log.info("%s %s failed (%s), retry %d in %.2fs", self.name, what, kind,
                         attempt + 1, delay)  # fmt: skip
                self.stats.retries += 1
                attempt += 1
                await self._sleep(delay)
                continue
            self.stats.record_success((time.perf_counter() - started) * 1000)
            self.breaker.record_success()
            return result

    async def _ensure_markets(self) -> None:
        if not self._markets_loaded:
            await self.load_markets()

    async def load_markets(self, *, retries: int | None = None) -> dict[str, MarketInfo]:
        def check(markets: Any) -> None:
            if not isinstance(markets, dict) or not markets:
                raise ccxt_errors.BadResponse("empty market list")

        raw = await self._call(
            "markets", lambda: self.client.load_markets(reload=True), check, retries=retries
        )
        self._markets_loaded = True
        out: dict[str, MarketInfo] = {}
        for symbol, m in raw.items():
            if not (m.get("spot") or m.get("swap")):
                continue
            limits = m.get("limits") or {}
            precision = m.get("precision") or {}
            out[symbol] = MarketInfo(
                symbol=symbol,
                base=m["base"],
                quote=m["quote"],
                active=bool(m.get("active", True)),
                kind="perp" if m.get("swap") else "spot",
                price_precision=_num(precision.get("price")),
                amount_precision=_num(precision.get("amount")),
                min_notional=_num((limits.get("cost") or {}).get("min")),
            )
        return out

    async def fetch_ohlcv(
        self,
        symbol: str,
        timeframe: str,
        since: int,
        until: int,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> pd.DataFrame:
        """All candles with open time in [since, until], paging `PAGE_LIMIT` at a time."""
        await self._ensure_markets()
        step = timeframe_ms(timeframe)
        pages: list[pd.DataFrame] = []
        cursor = since

        def check(rows: Any) -> None:
            if not isinstance(rows, list) or any(
                not isinstance(r, list) or len(r) < 6 for r in rows
            ):
                raise ccxt_errors.BadResponse("klines are not a list of rows")

        while cursor <= until:
            start = cursor
            rows = await self._call(
                f"ohlcv {symbol} {timeframe}",
                lambda start=start: self.client.fetch_ohlcv(
                    symbol, timeframe, since=start, limit=PAGE_LIMIT, params={"until": until}
                ),
                check,
            )
            page = frame_from_rows([r[:6] for r in rows])
            page = page[(page["timestamp"] >= start) & (page["timestamp"] <= until)]
            if page.empty:
                break
            pages.append(page)
            if progress is not None:
                progress(len(page))
            last = int(page["timestamp"].iloc[-1])
            if last < start or len(rows) < PAGE_LIMIT:
                break
            cursor = last + step
        return concat_frames(pages) if pages else empty_frame()

    def _ticker(self, symbol: str, raw: dict[str, Any]) -> Ticker:
        last = _num(raw.get("last") if raw.get("last") is not None else raw.get("close"))
        if last is None or last <= 0:
            raise ccxt_errors.BadResponse(f"ticker without a price for {symbol}")
        bid, ask = _num(raw.get("bid")), _num(raw.get("ask"))
        ts = raw.get("timestamp")
        return Ticker(
            symbol=symbol,
            last=last,
            bid=bid,
            ask=ask,
            spread_pct=spread_pct(bid, ask),
            quote_volume_24h=_num(raw.get("quoteVolume")),
            ts_ms=int(ts) if ts is not None else self.client.milliseconds(),
            source=self.name,
            simulated=False,
            stale=False,
        )

    async def fetch_ticker(self, symbol: str) -> Ticker:
        await self._ensure_markets()
        return await self._call(
            f"ticker {symbol}",
            lambda: self._wrap_ticker(symbol),
        )

    async def _wrap_ticker(self, symbol: str) -> Ticker:
        return self._ticker(symbol, await self.client.fetch_ticker(symbol))

    async def fetch_tickers(self) -> dict[str, Ticker]:
        """Every ticker of the configured market types, one request per type."""
        await self._ensure_markets()
        out: dict[str, Ticker] = {}
        for market_type in self.config.market_types:
            kind = "swap" if market_type == "linear" else market_type
            params = {"type": kind}

            async def fetch(params: dict[str, str] = params) -> dict[str, Ticker]:
                raw = await self.client.fetch_tickers(None, params)
                if not isinstance(raw, dict):
                    raise ccxt_errors.BadResponse("tickers are not a mapping")
                parsed = {}
                for symbol, t in raw.items():
                    try:
                        parsed[symbol] = self._ticker(symbol, t)
                    except ccxt_errors.BadResponse:
                        continue
                return parsed

            out.update(await self._call(f"tickers {market_type}", fetch))
        return out

    async def fetch_depth(self, symbol: str, within_pct: float) -> Depth:
        await self._ensure_markets()

        async def fetch() -> Depth:
            book = await self.client.fetch_order_book(symbol, 100)
            bids, asks = book.get("bids"), book.get("asks")
            if not isinstance(bids, list) or not isinstance(asks, list) or not bids or not asks:
                raise ccxt_errors.BadResponse(f"empty order book for {symbol}")
            mid, bid_q, ask_q = book_depth(bids, asks, within_pct)
            ts = book.get("timestamp")
            return Depth(
                symbol=symbol,
                mid=mid,
                within_pct=within_pct,
                bid_quote=bid_q,
                ask_quote=ask_q,
                spread_pct=spread_pct(float(bids[0][0]), float(asks[0][0])),
                ts_ms=int(ts) if ts is not None else self.client.milliseconds(),
                source=self.name,
                simulated=False,
                stale=False,
            )

        return await self._call(f"depth {symbol}", fetch)
