"""The market-data interface every other part codes against, and its DTOs.

Providers (exchange, replay, sim) and the hub all satisfy `MarketData`. Results say
where they came from (`source`), whether the prices are synthetic (`simulated`) and
whether they are a cached fallback (`stale`, `age_s`), so callers can refuse to act
on stale data and every message can label simulated prices.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import pandas as pd

from core.market.symbols import UnknownSymbol

__all__ = [
    "CandleResult",
    "Clock",
    "DataUnavailable",
    "Depth",
    "MarketData",
    "MarketDataError",
    "MarketInfo",
    "ReplayClock",
    "SystemClock",
    "Ticker",
    "UnknownSymbol",
    "UnsupportedTimeframe",
]


class Clock(Protocol):
    def now_ms(self) -> int: ...


class SystemClock:
    """Wall-clock UTC milliseconds."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


class ReplayClock:
    """A settable "now" for replays and deterministic tests."""

    def __init__(self, now_ms: int = 0) -> None:
        self._now = int(now_ms)

    def now_ms(self) -> int:
        return self._now

    def set(self, now_ms: int) -> None:
        self._now = int(now_ms)

    def advance(self, ms: int) -> None:
        self._now += int(ms)


class MarketDataError(Exception):
    """Base class of market-data failures callers may want to catch together."""


class DataUnavailable(MarketDataError):
    """No source could answer and nothing usable is cached."""

    def __init__(self, what: str, reason: str = "") -> None:
        super().__init__(f"{what}: {reason}" if reason else what)
        self.what = what
        self.reason = reason


class UnsupportedTimeframe(MarketDataError):
    def __init__(self, timeframe: str) -> None:
        super().__init__(f"unsupported timeframe: {timeframe}")
        self.timeframe = timeframe


@dataclass(frozen=True, slots=True)
class CandleResult:
    """Closed candles only; `frame` follows the contract frame shape."""

    symbol: str
    timeframe: str
    frame: pd.DataFrame
    source: str
    simulated: bool
    stale: bool
    age_s: float | None  # seconds since the last candle closed; None when empty

    @property
    def last_close(self) -> float | None:
        return float(self.frame["close"].iloc[-1]) if len(self.frame) else None


@dataclass(frozen=True, slots=True)
class Ticker:
    symbol: str
    last: float
    bid: float | None
    ask: float | None
    spread_pct: float | None  # (ask - bid) / mid * 100
    quote_volume_24h: float | None
    ts_ms: int
    source: str
    simulated: bool
    stale: bool


@dataclass(frozen=True, slots=True)
class MarketInfo:
    symbol: str
    base: str
    quote: str
    active: bool
    kind: Literal["spot", "perp"]
    price_precision: float | None  # tick size
    amount_precision: float | None  # lot step
    min_notional: float | None  # quote currency


@dataclass(frozen=True, slots=True)
class Depth:
    """Order-book quote value resting within `within_pct` of the mid price."""

    symbol: str
    mid: float
    within_pct: float
    bid_quote: float
    ask_quote: float
    spread_pct: float | None
    ts_ms: int
    source: str
    simulated: bool
    stale: bool
    estimated: bool = False  # modelled from volume (replay/sim), not a real book

    @property
    def total_quote(self) -> float:
        return self.bid_quote + self.ask_quote

    @property
    def min_side_quote(self) -> float:
        return min(self.bid_quote, self.ask_quote)


@runtime_checkable
class MarketData(Protocol):
    clock: Clock

    async def ohlcv(
        self,
        symbol: str,
        timeframe: str,
        *,
        limit: int | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> CandleResult: ...

    async def ticker(self, symbol: str) -> Ticker: ...

    async def markets(self) -> dict[str, MarketInfo]: ...

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth: ...

    async def normalize(self, text: str) -> str: ...


def bare_market(symbol: str) -> MarketInfo:
    """A market known only by its unified symbol (replayed files, cached candles):
    active, spot unless it names a settle currency, precision and limits unknown."""
    pair, _, settle = symbol.partition(":")
    base, _, quote = pair.partition("/")
    return MarketInfo(
        symbol=symbol,
        base=base,
        quote=quote,
        active=True,
        kind="perp" if settle else "spot",
        price_precision=None,
        amount_precision=None,
        min_notional=None,
    )


def estimated_depth(ticker: Ticker, within_pct: float) -> Depth:
    """Book depth modelled from a ticker, for providers without an order book.

    Replay and sim have no book; liquid spot books hold roughly 0.15 % of a day's
    quote volume per side within 1 % of mid, which puts the universe's 50k cut-off
    near 30M of daily volume, as on real exchanges. `estimated=True` says so.
    """
    side = max(0.0, ticker.quote_volume_24h or 0.0) * 0.0015 * within_pct
    return Depth(
        symbol=ticker.symbol,
        mid=ticker.last,
        within_pct=within_pct,
        bid_quote=side,
        ask_quote=side,
        spread_pct=ticker.spread_pct,
        ts_ms=ticker.ts_ms,
        source=ticker.source,
        simulated=ticker.simulated,
        stale=ticker.stale,
        estimated=True,
    )


def spread_pct(bid: float | None, ask: float | None) -> float | None:
    if bid is None or ask is None or bid <= 0 or ask <= 0:
        return None
    mid = (bid + ask) / 2
    return (ask - bid) / mid * 100.0


def book_depth(
    bids: list[list[float]], asks: list[list[float]], within_pct: float
) -> tuple[float, float, float]:
    """(mid, bid quote, ask quote) within `within_pct` % of mid from book levels."""
    if not bids or not asks:
        return 0.0, 0.0, 0.0
    mid = (float(bids[0][0]) + float(asks[0][0])) / 2
    lo, hi = mid * (1 - within_pct / 100), mid * (1 + within_pct / 100)
    bid_q = sum(float(p) * float(q) for p, q, *_ in bids if float(p) >= lo)
    ask_q = sum(float(p) * float(q) for p, q, *_ in asks if float(p) <= hi)
    return mid, bid_q, ask_q
