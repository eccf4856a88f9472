"""The tradable universe, the admin block/white lists, and the `/top` ranking.

The universe is every active market in the configured quote currency that clears
three liquidity bars — 24h quote volume, bid/ask spread and order-book depth near
mid — minus the blocklist, plus the whitelist (always kept while the market
exists). Building it costs a tickers request and a depth request per candidate,
so the result is cached for `markets_ttl_s`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.market.screening import coin_stats, rank
from core.market.symbols import UnknownSymbol, normalize_symbol_text
from core.market.timeframes import last_closed_open, timeframe_ms
from services.audit import record as audit
from services.db.models.market import SYMBOL_LIST_KINDS, SymbolListEntry
from services.market.base import DataUnavailable, MarketDataError

if TYPE_CHECKING:
    from core.config import Settings
    from services.db.engine import Database
    from services.market.hub import MarketHub

LOOKBACK_DAYS = 7
_DEPTH_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class SymbolListItem:
    kind: str
    symbol: str
    note: str | None
    added_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UniverseEntry:
    symbol: str
    last: float
    quote_volume_24h: float
    spread_pct: float | None
    depth_quote: float | None  # thinner side within `universe_depth_pct` of mid
    whitelisted: bool


@dataclass(frozen=True, slots=True)
class Universe:
    entries: tuple[UniverseEntry, ...]
    excluded: dict[str, str]  # symbol -> "blocked" | "volume" | "spread" | "depth" | ...
    simulated: bool
    stale: bool
    source: str

    @property
    def symbols(self) -> list[str]:
        return [e.symbol for e in self.entries]


@dataclass(frozen=True, slots=True)
class TopEntry:
    rank: int
    symbol: str
    score: float  # 0..100
    direction: str  # "up" | "down" | "range"
    change_pct: float
    efficiency: float
    volatility_pct: float
    quote_volume_24h: float
    last: float


@dataclass(frozen=True, slots=True)
class TopResult:
    entries: tuple[TopEntry, ...]
    timeframe: str
    lookback_days: int
    universe_size: int
    simulated: bool
    stale: bool
    source: str


class InvalidListKind(ValueError):
    pass


class UniverseService:
    def __init__(self, market: MarketHub, db: Database, settings: Settings) -> None:
        self.market = market
        self.db = db
        self.settings = settings
        self._cached: tuple[float, Universe] | None = None
        # timeframe -> (last closed candle, the universe ranked, the full ranking)
        self._ranked: dict[str, tuple[int, Universe, TopResult]] = {}

    # --- block/white lists ------------------------------------------------------------
    async def _symbol(self, text: str, kind: str) -> str:
        if kind not in SYMBOL_LIST_KINDS:
            raise InvalidListKind(kind)
        try:
            return await self.market.normalize(text)
        except UnknownSymbol:
            if kind == "white":
                raise
            # A blocklist may name a market that is gone or not listed yet.
            return normalize_symbol_text(text, default_quote=self.settings.universe_quote)

    async def add(
        self, kind: str, symbol: str, *, user_id: int | None = None, note: str | None = None
    ) -> bool:
        """Add to the "block" or "white" list; False if it was already there."""
        unified = await self._symbol(symbol, kind)
        try:
            async with self.db.session() as session:
                session.add(
                    SymbolListEntry(
                        kind=kind, symbol=unified, note=(note or None), added_by=user_id
                    )
                )
                await session.flush()
                await audit(session, "symbols.add", subject=f"symbol:{unified}",
                            what={"list": kind, "symbol": unified, "note": note})  # fmt: skip
        except IntegrityError:
            return False
        self._cached = None
        return True

    async def remove(self, kind: str, symbol: str) -> bool:
        """Remove from a list; False if it was not there."""
        if kind not in SYMBOL_LIST_KINDS:
            raise InvalidListKind(kind)
        try:
            unified = normalize_symbol_text(symbol, default_quote=self.settings.universe_quote)
        except UnknownSymbol:
            return False
        async with self.db.session() as session:
            result = await session.execute(
                delete(SymbolListEntry).where(
                    (SymbolListEntry.kind == kind) & (SymbolListEntry.symbol == unified)
                )
            )
            if result.rowcount:
                await audit(session, "symbols.remove", subject=f"symbol:{unified}",
                            what={"list": kind, "symbol": unified})  # fmt: skip
        self._cached = None
        return bool(result.rowcount)

    async def list(self, kind: str) -> list[SymbolListItem]:
        if kind not in SYMBOL_LIST_KINDS:
            raise InvalidListKind(kind)
        async with self.db.sessions() as session:
            rows = await session.scalars(
                select(SymbolListEntry)
                .where(SymbolListEntry.kind == kind)
                .order_by(SymbolListEntry.symbol)
            )
            return [
                SymbolListItem(r.kind, r.symbol, r.note, r.added_by, r.created_at)
                for r in rows.all()
            ]

    # --- universe -------------------------------------------------------------------------
    async def build(self, *, refresh: bool = False) -> Universe:
        """The screened universe; a real-market one is reused for `markets_ttl_s`
        (a simulated one is cheap and must not outlive the exchange's return)."""
        if (
            not refresh
            and self._cached is not None
            and time.monotonic() - self._cached[0] < self.settings.markets_ttl_s
        ):
            return self._cached[1]
        try:
            universe = await self._build()
        except MarketDataError as exc:
            # No exchange answers: the last screened universe, else the markets the
            # bot has cached data for; marked stale, so nothing is issued or filled.
            if self._cached is not None:
                return replace(self._cached[1], stale=True)
            return await self._offline(exc)
        self._cached = None if universe.simulated else (time.monotonic(), universe)
        return universe

    async def _offline(self, exc: MarketDataError) -> Universe:
        """Known markets with their cached (stale) prices, unscreened: liquidity cannot
        be measured without the exchange, and stale data is never traded anyway."""
        markets = await self.market.markets()  # raises when nothing is known at all
        blocked = {i.symbol for i in await self.list("block")}
        white = {i.symbol for i in await self.list("white")}
        entries, excluded = [], {}
        for m in markets.values():
            if not m.active or m.quote != self.settings.universe_quote:
                continue
            if m.symbol in blocked:
                excluded[m.symbol] = "blocked"
                continue
            try:
                ticker = await self.market.ticker(m.symbol)
            except MarketDataError:
                excluded[m.symbol] = "no_ticker"
                continue
            volume = ticker.quote_volume_24h or 0.0
            entries.append(
                UniverseEntry(m.symbol, ticker.last, volume, None, None, m.symbol in white)
            )
        if not entries:
            raise exc
        return Universe(
            entries=tuple(sorted(entries, key=lambda e: -e.quote_volume_24h)),
            excluded=excluded,
            simulated=False,
            stale=True,
            source=self.market.source_name,
        )

    async def _build(self) -> Universe:
        s = self.settings
        markets = await self.market.markets()
        tickers = await self.market.tickers()
        blocked = {i.symbol for i in await self.list("block")}
        white = {i.symbol for i in await self.list("white")}
        quoted = [m for m in markets.values() if m.active and m.quote == s.universe_quote]
        spot = [m for m in quoted if m.kind == "spot"]
        excluded: dict[str, str] = {}
        candidates = []
        for m in spot or quoted:
            ticker = tickers.get(m.symbol)
            if m.symbol in blocked:
                excluded[m.symbol] = "blocked"
            elif ticker is None:
                excluded[m.symbol] = "no_ticker"
            elif m.symbol in white:
                candidates.append((m.symbol, ticker, True))
            elif (ticker.quote_volume_24h or 0.0) < s.universe_min_quote_volume:
                excluded[m.symbol] = "volume"
            elif ticker.spread_pct is not None and ticker.spread_pct > s.universe_max_spread_pct:
                excluded[m.symbol] = "spread"
            else:
                candidates.append((m.symbol, ticker, False))

        gate = asyncio.Semaphore(_DEPTH_CONCURRENCY)

        async def with_depth(symbol: str):
            async with gate:
                try:
                    return await self.market.depth(symbol, s.universe_depth_pct)
                except MarketDataError:
                    return None

        depths = await asyncio.gather(*(with_depth(sym) for sym, _, _ in candidates))
        entries = []
        for (symbol, ticker, whitelisted), depth in zip(candidates, depths, strict=True):
            spread = (
                ticker.spread_pct
                if ticker.spread_pct is not None
                else (depth.spread_pct if depth is not None else None)
            )
            depth_quote = depth.min_side_quote if depth is not None else None
            if not whitelisted:
                if spread is not None and spread > s.universe_max_spread_pct:
                    excluded[symbol] = "spread"
                    continue
                if depth_quote is None or depth_quote < s.universe_min_depth:
                    excluded[symbol] = "depth"
                    continue
            entries.append(
                UniverseEntry(
                    symbol,
                    ticker.last,
                    ticker.quote_volume_24h or 0.0,
                    spread,
                    depth_quote,
                    whitelisted,
                )
            )
        all_tickers = list(tickers.values())
        return Universe(
            entries=tuple(sorted(entries, key=lambda e: -e.quote_volume_24h)),
            excluded=excluded,
            simulated=any(t.simulated for t in all_tickers),
            stale=any(t.stale for t in all_tickers),
            source=all_tickers[0].source if all_tickers else self.market.source_name,
        )

    # --- ranking ----------------------------------------------------------------------------
    def _candle_key(self, timeframe: str) -> int:
        return last_closed_open(self.market.clock.now_ms(), timeframe)

    def is_warm(self, timeframe: str | None = None) -> bool:
        """True when `top()` can answer from the ranking cache (no exchange calls)."""
        tf = timeframe or self.settings.top_timeframe
        hit = self._ranked.get(tf)
        return (
            hit is not None
            and hit[0] == self._candle_key(tf)
            and self._cached is not None
            and hit[1] is self._cached[1]
        )

    async def top(self, n: int = 10, timeframe: str | None = None) -> TopResult:
        """The best `n` coins of the universe by trend strength, volume and volatility.

        The full ranking of a real market is kept until the next candle of
        `timeframe` closes (or the universe is rebuilt), so repeated `/top` calls cost
        no exchange requests; the upkeep job warms it.
        """
        tf = timeframe or self.settings.top_timeframe
        universe = await self.build()
        key = self._candle_key(tf)
        hit = self._ranked.get(tf)
        if hit is not None and hit[0] == key and hit[1] is universe:
            full = hit[2]
        else:
            full = await self._rank(universe, tf)
            if not full.simulated and not full.stale:
                self._ranked[tf] = (key, universe, full)
        return replace(full, entries=full.entries[: max(0, n)])

    async def _rank(self, universe: Universe, tf: str) -> TopResult:
        bars_per_day = 86_400_000 / timeframe_ms(tf)
        lookback = max(3, round(LOOKBACK_DAYS * bars_per_day))
        gate = asyncio.Semaphore(_DEPTH_CONCURRENCY)

        async def candles(symbol: str):
            async with gate:
                try:
                    return await self.market.ohlcv(symbol, tf, limit=lookback + 1)
                except MarketDataError:
                    return None

        results = await asyncio.gather(*(candles(e.symbol) for e in universe.entries))
        stats = []
        simulated, stale = universe.simulated, universe.stale
        for entry, result in zip(universe.entries, results, strict=True):
            if result is None:
                continue
            simulated = simulated or result.simulated
            stale = stale or result.stale
            st = coin_stats(entry.symbol, result.frame["close"].to_numpy(), bars_per_day,
                            entry.quote_volume_24h, lookback)  # fmt: skip
            if st is not None:
                stats.append((st, entry.last))
        last_by_symbol = {st.symbol: last for st, last in stats}
        ranked = rank([st for st, _ in stats])
        if not ranked and universe.entries:
            raise DataUnavailable("top", "no candles for the universe")
        return TopResult(
            entries=tuple(
                TopEntry(
                    rank=i + 1,
                    symbol=r.stats.symbol,
                    score=r.score,
                    direction=r.stats.direction,
                    change_pct=r.stats.change_pct,
                    efficiency=r.stats.efficiency,
                    volatility_pct=r.stats.volatility_pct,
                    quote_volume_24h=r.stats.quote_volume_24h,
                    last=last_by_symbol[r.stats.symbol],
                )
                for i, r in enumerate(ranked)
            ),
            timeframe=tf,
            lookback_days=LOOKBACK_DAYS,
            universe_size=len(universe.entries),
            simulated=simulated,
            stale=stale,
            source=universe.source,
        )
