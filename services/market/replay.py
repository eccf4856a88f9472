"""The replay provider: historical candles behind a movable clock.

The live code path runs over history (backfill mode, deterministic tests) by
reading candles from shared-format files or from the candles table while a
`ReplayClock` says what "now" is. Nothing that opens after now is visible and the
candle still open at now is excluded. A timeframe with no series covering the
clock is resampled from the largest lower timeframe that does (4h and 1d from
1h), on UTC boundaries, keeping only complete bars.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from core.market.csv import parse_file_name, read_candles
from core.market.frame import slice_frame
from core.market.symbols import UnknownSymbol, resolve_symbol
from core.market.timeframes import (
    can_resample,
    closed_only,
    last_closed_open,
    resample,
    timeframe_ms,
)
from services.market.base import (
    CandleResult,
    Clock,
    DataUnavailable,
    Depth,
    MarketInfo,
    Ticker,
    estimated_depth,
)
from services.market.store import CandleStore
from services.market.window import candle_window, result_age_s

SOURCE = "replay"
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class SeriesBounds:
    first_ts: int
    last_ts: int


class FrameSource(Protocol):
    """Where replayed candles come from: files or the database."""

    async def catalog(self) -> dict[str, dict[str, SeriesBounds | None]]: ...

    async def bounds(self, symbol: str, timeframe: str) -> SeriesBounds | None: ...

    async def load(self, symbol: str, timeframe: str) -> pd.DataFrame: ...


class FileFrames:
    """A shared-format file, or every such file in a directory (one exchange)."""

    def __init__(self, path: str | Path, *, exchange: str | None = None) -> None:
        root = Path(path)
        files = sorted(root.glob("*.csv*")) if root.is_dir() else [root]
        self._paths: dict[tuple[str, str], Path] = {}
        for file in files:
            parsed = parse_file_name(file)
            if parsed is None or (exchange is not None and parsed.exchange != exchange):
                continue
            self._paths.setdefault((parsed.symbol, parsed.timeframe), file)
        if not self._paths:
            raise DataUnavailable(str(path), "no candle files")
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}

    async def catalog(self) -> dict[str, dict[str, SeriesBounds | None]]:
        out: dict[str, dict[str, SeriesBounds | None]] = {}
        for symbol, tf in self._paths:
            out.setdefault(symbol, {})[tf] = None
        return out

    async def load(self, symbol: str, timeframe: str) -> pd.DataFrame:
        key = (symbol, timeframe)
        if key not in self._frames:
            self._frames[key] = await asyncio.to_thread(read_candles, self._paths[key])
        return self._frames[key]

    async def bounds(self, symbol: str, timeframe: str) -> SeriesBounds | None:
        frame = await self.load(symbol, timeframe)
        if frame.empty:
            return None
        return SeriesBounds(int(frame["timestamp"].iloc[0]), int(frame["timestamp"].iloc[-1]))


class DbFrames:
    """Series already in the candles table, for one exchange key."""

    def __init__(self, store: CandleStore, exchange: str) -> None:
        self.store = store
        self.exchange = exchange
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}

    async def catalog(self) -> dict[str, dict[str, SeriesBounds | None]]:
        out: dict[str, dict[str, SeriesBounds | None]] = {}
        for info in await self.store.all_series(exchange=self.exchange):
            if info.first_ts is not None and info.last_ts is not None:
                out.setdefault(info.symbol, {})[info.timeframe] = SeriesBounds(
                    info.first_ts, info.last_ts
                )
        return out

    async def bounds(self, symbol: str, timeframe: str) -> SeriesBounds | None:
        return (await self.catalog()).get(symbol, {}).get(timeframe)

    async def load(self, symbol: str, timeframe: str) -> pd.DataFrame:
        key = (symbol, timeframe)
        if key not in self._frames:
            self._frames[key] = await self.store.load(self.exchange, symbol, timeframe)
        return self._frames[key]


class ReplayProvider:
    name = SOURCE

    def __init__(self, frames: FrameSource, clock: Clock, *, default_limit: int = 500) -> None:
        self.frames = frames
        self.clock = clock
        self.default_limit = default_limit
        self._resampled: dict[tuple[str, str, str], pd.DataFrame] = {}

    async def start_at_data_end(self) -> None:
        """Move a settable clock to the close of the newest candle of any series."""
        catalog = await self.frames.catalog()
        ends = []
        for symbol, timeframes in catalog.items():
            for tf in timeframes:
                bounds = await self.frames.bounds(symbol, tf)
                if bounds is not None:
                    ends.append(bounds.last_ts + timeframe_ms(tf))
        setter = getattr(self.clock, "set", None)
        if ends and callable(setter):
            setter(max(ends))

    async def _timeframes(self, symbol: str) -> dict[str, SeriesBounds | None]:
        catalog = await self.frames.catalog()
        if symbol not in catalog:
            raise UnknownSymbol(symbol, [])
        return catalog[symbol]

    async def _covers(self, symbol: str, timeframe: str, now: int) -> bool:
        bounds = await self.frames.bounds(symbol, timeframe)
        if bounds is None:
            return False
        return bounds.first_ts <= now and bounds.last_ts >= last_closed_open(now, timeframe)

    async def _frame(self, symbol: str, timeframe: str) -> pd.DataFrame:
        """The native series when it covers the clock, else a resampled lower one."""
        timeframe_ms(timeframe)
        available = await self._timeframes(symbol)
        now = self.clock.now_ms()
        lower = sorted(
            (tf for tf in available if can_resample(tf, timeframe)), key=timeframe_ms, reverse=True
        )
        if timeframe in available and await self._covers(symbol, timeframe, now):
            return await self.frames.load(symbol, timeframe)
        for tf in lower:
            if await self._covers(symbol, tf, now):
                return await self._resample(symbol, tf, timeframe)
        if timeframe in available:
            return await self.frames.load(symbol, timeframe)
        if lower:
            return await self._resample(symbol, lower[0], timeframe)
        raise DataUnavailable(f"{symbol} {timeframe}", "no series to replay")

    async def _resample(self, symbol: str, source: str, timeframe: str) -> pd.DataFrame:
        key = (symbol, source, timeframe)
        if key not in self._resampled:
            base = await self.frames.load(symbol, source)
            self._resampled[key] = resample(base, timeframe, source=source)
        return self._resampled[key]

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
        frame = closed_only(await self._frame(symbol, timeframe), timeframe, now)
        start, end = candle_window(
            timeframe, now, limit=limit, since=since, until=until, default_limit=self.default_limit
        )
        if since is None and limit is not None:
            visible = slice_frame(frame, until=end, limit=limit)
        else:
            visible = slice_frame(frame, since=start, until=end)
        return CandleResult(
            symbol=symbol,
            timeframe=timeframe,
            frame=visible,
            source=SOURCE,
            simulated=False,
            stale=False,
            age_s=result_age_s(visible, timeframe, now),
        )

    async def _finest(self, symbol: str) -> tuple[str, pd.DataFrame]:
        available = await self._timeframes(symbol)
        now = self.clock.now_ms()
        for tf in sorted(available, key=timeframe_ms):
            frame = closed_only(await self.frames.load(symbol, tf), tf, now)
            if not frame.empty and await self._covers(symbol, tf, now):
                return tf, frame
        tf = min(available, key=timeframe_ms)
        return tf, closed_only(await self.frames.load(symbol, tf), tf, now)

    async def ticker(self, symbol: str) -> Ticker:
        """Last price from the last visible candle; 24h quote volume from the day before."""
        now = self.clock.now_ms()
        tf, frame = await self._finest(symbol)
        if frame.empty:
            raise DataUnavailable(symbol, "no candle before the replay clock")
        step = timeframe_ms(tf)
        last_ts = int(frame["timestamp"].iloc[-1])
        day = frame[frame["timestamp"] > last_ts + step - DAY_MS - 1]
        last = float(frame["close"].iloc[-1])
        return Ticker(
            symbol=symbol,
            last=last,
            bid=last,
            ask=last,
            spread_pct=0.0,
            quote_volume_24h=float((day["volume"] * day["close"]).sum()),
            ts_ms=last_ts + step,
            source=SOURCE,
            simulated=False,
            stale=now - (last_ts + step) > 2 * step,
        )

    async def tickers(self) -> dict[str, Ticker]:
        """Tickers of the markets that trade at the clock: a series that ended long
        before it (stale) is a market that did not exist yet or any more."""
        out = {}
        for symbol in await self.frames.catalog():
            try:
                ticker = await self.ticker(symbol)
            except DataUnavailable:
                continue
            if not ticker.stale:
                out[symbol] = ticker
        return out

    async def markets(self) -> dict[str, MarketInfo]:
        out = {}
        for symbol in await self.frames.catalog():
            pair, _, settle = symbol.partition(":")
            base, _, quote = pair.partition("/")
            out[symbol] = MarketInfo(
                symbol=symbol,
                base=base,
                quote=quote,
                active=True,
                kind="perp" if settle else "spot",
                price_precision=None,
                amount_precision=None,
                min_notional=None,
            )
        return out

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth:
        return estimated_depth(await self.ticker(symbol), within_pct)

    async def normalize(self, text: str) -> str:
        return resolve_symbol(text, (await self.frames.catalog()).keys())
