"""The sim provider: the deterministic synthetic market behind the MarketData interface.

Everything it returns carries `simulated=True` and `source="sim"`; handlers label
such prices (see `services.market.labels`).
"""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict

import pandas as pd

from core.market.frame import empty_frame
from core.market.symbols import UnknownSymbol, resolve_symbol
from core.market.synthetic import DAY_MS, SIM_QUOTE, SIM_SYMBOLS, sim_base_frame, sim_frame
from core.market.timeframes import timeframe_ms
from services.market.base import (
    CandleResult,
    Clock,
    Depth,
    MarketInfo,
    Ticker,
    estimated_depth,
    spread_pct,
)
from services.market.window import candle_window, result_age_s

SOURCE = "sim"
# Requests spanning more days than this are generated off the event loop.
_THREAD_DAYS = 60
# Generated frames kept per (symbol, timeframe, window): a /trade asks for the same
# ticker and ATR window many times within one candle, and building them costs ms.
_CACHE_FRAMES = 64


class SimProvider:
    name = SOURCE

    def __init__(self, seed: int, clock: Clock, *, default_limit: int = 500) -> None:
        self.seed = seed
        self.clock = clock
        self.default_limit = default_limit
        self._frames: OrderedDict[tuple[str, str, int, int], pd.DataFrame] = OrderedDict()
        self._tickers: dict[str, Ticker] = {}

    def _check(self, symbol: str) -> None:
        if symbol not in SIM_SYMBOLS:
            raise UnknownSymbol(symbol, [])

    async def ohlcv(
        self,
        symbol: str,
        timeframe: str,
        *,
        limit: int | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> CandleResult:
        self._check(symbol)
        now = self.clock.now_ms()
        start, end = candle_window(
            timeframe, now, limit=limit, since=since, until=until, default_limit=self.default_limit
        )
        if end < start:
            frame = empty_frame()
        elif (end - start) / DAY_MS > _THREAD_DAYS:
            frame = await asyncio.to_thread(sim_frame, self.seed, symbol, timeframe, start, end)
        else:
            frame = self._frame(symbol, timeframe, start, end)
        return CandleResult(
            symbol=symbol,
            timeframe=timeframe,
            frame=frame,
            source=SOURCE,
            simulated=True,
            stale=False,
            age_s=result_age_s(frame, timeframe, now),
        )

    def _frame(self, symbol: str, timeframe: str, start: int, end: int) -> pd.DataFrame:
        """The same window's frame is generated once; callers get their own copy
        (the sim is a pure function of seed, symbol and time, so reuse is exact)."""
        key = (symbol, timeframe, start, end)
        frame = self._frames.get(key)
        if frame is None:
            frame = sim_frame(self.seed, symbol, timeframe, start, end)
            self._frames[key] = frame
            if len(self._frames) > _CACHE_FRAMES:
                self._frames.popitem(last=False)
        else:
            self._frames.move_to_end(key)
        return frame.copy()

    async def ticker(self, symbol: str) -> Ticker:
        self._check(symbol)
        now = self.clock.now_ms()
        step = timeframe_ms("1m")
        last_open = now // step * step - step
        cached = self._tickers.get(symbol)
        if cached is not None and cached.ts_ms == last_open + step:
            return cached  # frozen; the same closed minute gives the same ticker
        ticker = self._build_ticker(symbol, last_open, step)
        self._tickers[symbol] = ticker
        return ticker

    def _build_ticker(self, symbol: str, last_open: int, step: int) -> Ticker:
        day = sim_base_frame(self.seed, symbol, last_open - DAY_MS + step, last_open)
        last = float(day["close"].iloc[-1])
        half = last * SIM_SYMBOLS[symbol].spread_pct / 200
        bid, ask = last - half, last + half
        return Ticker(
            symbol=symbol,
            last=last,
            bid=bid,
            ask=ask,
            spread_pct=spread_pct(bid, ask),
            quote_volume_24h=float((day["volume"] * day["close"]).sum()),
            ts_ms=last_open + step,
            source=SOURCE,
            simulated=True,
            stale=False,
        )

    async def tickers(self) -> dict[str, Ticker]:
        return {s: await self.ticker(s) for s in SIM_SYMBOLS}

    async def markets(self) -> dict[str, MarketInfo]:
        out = {}
        for symbol, asset in SIM_SYMBOLS.items():
            out[symbol] = MarketInfo(
                symbol=symbol,
                base=asset.base,
                quote=SIM_QUOTE,
                active=True,
                kind="spot",
                price_precision=_tick(asset.price),
                amount_precision=_tick(1e5 / asset.price),
                min_notional=5.0,
            )
        return out

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth:
        return estimated_depth(await self.ticker(symbol), within_pct)

    async def normalize(self, text: str) -> str:
        return resolve_symbol(text, SIM_SYMBOLS.keys())


def _tick(price: float) -> float:
    """About six significant digits, like exchange tick sizes."""
    return 10.0 ** (math.floor(math.log10(max(price, 1e-8))) - 5)
