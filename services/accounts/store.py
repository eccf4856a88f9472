"""Row-level helpers shared by the accounts and paper services.

`lock_account` is the first statement of every transaction that moves money. It is
an UPDATE, so on SQLite the transaction takes the write lock before it reads anything
(no two writers can both read a stale balance), and on PostgreSQL it locks the row.
Callers must not await network I/O while holding it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.db.models.trading import Position, TradingAccount


async def lock_account(
    session: AsyncSession, user_id: int, mode: str, now_ms: int
) -> TradingAccount:
    """Write-lock (creating if needed) the user's account of `mode`; return it fresh."""
    bump = (
        update(TradingAccount)
        .where(TradingAccount.user_id == user_id, TradingAccount.trade_mode == mode)
        .values(version=TradingAccount.version + 1, updated_ms=now_ms)
    )
    result = await session.execute(bump)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        dialect = session.get_bind().dialect.name
        values = {
            "user_id": user_id,
            "trade_mode": mode,
            "currency": "USDT",
            "deposit": Decimal(0),
            "realized_pnl": Decimal(0),
            "fees": Decimal(0),
            "version": 1,
            "updated_ms": now_ms,
        }
        insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await session.execute(insert_fn(TradingAccount).values(**values).on_conflict_do_nothing())
        await session.execute(bump)
    row = await session.get(TradingAccount, (user_id, mode), populate_existing=True)
    assert row is not None
    return row


async def used_margin(session: AsyncSession, user_id: int, mode: str) -> tuple[Decimal, int]:
    """Margin locked by the remaining quantity of open positions, and their count.

    Margin is released pro rata as a position is partially closed.
    """
    rows = await session.execute(
        select(Position.margin, Position.qty, Position.remaining_qty).where(
            Position.user_id == user_id, Position.trade_mode == mode, Position.status == "open"
        )
    )
    total = Decimal(0)
    count = 0
    for margin, qty, remaining in rows:
        total += margin * remaining / qty
        count += 1
    return total, count
