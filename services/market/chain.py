"""Exchange sources in fallback order, with the candle cache and stale serving.

Candles: each source has its own cache key (its ccxt id) in the candles table.
A request first reads the cache; only the missing tail (and a head older than
anything asked before) is fetched, then served from the cache, so repeated
requests cost nothing and backfill is incremental. Sources are tried in order,
skipping those whose breaker is open. When every source fails, whatever the cache
holds is served with `stale=True` and its age; callers decide what to do with it.
Tickers, depth and market lists sit in TTL caches and fall back the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pandas as pd

from core.market.frame import empty_frame
from core.market.quality import valid_rows
from core.market.timeframes import closed_only, timeframe_ms
from services.market.base import (
    CandleResult,
    Clock,
    DataUnavailable,
    Depth,
    MarketInfo,
    Ticker,
)
from services.market.exchange import ExchangeSource, SourceError
from services.market.offline import (
    load_markets,
    markets_from_cache,
    save_markets,
    ticker_from_cache,
)
from services.market.store import CandleStore
from services.market.window import candle_window, result_age_s

log = logging.getLogger(__name__)
T = TypeVar("T")


class AllSourcesFailed(DataUnavailable):
    """Every exchange failed and nothing usable was cached."""

    def __init__(self, what: str, errors: list[SourceError]) -> None:
        super().__init__(what, "; ".join(str(e) for e in errors) or "no source available")
        self.errors = errors

    @property
    def rejected_only(self) -> bool:
        return bool(self.errors) and all(e.kind == "rejected" for e in self.errors)


class _TTLCache:
    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._items: dict[object, tuple[float, object]] = {}

    def fresh(self, key: object) -> object | None:
        item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self.ttl_s:
            return None
        return item[1]

    def any_age(self, key: object) -> object | None:
        item = self._items.get(key)
        return None if item is None else item[1]

    def put(self, key: object, value: object) -> None:
        self._items[key] = (time.monotonic(), value)


class SourceChain:
    def __init__(
        self,
        sources: list[ExchangeSource],
        store: CandleStore,
        clock: Clock,
        *,
        ticker_ttl_s: float,
        markets_ttl_s: float,
        default_limit: int = 500,
        markets_file: Path | None = None,
    ) -> None:
        if not sources:
            raise ValueError("at least one exchange source is needed")
        self.sources = sources
        self.store = store
        self.clock = clock
        self.default_limit = default_limit
        self._tickers = _TTLCache(ticker_ttl_s)
        self._depth = _TTLCache(ticker_ttl_s)
        self._markets = _TTLCache(markets_ttl_s)
        self.markets_file = markets_file  # the last market list, for a cold outage

    @property
    def primary(self) -> ExchangeSource:
        return self.sources[0]

    async def _first(self, what: str, call: Callable[[ExchangeSource], Awaitable[T]]) -> T:
        errors: list[SourceError] = []
        for source in self.sources:
            try:
                return await call(source)
            except SourceError as exc:
                log.warning("market source failed: %s", exc)
                errors.append(exc)
        raise AllSourcesFailed(what, errors)

    # --- candles ------------------------------------------------------------------
    async def ohlcv(
        self,
        symbol: str,
        timeframe: str,
        *,
        limit: int | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> CandleResult:
        now = self.clock.now_ms()
        start, end = candle_window(
            timeframe, now, limit=limit, since=since, until=until, default_limit=self.default_limit
        )
        errors: list[SourceError] = []
        for source in self.sources:
            try:
                await self.sync(source, symbol, timeframe, start, end)
            except SourceError as exc:
                log.warning("market source failed: %s", exc)
                errors.append(exc)
                continue
            frame = await self._read(source.name, symbol, timeframe, start, end, limit, since)
            return _result(symbol, timeframe, frame, source.name, now, stale=False)
        for source in self.sources:
            frame = await self._read(source.name, symbol, timeframe, start, end, limit, since)
            if not frame.empty:
                source.stats.stale_served += 1
                return _result(symbol, timeframe, frame, source.name, now, stale=True)
        raise AllSourcesFailed(f"{symbol} {timeframe}", errors)

    async def _read(
        self,
        exchange: str,
        symbol: str,
        timeframe: str,
        start: int,
        end: int,
        limit: int | None,
        since: int | None,
    ) -> pd.DataFrame:
        if since is None and limit is not None:
            return await self.store.load(exchange, symbol, timeframe, until=end, limit=limit)
        if end < start:
            return empty_frame()
        return await self.store.load(exchange, symbol, timeframe, since=start, until=end)

    async def sync(
        self,
        source: ExchangeSource,
        symbol: str,
        timeframe: str,
        start: int,
        end: int,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Fetch what the cache lacks of [start, end] from `source`; returns new rows."""
        if end < start:
            return 0
        step = timeframe_ms(timeframe)
        info = await self.store.info(source.name, symbol, timeframe, cached=True)
        ranges: list[tuple[int, int]] = []
        if info is None or info.last_ts is None:
            ranges.append((start, end))
        else:
            known_from = info.first_ts if info.checked_from is None else info.checked_from
            if start < min(known_from, info.first_ts):
                ranges.append((start, min(end, info.first_ts - step)))
            if info.last_ts < end:
                ranges.append((max(start, info.last_ts + step), end))
        if not ranges:
            source.stats.cache_hits += 1
            return 0
        source.stats.cache_misses += 1
        added = 0
        for lo, hi in ranges:
            raw = await source.fetch_ohlcv(symbol, timeframe, lo, hi, progress=progress)
            closed = closed_only(raw, timeframe, self.clock.now_ms())
            frame = valid_rows(closed, timeframe)
            dropped = len(closed) - len(frame)
            if dropped:
                # Broken candles become gaps in the cache; quality reports show them.
                log.warning("%s %s %s: dropped %d invalid candles", source.name, symbol,
                            timeframe, dropped)  # fmt: skip
            added += await self.store.insert(source.name, symbol, timeframe, frame, checked_from=lo)
        return added

    # --- tickers, depth, markets ----------------------------------------------------
    async def ticker(self, symbol: str) -> Ticker:
        cached = self._tickers.fresh(symbol)
        if isinstance(cached, Ticker):
            return cached
        try:
            ticker = await self._first(f"ticker {symbol}", lambda s: s.fetch_ticker(symbol))
        except AllSourcesFailed:
            old = self._tickers.any_age(symbol)
            if isinstance(old, Ticker):
                return _stale_ticker(old)
            cached = await ticker_from_cache(self.store, self._names(), symbol)
            if cached is not None:
                return cached
            raise
        self._tickers.put(symbol, ticker)
        return ticker

    async def tickers(self) -> dict[str, Ticker]:
        cached = self._tickers.fresh("*all*")
        if isinstance(cached, dict):
            return cached
        try:
            tickers = await self._first("tickers", lambda s: s.fetch_tickers())
        except AllSourcesFailed:
            old = self._tickers.any_age("*all*")
            if isinstance(old, dict):
                return {k: _stale_ticker(v) for k, v in old.items()}
            raise
        self._tickers.put("*all*", tickers)
        for symbol, ticker in tickers.items():
            self._tickers.put(symbol, ticker)
        return tickers

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth:
        key = (symbol, within_pct)
        cached = self._depth.fresh(key)
        if isinstance(cached, Depth):
            return cached
        try:
            depth = await self._first(
                f"depth {symbol}", lambda s: s.fetch_depth(symbol, within_pct)
            )
        except AllSourcesFailed:
            old = self._depth.any_age(key)
            if isinstance(old, Depth):
                return replace(old, stale=True)
            raise
        self._depth.put(key, depth)
        return depth

    async def markets(
        self, *, retries: int | None = None, fallback: bool = True
    ) -> dict[str, MarketInfo]:
        """The market list; when no exchange answers, the last one seen (in memory,
        then on disk, then the symbols with cached candles) unless `fallback=False`
        (a reachability probe must see the failure)."""
        cached = self._markets.fresh("markets")
        if isinstance(cached, dict):
            return cached
        try:
            markets = await self._first("markets", lambda s: s.load_markets(retries=retries))
        except AllSourcesFailed:
            if not fallback:
                raise
            old = self._markets.any_age("markets")
            if isinstance(old, dict):
                return old
            known = await load_markets(self.markets_file)
            if not known:
                known = await markets_from_cache(self.store, self._names())
            if known:
                return known
            raise
        self._markets.put("markets", markets)
        await save_markets(self.markets_file, markets)
        return markets

    def _names(self) -> list[str]:
        return [source.name for source in self.sources]

    async def aclose(self) -> None:
        for source in self.sources:
            await source.close()


def _result(
    symbol: str, timeframe: str, frame: pd.DataFrame, source: str, now: int, *, stale: bool
) -> CandleResult:
    return CandleResult(
        symbol=symbol,
        timeframe=timeframe,
        frame=frame,
        source=source,
        simulated=False,
        stale=stale,
        age_s=result_age_s(frame, timeframe, now),
    )


def _stale_ticker(ticker: Ticker) -> Ticker:
    return replace(ticker, stale=True)
