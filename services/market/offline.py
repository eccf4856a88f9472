"""What the bot still knows when every exchange is down and this process has not
asked one yet (a restart during an outage).

- The market list is saved to a JSON file whenever an exchange returns it, and read
  back when none answers; without that file, the symbols with cached candles stand
  in (their precision unknown), so a symbol the bot has data for still resolves.
- A ticker is rebuilt from the newest cached candle (its close as the price, the
  last day of candles for the 24h volume), marked stale so nothing is filled at it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from core.market.timeframes import timeframe_ms
from services.market.base import MarketInfo, Ticker, bare_market
from services.market.store import CandleStore

log = logging.getLogger(__name__)
DAY_MS = 86_400_000


def _write(path: Path, payload: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(payload, encoding="utf-8")
    os.replace(tmp, path)


async def save_markets(path: Path | None, markets: dict[str, MarketInfo]) -> None:
    """Keep the newest market list on disk; a failure only costs the offline fallback."""
    if path is None or not markets:
        return
    payload = json.dumps([asdict(m) for m in markets.values()])
    try:
        await asyncio.to_thread(_write, path, payload)
    except OSError as exc:
        log.warning("cannot save the market list to %s: %s", path, exc)


def _read(path: Path) -> dict[str, MarketInfo]:
    if not path.is_file():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {row["symbol"]: MarketInfo(**row) for row in rows}


async def load_markets(path: Path | None) -> dict[str, MarketInfo]:
    """The saved market list, or {} when there is none (or it is unreadable)."""
    if path is None:
        return {}
    try:
        return await asyncio.to_thread(_read, path)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("cannot read the saved market list %s: %s", path, exc)
        return {}


async def markets_from_cache(store: CandleStore, exchanges: Iterable[str]) -> dict[str, MarketInfo]:
    """Markets for the symbols with cached candles (precision and limits unknown)."""
    out: dict[str, MarketInfo] = {}
    for exchange in exchanges:
        for info in await store.all_series(exchange=exchange):
            if info.last_ts is None or info.symbol in out:
                continue
            out[info.symbol] = bare_market(info.symbol)
    return out


async def ticker_from_cache(
    store: CandleStore, exchanges: Iterable[str], symbol: str
) -> Ticker | None:
    """A stale ticker from the newest cached candle of `symbol`, or None."""
    best = None
    for exchange in exchanges:
        for info in await store.all_series(exchange=exchange, symbol=symbol):
            if info.last_ts is None:
                continue
            close = info.last_ts + timeframe_ms(info.timeframe)
            # the newest close wins; among equals, the finest series (best 24h sum)
            key = (close, -timeframe_ms(info.timeframe))
            if best is None or key > best[0]:
                best = (key, info)
    if best is None:
        return None
    info = best[1]
    step = timeframe_ms(info.timeframe)
    frame = await store.load(
        info.exchange, symbol, info.timeframe, until=info.last_ts, limit=max(1, DAY_MS // step)
    )
    if frame.empty:
        return None
    last = float(frame["close"].iloc[-1])
    return Ticker(
        symbol=symbol,
        last=last,
        bid=None,
        ask=None,
        spread_pct=None,
        quote_volume_24h=float((frame["volume"] * frame["close"]).sum()),
        ts_ms=info.last_ts + step,
        source=info.exchange,
        simulated=False,
        stale=True,
    )
