"""Read side of paper trading: the portfolio, and what the risk rules and /stats read.

Everything is per trade mode (`paper`, `backfill`, `live`) and never pooled. Money is
summed in Python (exact Decimal), not with SQL SUM.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select, update

from core.accounting import pnl, to_decimal
from services.accounts.service import AccountService
from services.db.engine import Database
from services.db.models.trading import Fill, Position
from services.market.base import MarketData, MarketDataError
from services.paper.book import fill_dto, to_dto
from services.paper.dto import FillDTO, Portfolio, PositionDTO, PositionView


def utc_day(ms: int) -> date:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).date()


class PaperQueries:
    def __init__(self, db: Database, market: MarketData | None, accounts: AccountService) -> None:
        self._db = db
        self._market = market
        self._accounts = accounts

    async def open_positions(
        self, user_id: int | None = None, mode: str | None = "paper"
    ) -> list[PositionDTO]:
        """Open positions of one user (or everyone with user_id None) in `mode`."""
        query = select(Position).where(Position.status == "open")
        if user_id is not None:
            query = query.where(Position.user_id == user_id)
        if mode is not None:
            query = query.where(Position.trade_mode == mode)
        async with self._db.session() as session:
            return [to_dto(r) for r in await session.scalars(query.order_by(Position.id))]

    async def closed_positions(
        self,
        user_id: int,
        mode: str = "paper",
        *,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> list[PositionDTO]:
        """Closed positions ordered by close time (for streaks, /stats, digests)."""
        query = select(Position).where(
            Position.user_id == user_id,
            Position.trade_mode == mode,
            Position.status == "closed",
        )
        if since_ms is not None:
            query = query.where(Position.closed_ms >= since_ms)
        if until_ms is not None:
            query = query.where(Position.closed_ms < until_ms)
        async with self._db.session() as session:
            rows = await session.scalars(query.order_by(Position.closed_ms, Position.id))
            return [to_dto(r) for r in rows]

    async def position(self, user_id: int, position_id: int) -> PositionDTO | None:
        async with self._db.session() as session:
            row = await session.get(Position, position_id)
            return None if row is None or row.user_id != user_id else to_dto(row)

    async def fills(
        self,
        user_id: int,
        mode: str = "paper",
        *,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> list[FillDTO]:
        """Every fill (entries included) in time order, for /export and day totals."""
        query = (
            select(Fill, Position)
            .join(Position, Position.id == Fill.position_id)
            .where(Fill.user_id == user_id, Fill.trade_mode == mode)
        )
        if since_ms is not None:
            query = query.where(Fill.time_ms >= since_ms)
        if until_ms is not None:
            query = query.where(Fill.time_ms < until_ms)
        async with self._db.session() as session:
            rows = (await session.execute(query.order_by(Fill.time_ms, Fill.id))).all()
            return [fill_dto(f, p) for f, p in rows]

    async def realized_by_day(
        self, user_id: int, mode: str = "paper", *, since_ms: int | None = None
    ) -> dict[date, Decimal]:
        """Net realized PnL (gross PnL minus fees of every fill) per UTC day.

        Entry fees count on the day of the entry: that is when the money left.
        """
        totals: dict[date, Decimal] = defaultdict(Decimal)
        for f in await self.fills(user_id, mode, since_ms=since_ms):
            totals[utc_day(f.time_ms)] += f.pnl - f.fee
        return dict(sorted(totals.items()))

    async def portfolio(self, user_id: int, mode: str = "paper") -> Portfolio:
        account = await self._accounts.get(user_id, mode)
        positions = await self.open_positions(user_id, mode)
        marks = await self._marks({p.symbol for p in positions})
        views = []
        for p in positions:
            mark, stale, simulated = marks.get(p.symbol, (None, True, False))
            upnl = None if mark is None else unrealized(p, mark)
            views.append(PositionView(p, mark, upnl, stale, simulated))
        return Portfolio(account, views)

    async def _marks(self, symbols: set[str]) -> dict[str, tuple[Decimal | None, bool, bool]]:
        """Last price per symbol; (None, True, False) where the market cannot say."""
        if self._market is None or not symbols:
            return {}
        market = self._market

        async def one(symbol: str) -> tuple[str, tuple[Decimal | None, bool, bool]]:
            try:
                t = await market.ticker(symbol)
            except MarketDataError:
                return symbol, (None, True, False)
            return symbol, (to_decimal(t.last), t.stale, t.simulated)

        return dict(await asyncio.gather(*(one(s) for s in sorted(symbols))))


def unrealized(position: PositionDTO, mark: Decimal) -> Decimal:
    """Mark-to-market PnL of the remaining quantity (fees not included)."""
    return pnl(position.side, position.entry_price, mark, position.remaining_qty)  # type: ignore[arg-type]


async def unnotified_fills(
    db: Database, modes: tuple[str, ...] = ("paper",), limit: int = 500
) -> list[tuple[FillDTO, PositionDTO]]:
    """Exit fills the user has not been told about yet, oldest first."""
    query = (
        select(Fill, Position)
        .join(Position, Position.id == Fill.position_id)
        .where(Fill.notified.is_(False), Fill.trade_mode.in_(modes))
        .order_by(Fill.id)
        .limit(limit)
    )
    async with db.session() as session:
        rows = (await session.execute(query)).all()
        return [(fill_dto(f, p), to_dto(p)) for f, p in rows]


async def mark_notified(db: Database, fill_ids: list[int]) -> None:
    if not fill_ids:
        return
    async with db.session() as session:
        await session.execute(update(Fill).where(Fill.id.in_(fill_ids)).values(notified=True))
