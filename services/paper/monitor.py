"""The position monitor: applies closed candles to open positions.

Each open position remembers the open time of the last candle applied to it
(`last_checked_ms`). A pass fetches, per symbol and timeframe, the closed candles
after that, and hands them bar by bar to `core.fills.step_position` - the same rule
code the backtest uses - so level fills, gap fills at the open, stop-wins-ties,
TP1/TP2/TP3 50/30/20 with breakeven after TP1 and liquidation all behave the same
in paper trading and backtests. The first candle applied is the first one that opens
at or after the entry (a candle that was already running at entry mixes prices from
before the position existed).

Timeframe: a position is followed on its `timeframe` column (the configured
`PAPER_MONITOR_TIMEFRAME`, 1m by default, or a signal's timeframe for backfill). When
the market data has no candles of that timeframe for the symbol (replay over hourly
files, an exchange that does not serve it), the monitor asks the hub for the next
coarser ones in `FALLBACK_TIMEFRAMES` and moves the position to the finest that
answers with fresh candles, recording it in `timeframe` (and re-aligning
`last_checked_ms` so no candle is skipped or applied twice). A transient failure (every
exchange down) never changes the timeframe.

Safety: every pass write-locks the account row, re-reads the position, skips candles
at or before `last_checked_ms`, and fills are UNIQUE per (position, kind), so two
overlapping passes can never book the same exit twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from sqlalchemy import select, update

from core import fills
from core.accounting import step_from_precision, to_decimal
from core.market.timeframes import timeframe_ms
from services.accounts.store import lock_account
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.trading import Fill, Position
from services.market.base import (
    DataUnavailable,
    MarketData,
    MarketDataError,
    UnsupportedTimeframe,
)
from services.paper.book import (
    apply_exit,
    book_exit,
    exit_qty,
    fill_dto,
    kind_of,
    state_of,
    to_dto,
)
from services.paper.dto import FillEvent

log = logging.getLogger(__name__)

Bar = tuple[int, Decimal, Decimal, Decimal, Decimal]  # open time ms, open, high, low, close
MAX_PAGES = 50  # candle pages fetched per symbol in one pass (catch-up after downtime)
# Tried in this order, from the position's own timeframe up, when it has no candles.
FALLBACK_TIMEFRAMES = ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "1d")


def first_bar_ms(opened_ms: int, last_checked_ms: int | None, timeframe: str) -> int:
    """Open time of the first candle the position has not seen yet."""
    step = timeframe_ms(timeframe)
    if last_checked_ms is not None:
        return last_checked_ms + step
    return -(-opened_ms // step) * step  # the first boundary at or after the entry


def realigned_checked_ms(last_checked_ms: int | None, old_tf: str, new_tf: str) -> int | None:
    """`last_checked_ms` on a new timeframe such that the first new candle starts at or
    after the first old candle not yet seen (nothing skipped, nothing applied twice)."""
    if last_checked_ms is None:
        return None
    old, new = timeframe_ms(old_tf), timeframe_ms(new_tf)
    next_open = -(-(last_checked_ms + old) // new) * new
    return next_open - new


def missing_timeframe(exc: MarketDataError) -> bool:
    """The source has no such candles (as opposed to failing right now)."""
    if isinstance(exc, UnsupportedTimeframe):
        return True
    if not isinstance(exc, DataUnavailable):
        return False
    if getattr(exc, "errors", None) is not None:  # chain.AllSourcesFailed
        return bool(getattr(exc, "rejected_only", False))
    return True


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
        # (symbol, timeframe the data lacks) -> the timeframe used instead
        self._fallback: dict[tuple[str, str], str] = {}

    async def finest_timeframe(self, symbol: str, after: str) -> str | None:
        """The finest timeframe coarser than `after` for which the market data has
        fresh closed candles of `symbol` (None when none has)."""
        if self._market is None:
            return None
        now = self._now_ms()
        floor = timeframe_ms(after)
        for tf in FALLBACK_TIMEFRAMES:
            step = timeframe_ms(tf)
            if step <= floor:
                continue
            try:
                result = await self._market.ohlcv(symbol, tf, limit=2, until=now)
            except MarketDataError as exc:
                if missing_timeframe(exc):
                    continue
                return None  # failing right now: decide on a later pass
            frame = result.frame
            if result.stale or frame.empty:
                continue
            newest = int(frame["timestamp"].iloc[-1])
            if newest + 3 * step >= now:  # the series reaches the present
                return tf
        return None

    async def _move_to_fallback(
        self, symbol: str, tf: str, position_ids: list[int]
    ) -> tuple[str, list[tuple[int, int]]] | None:
        """Re-time the positions onto the fallback timeframe and record it on them."""
        new_tf = self._fallback.get((symbol, tf)) or await self.finest_timeframe(symbol, tf)
        if new_tf is None:
            return None
        if (symbol, tf) not in self._fallback:
            log.info("monitor: %s has no %s candles; following it on %s", symbol, tf, new_tf)
        self._fallback[(symbol, tf)] = new_tf
        moved: list[tuple[int, int]] = []
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    select(Position.id, Position.opened_ms, Position.last_checked_ms).where(
                        Position.id.in_(position_ids),
                        Position.status == "open",
                        Position.timeframe == tf,
                    )
                )
            ).all()
            for pid, opened, checked in rows:
                new_checked = realigned_checked_ms(checked, tf, new_tf)
                await session.execute(
                    update(Position)
                    .where(Position.id == pid, Position.timeframe == tf)
                    .values(timeframe=new_tf, last_checked_ms=new_checked)
                )
                moved.append((pid, first_bar_ms(opened, new_checked, new_tf)))
        return (new_tf, moved) if moved else None

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
                if (symbol, tf) in self._fallback:
                    raise DataUnavailable(f"{symbol} {tf}", "known to be missing")
                bars = await self._closed_bars(symbol, tf, min(s for _, s in positions), now)
            except MarketDataError as exc:
                if not missing_timeframe(exc):
                    log.warning("monitor: no candles for %s %s: %s", symbol, tf, exc)
                    continue
                moved = await self._move_to_fallback(symbol, tf, [pid for pid, _ in positions])
                if moved is None:
                    log.warning("monitor: no candles for %s on %s or coarser", symbol, tf)
                    continue
                tf, positions = moved
                try:
                    bars = await self._closed_bars(symbol, tf, min(s for _, s in positions), now)
                except MarketDataError as exc2:
                    log.warning("monitor: no candles for %s %s: %s", symbol, tf, exc2)
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

    async def qty_step(self, symbol: str) -> Decimal | None:
        """The market's lot step for partial take-profits (None when unknown)."""
        if self._market is None:
            return None
        try:
            info = (await self._market.markets()).get(symbol)
        except MarketDataError:
            return None
        return None if info is None else step_from_precision(info.amount_precision)

    async def apply_bars(
        self, position_id: int, bars: Iterable[Bar], *, notified: bool = False
    ) -> list[FillEvent]:
        """Step one position through `bars` (sorted by time) and book what fills.

        `notified=True` books the fills as already told (backfill runs, where nobody
        is waiting for a message).
        """
        async with self._db.session() as session:  # the lot step is read before any lock
            symbol = await session.scalar(select(Position.symbol).where(Position.id == position_id))
        step = None if symbol is None else await self.qty_step(symbol)
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
                    if row.status != "open":  # a partial closed it all (below one step)
                        break
                    kind = kind_of(produced)
                    qty = exit_qty(row, kind, produced.qty, step)
                    booked = book_exit(row, kind, qty, produced.price)
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
