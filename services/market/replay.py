"""The replay provider: historical candles behind a movable clock.

The live code path runs over history (backfill mode, deterministic tests) by
reading candles from shared-format files or from the candles table while a
`ReplayClock` says what "now" is. Nothing that opens after now is visible and the
candle still open at now is excluded. A request is answered from the series that
covers the period it asks for: the native one, or one resampled from any finer
series that does (1h from 5m or 15m, 4h from 1h), on UTC boundaries, keeping only
complete bars. Candles and tickers read the same clock; a series that ends more
than `stale_bars` bars before the bars asked for comes back `stale` (with its age).
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
    floor_ts,
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
    bare_market,
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

    def __init__(
        self,
        frames: FrameSource,
        clock: Clock,
        *,
        default_limit: int = 500,
        stale_bars: int = 2,
    ) -> None:
        self.frames = frames
        self.clock = clock
        self.default_limit = default_limit
        self.stale_bars = stale_bars
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

    async def _sources(self, symbol: str, timeframe: str) -> list[str]:
        """Series that can answer `timeframe`: the native one, then every finer one
        that tiles it, coarsest first (fewest rows to aggregate)."""
        timeframe_ms(timeframe)
        available = await self._timeframes(symbol)
        lower = sorted(
            (tf for tf in available if can_resample(tf, timeframe)), key=timeframe_ms, reverse=True
        )
        out = [timeframe] if timeframe in available else []
        out.extend(lower)
        if not out:
            raise DataUnavailable(f"{symbol} {timeframe}", "no series to replay")
        return out

    async def _span(self, symbol: str, source: str, timeframe: str) -> tuple[int, int] | None:
        """(first open, last open) of the complete `timeframe` bars `source` yields."""
        bounds = await self.frames.bounds(symbol, source)
        if bounds is None:
            return None
        step = timeframe_ms(timeframe)
        first = floor_ts(bounds.first_ts, timeframe)
        if first < bounds.first_ts:
            first += step
        last_close = floor_ts(bounds.last_ts + timeframe_ms(source), timeframe)
        return first, last_close - step

    async def _frame(self, symbol: str, timeframe: str, start: int, end: int) -> pd.DataFrame:
        """The series that covers [start, end] (open times of `timeframe` bars): the
        native one when it does, else one resampled from a finer series that does;
        when none covers it, the one that overlaps it most (newest as a tie-break),
        so a request never mixes prices from another period than it asked for."""
        best: tuple[tuple[int, int], str] | None = None
        for source in await self._sources(symbol, timeframe):
            span = await self._span(symbol, source, timeframe)
            if span is None:
                continue
            if span[0] <= start and span[1] >= end:
                return await self._load(symbol, source, timeframe)
            score = (max(0, min(span[1], end) - max(span[0], start)), min(span[1], end))
            if best is None or score > best[0]:
                best = (score, source)
        if best is None:
            raise DataUnavailable(f"{symbol} {timeframe}", "no series to replay")
        return await self._load(symbol, best[1], timeframe)

    async def _load(self, symbol: str, source: str, timeframe: str) -> pd.DataFrame:
        if source == timeframe:
            return await self.frames.load(symbol, timeframe)
        key = (symbol, source, timeframe)
        if key not in self._resampled:
            base = await self.frames.load(symbol, source)
            self._resampled[key] = await asyncio.to_thread(resample, base, timeframe, source=source)
        return self._resampled[key]

    async def data_end(self, symbol: str, timeframe: str) -> int:
        """Close time of the newest `timeframe` bar the replay can give for `symbol`
        at the clock (native or resampled): where a relative period should end."""
        now = self.clock.now_ms()
        step = timeframe_ms(timeframe)
        newest = last_closed_open(now, timeframe)
        ends = []
        for source in await self._sources(symbol, timeframe):
            span = await self._span(symbol, source, timeframe)
            if span is not None and span[1] >= span[0]:
                ends.append(min(span[1], newest) + step)
        return max(ends) if ends else now

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
        frame = closed_only(await self._frame(symbol, timeframe, start, end), timeframe, now)
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
            stale=self._behind(visible, timeframe, end),
            age_s=result_age_s(visible, timeframe, now),
        )

    def _behind(self, frame: pd.DataFrame, timeframe: str, end: int) -> bool:
        """True when the series stops more than `stale_bars` bars before the newest
        bar asked for: old data that must be labelled and never traded on."""
        if frame.empty:
            return False
        last = int(frame["timestamp"].iloc[-1])
        return end - last > self.stale_bars * timeframe_ms(timeframe)

    async def _finest(self, symbol: str) -> tuple[str, pd.DataFrame]:
        """The finest series that reaches the clock, else the one that ends newest,
        so the price is the one the clock says (or the latest the replay knows)."""
        available = await self._timeframes(symbol)
        now = self.clock.now_ms()
        newest: tuple[int, str, pd.DataFrame] | None = None
        for tf in sorted(available, key=timeframe_ms):
            frame = closed_only(await self.frames.load(symbol, tf), tf, now)
            if frame.empty:
                continue
            last = int(frame["timestamp"].iloc[-1])
            if last >= last_closed_open(now, tf):
                return tf, frame
            close = last + timeframe_ms(tf)
            if newest is None or close > newest[0]:
                newest = (close, tf, frame)
        if newest is not None:
            return newest[1], newest[2]
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
            stale=now - (last_ts + step) > self.stale_bars * step,
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
        return {symbol: bare_market(symbol) for symbol in await self.frames.catalog()}

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth:
        return estimated_depth(await self.ticker(symbol), within_pct)

    async def normalize(self, text: str) -> str:
        return resolve_symbol(text, (await self.frames.catalog()).keys())
