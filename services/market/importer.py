"""Candle files into the cache, and reports on what the cache holds.

Used by `tradebot data import|status|check`. An imported file is checked first:
rows that cannot be candles (NaN, non-positive prices, off-boundary timestamps,
inconsistent OHLC) are dropped and counted, duplicates keep the last copy, and
gaps are reported, never filled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.market.csv import read_candles_raw
from core.market.quality import QualityReport, check_frame, valid_rows
from core.market.timeframes import timeframe_ms
from services.market.store import CandleStore, SeriesInfo


@dataclass(frozen=True, slots=True)
class ImportResult:
    exchange: str
    symbol: str
    timeframe: str
    read: int
    dropped: int  # rows that were not valid candles
    inserted: int  # new rows (the rest were already cached)
    quality: QualityReport
    series: SeriesInfo | None


async def import_file(
    store: CandleStore,
    path: str | Path,
    *,
    exchange: str,
    symbol: str,
    timeframe: str,
    progress: Callable[[int], None] | None = None,
    now_ms: int | None = None,
) -> ImportResult:
    raw = read_candles_raw(path)
    quality = check_frame(raw, timeframe, now_ms=now_ms)
    frame = valid_rows(raw, timeframe)
    if now_ms is not None:
        frame = frame[frame["timestamp"] + timeframe_ms(timeframe) <= now_ms]
    inserted = await store.insert(exchange, symbol, timeframe, frame, progress=progress)
    return ImportResult(
        exchange=exchange,
        symbol=symbol,
        timeframe=timeframe,
        read=len(raw),
        dropped=len(raw) - len(frame),
        inserted=inserted,
        quality=quality,
        series=await store.info(exchange, symbol, timeframe),
    )


def iso(ts_ms: int | None) -> str | None:
    if ts_ms is None:
        return None
    return datetime.fromtimestamp(ts_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def series_status(info: SeriesInfo, now_ms: int, stale_bars: int) -> dict[str, object]:
    """One `data status` row (JSON-ready)."""
    return {
        "exchange": info.exchange,
        "symbol": info.symbol,
        "timeframe": info.timeframe,
        "first": iso(info.first_ts),
        "last": iso(info.last_ts),
        "first_ts": info.first_ts,
        "last_ts": info.last_ts,
        "rows": info.rows,
        "gaps": len(info.gaps),
        "missing": info.missing,
        "completeness_pct": round(info.completeness * 100, 2),
        "stale": info.is_stale(now_ms, stale_bars),
        "gap_list": [
            {"start": iso(g.start_ts), "start_ts": g.start_ts, "missing": g.missing}
            for g in info.gaps
        ],
    }
