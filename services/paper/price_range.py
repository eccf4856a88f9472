"""Where a market traded while a position was open: the bounds of a typed /close price.

`/close ID PRICE` records an exit at a price the user says they got elsewhere. A price
the market never traded at since the entry would invent profit (QA: a close at
99,999,999 booked +3.8M USDT), so the price must lie between the lowest low and the
highest high of the candles since the entry, widened by the entry fill and the
current quote (the still-open candle is not served, its last price is). Candles come
from the finest timeframe that covers the holding period in one page and that the
market data has for the symbol.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from core.accounting import to_decimal
from core.market.timeframes import timeframe_ms
from services.market.base import MarketData, MarketDataError
from services.paper.monitor import missing_timeframe

RANGE_TIMEFRAMES = ("1m", "5m", "15m", "1h", "4h", "1d")
MAX_BARS = 1000  # one page of candles on every source


@dataclass(frozen=True, slots=True)
class TradedRange:
    low: Decimal
    high: Decimal

    def contains(self, price: Decimal) -> bool:
        return self.low <= price <= self.high

    def to_tick(self, tick: Decimal | None) -> TradedRange:
        """Widened outward to whole ticks: a price typed to the tick is never refused
        for lying between the true extreme and the tick that displays it."""
        if tick is None or tick <= 0:
            return self
        low = (self.low / tick).to_integral_value(rounding=ROUND_FLOOR) * tick
        high = (self.high / tick).to_integral_value(rounding=ROUND_CEILING) * tick
        return TradedRange(low, high)

    def widened(self, *prices: Decimal | None) -> TradedRange:
        known = [p for p in prices if p is not None and p > 0]
        return TradedRange(min([self.low, *known]), max([self.high, *known]))


async def candle_range(
    market: MarketData, symbol: str, since_ms: int, now_ms: int
) -> TradedRange | None:
    """Lowest low and highest high of the closed candles from the one holding
    `since_ms` up to `now_ms`; None when no candle has closed since then.

    Raises MarketDataError when candles exist but cannot be read right now.
    """
    for tf in RANGE_TIMEFRAMES:
        step = timeframe_ms(tf)
        start = since_ms // step * step
        if (now_ms - start) // step > MAX_BARS:
            continue
        try:
            result = await market.ohlcv(symbol, tf, since=start, until=now_ms, limit=MAX_BARS)
        except MarketDataError as exc:
            if missing_timeframe(exc):
                continue
            raise
        frame = result.frame
        frame = frame[(frame["timestamp"] >= start) & (frame["timestamp"] + step <= now_ms)]
        if frame.empty:
            return None
        return TradedRange(
            to_decimal(float(frame["low"].min())), to_decimal(float(frame["high"].max()))
        )
    return None
