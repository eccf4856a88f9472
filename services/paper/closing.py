"""Closing paper positions by hand and moving stops.

A market close fills the whole remainder at the current price with adverse
slippage (core.fills.exit_price); a close with a typed price records exactly that
price and marks the position as a manual exit, so statistics can tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from core import fills
from core.accounting import direction, money
from services.accounts.dto import Price
from services.accounts.store import lock_account
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.trading import Fill, Position
from services.paper.book import apply_exit, book_exit, fill_dto, to_dto
from services.paper.dto import CloseResult, PositionDTO, TradeError


async def open_rows(
    db: Database,
    user_id: int,
    mode: str,
    *,
    position_id: int | None = None,
    symbol: str | None = None,
) -> list[PositionDTO]:
    """The user's open positions of `mode`, optionally one id or one symbol."""
    query = select(Position).where(
        Position.user_id == user_id, Position.trade_mode == mode, Position.status == "open"
    )
    if position_id is not None:
        query = query.where(Position.id == position_id)
    if symbol is not None:
        query = query.where(Position.symbol == symbol)
    async with db.session() as session:
        rows = await session.scalars(query.order_by(Position.id))
        return [to_dto(r) for r in rows]


async def close_at(
    db: Database,
    user_id: int,
    position_id: int,
    *,
    base_price: Decimal,
    manual: bool,
    time_ms: int,
) -> CloseResult:
    """Close the remainder of one position at `base_price`.

    `manual=False`: a market order, slippage applied against the trader.
    `manual=True`: the price the user typed, recorded as is.
    Returns the position unchanged (fill None) if it was already closed meanwhile.
    """
    async with db.session() as session:
        row = await session.get(Position, position_id)
        if row is None or row.user_id != user_id:
            raise TradeError("close-err-not-found", target=str(position_id))
        account = await lock_account(session, user_id, row.trade_mode, time_ms)
        await session.refresh(row)
        if row.status != "open":
            return CloseResult(to_dto(row), None)
        if manual:
            price = base_price
        else:
            price = fills.exit_price(
                base_price,
                direction(row.side),  # type: ignore[arg-type]
                row.slippage_bps,
                row.atr,
                row.atr_fraction,
            )
        booked = book_exit(row, "close", row.remaining_qty, price)
        fill: Fill = apply_exit(
            row, account, booked, time_ms=time_ms, bar_ms=None, manual=manual, notified=True
        )
        session.add(fill)
        await session.flush()
        await audit(
            session,
            "position.close",
            subject=f"position:{row.id}",
            what={"user": user_id, "fill": fill.kind, "qty": fill.qty, "price": fill.price,
                  "fee": fill.fee, "pnl": fill.pnl, "manual": manual, "status": row.status},
        )  # fmt: skip
        return CloseResult(to_dto(row), fill_dto(fill, row))


async def move_stop(
    db: Database, user_id: int, position_id: int, new_stop: Decimal, time_ms: int
) -> PositionDTO:
    async with db.session() as session:
        row = await session.get(Position, position_id)
        if row is None or row.user_id != user_id:
            raise TradeError("close-err-not-found", target=str(position_id))
        await lock_account(session, user_id, row.trade_mode, time_ms)
        await session.refresh(row)
        if row.status != "open":
            raise TradeError("trade-err-closed", id=position_id)
        old_stop, row.stop = row.stop, money(new_stop)
        await audit(
            session,
            "position.stop",
            subject=f"position:{row.id}",
            what={"user": user_id, "from": old_stop, "to": row.stop},
        )
        return to_dto(row)


def breakeven_refusal(
    position: PositionDTO, mark: Decimal, tick: Decimal | None = None
) -> TradeError | None:
    """Moving the stop to the entry only makes sense while the price is beyond it in
    profit and the stop is not already at or past the entry."""
    sign = direction(position.side)  # type: ignore[arg-type]
    entry = position.entry_price
    if position.stop is not None and sign * (position.stop - entry) >= 0:
        return TradeError("trade-err-breakeven-already", id=position.id)
    if sign * (mark - entry) <= 0:
        return TradeError("trade-err-breakeven-price", id=position.id, price=Price(mark, tick))
    return None


def symbols_of(positions: Sequence[PositionDTO]) -> list[str]:
    return sorted({p.symbol for p in positions})
