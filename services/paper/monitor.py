"""The position monitor: applies closed candles to open positions.

Each open position remembers the open time of the last candle applied to it
(`last_checked_ms`). A pass fetches, per symbol and timeframe, the closed candles
after that, and hands them bar by bar to `core.fills.step_position` - the same rule
code the backtest uses - so level fills, gap fills at the open, stop-wins-ties,
TP1/TP2/TP3 50/30/20 with breakeven after TP1 and liquidation all behave the same
in paper trading and backtests. The first candle applied is the first one that opens
at or after the entry (a candle that was already running at entry mixes prices from
before the position existed).

Safety: every pass write-locks the account row, re-reads the position, skips candles
at or before `last_checked_ms`, and fills are UNIQUE per (position, kind), so two
overlapping passes can never book the same exit twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from sqlalchemy import select

from core import fills
from core.accounting import to_decimal
from core.market.timeframes import timeframe_ms
from services.accounts.store import lock_account
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.trading import Fill, Position
from services.market.base import MarketData, MarketDataError
from services.paper.book import apply_exit, book_exit, fill_dto, kind_of, state_of, to_dto
from services.paper.dto import FillEvent

log = logging.getLogger(__name__)

Bar = tuple[int, Decimal, Decimal, Decimal, Decimal]  # open time ms, open, high, low, close
MAX_PAGES = 50  # candle pages fetched per symbol in one pass (catch-up after downtime)


def first_bar_ms(opened_ms: int, last_checked_ms: int | None, timeframe: str) -> int:
    """Open time of the first candle the position has not seen yet."""
    step = timeframe_ms(timeframe)
    if last_checked_ms is not None:
        return last_checked_ms + step
    return -(-opened_ms // step) * step  # the first boundary at or after the entry


def frame_bars(frame: object) -> list[Bar]:
    """Candle frame rows as exact Decimal bars (via str, never binary expansion)."""
    cols = [frame[c].tolist() for c in ("timestamp", "open", "high", "low", "close")]  # type: ignore[index]
    return [
        (int(ts), to_decimal(o), to_decimal(h), to_decimal(lo), to_decimal(c))
        for ts, o, h, lo, c in zip(*cols, strict=True)
    ]


class PaperMonitor:
    def __init__(self, db: Database, market: MarketData | None, clock: Callable[[], int]) -> None:
        self._db = db
        self._market = market
        self._now_ms = clock

    async def run_once(self, modes: Sequence[str] = ("paper",)) -> list[FillEvent]:
        """Apply every closed candle not yet seen to every open position of `modes`."""
        now = self._now_ms()
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    select(
                        Position.id,
                        Position.symbol,
                        Position.timeframe,
                        Position.opened_ms,
                        Position.last_checked_ms,
                    ).where(Position.status == "open", Position.trade_mode.in_(modes))
                )
            ).all()
        groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for pid, symbol, tf, opened, checked in rows:
            groups[(symbol, tf)].append((pid, first_bar_ms(opened, checked, tf)))
        events: list[FillEvent] = []
        for (symbol, tf), positions in groups.items():
            try:
                bars = await self._closed_bars(symbol, tf, min(s for _, s in positions), now)
            except MarketDataError as exc:
                log.warning("monitor: no candles for %s %s: %s", symbol, tf, exc)
                continue
            if not bars:
                continue
            for pid, _ in positions:
                events.extend(await self.apply_bars(pid, bars))
        return events

    async def _closed_bars(self, symbol: str, tf: str, since: int, now: int) -> list[Bar]:
        if self._market is None:
            raise MarketDataError("the monitor was built without market data")
        step = timeframe_ms(tf)
        out: list[Bar] = []
        cursor = since
        for _ in range(MAX_PAGES):
            if cursor + step > now:
                break
            result = await self._market.ohlcv(symbol, tf, since=cursor, until=now)
            page = [b for b in frame_bars(result.frame) if b[0] >= cursor and b[0] + step <= now]
            if not page:
                break
            out.extend(page)
            cursor = page[-1][0] + step
        return out

    async def apply_bars(
        self, position_id: int, bars: Iterable[Bar], *, notified: bool = False
    ) -> list[FillEvent]:
        """Step one position through `bars` (sorted by time) and book what fills.

        `notified=True` books the fills as already told (backfill runs, where nobody
        is waiting for a message).
        """
        async with self._db.session() as session:
            row = await session.get(Position, position_id)
            if row is None or row.status != "open":
                return []
            account = await lock_account(session, row.user_id, row.trade_mode, self._now_ms())
            await session.refresh(row)
            if row.status != "open":
                return []
            # Nobody waits for messages about backfill fills.
            notified = notified or row.trade_mode != "paper"
            state = state_of(row)
            start = first_bar_ms(row.opened_ms, row.last_checked_ms, row.timeframe)
            booked_rows: list[Fill] = []
            for ts, o, h, lo, c in bars:
                if ts < start:
                    continue
                for produced in fills.step_position(state, o, h, lo, c, atr=row.atr):
                    booked = book_exit(row, kind_of(produced), produced.qty, produced.price)
                    fill = apply_exit(
                        row, account, booked, time_ms=ts, bar_ms=ts, notified=notified
                    )
                    session.add(fill)
                    booked_rows.append(fill)
                state.remaining = row.remaining_qty
                if row.status == "open":
                    row.stop = state.stop if state.stop > 0 else None
                row.last_checked_ms = ts
                start = ts + 1
                if row.status != "open":
                    break
            await session.flush()
            for fill in booked_rows:
                await audit(
                    session,
                    "position.fill",
                    subject=f"position:{row.id}",
                    what={"user": row.user_id, "fill": fill.kind, "qty": fill.qty,
                          "price": fill.price, "fee": fill.fee, "pnl": fill.pnl,
                          "bar_ms": fill.bar_ms, "status": row.status},
                    actor="system:monitor",
                )  # fmt: skip
            position = to_dto(row)
            return [FillEvent(fill_dto(f, row), position) for f in booked_rows]
