"""Bridge between position rows and the shared fill rules (core/fills.py).

The monitor rebuilds a `core.fills.PositionState` from a row, lets `step_position`
apply candles one by one (the same code the backtest kernel compiles), and books each
resulting fill: price and amounts are rounded to the storage precision once, here,
and then added to the position and account totals, so the stored rows always sum
exactly to the stored totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import fills
from core.accounting import direction, money
from core.sizing import fallback_qty_step, round_qty_down
from services.db.models.trading import Fill, Position, TradingAccount
from services.paper.dto import FillDTO, PositionDTO

ZERO = Decimal(0)


def to_dto(row: Position) -> PositionDTO:
    return PositionDTO(
        id=row.id,
        user_id=row.user_id,
        trade_mode=row.trade_mode,
        source=row.source,
        signal_id=row.signal_id,
        symbol=row.symbol,
        side=row.side,
        kind=row.kind,
        leverage=row.leverage,
        timeframe=row.timeframe,
        entry_price=row.entry_price,
        qty=row.qty,
        remaining_qty=row.remaining_qty,
        margin=row.margin,
        stop=row.stop,
        initial_stop=row.initial_stop,
        targets=tuple(t for t in (row.tp1, row.tp2, row.tp3) if t is not None),
        tps_hit=row.tps_hit,
        liquidation_price=row.liquidation_price,
        risk_amount=row.risk_amount,
        status=row.status,
        exit_reason=row.exit_reason,
        manual_exit=row.manual_exit,
        simulated=row.simulated,
        realized_pnl=row.realized_pnl,
        fees=row.fees,
        opened_ms=row.opened_ms,
        closed_ms=row.closed_ms,
    )


def fill_dto(row: Fill, position: Position) -> FillDTO:
    return FillDTO(
        id=row.id,
        position_id=row.position_id,
        user_id=row.user_id,
        trade_mode=row.trade_mode,
        symbol=position.symbol,
        side=position.side,
        kind=row.kind,
        qty=row.qty,
        price=row.price,
        fee=row.fee,
        pnl=row.pnl,
        manual=row.manual,
        time_ms=row.time_ms,
        bar_ms=row.bar_ms,
    )


def state_of(row: Position) -> fills.PositionState:
    """The fill-rule view of a stored position (levels 0 = not set)."""
    return fills.PositionState(
        side=direction(row.side),  # type: ignore[arg-type]
        entry_price=row.entry_price,
        qty=row.qty,
        remaining=row.remaining_qty,
        stop=row.stop or ZERO,
        tp1=row.tp1 or ZERO,
        tp2=row.tp2 or ZERO,
        tp3=row.tp3 or ZERO,
        liq_price=row.liquidation_price or ZERO,
        fee_rate=row.fee_rate,
        slippage_bps=row.slippage_bps,
        atr_fraction=row.atr_fraction,
        trail=row.trail,
        next_tp=row.tps_hit + 1,
    )


@dataclass(frozen=True, slots=True)
class Booked:
    kind: str
    qty: Decimal
    price: Decimal
    fee: Decimal
    pnl: Decimal


def closes_all(row: Position, kind: str) -> bool:
    """A stop, liquidation or market close, and the last target that is set, close the
    whole remainder (core.fills.tp_close_qty)."""
    if not kind.startswith("tp"):
        return True
    k = int(kind[2])
    return k >= 3 or (row.tp2 if k == 1 else row.tp3) is None


def exit_qty(row: Position, kind: str, qty: Decimal, step: Decimal | None) -> Decimal:
    """The quantity an exit really closes: the stored remainder when the exit closes
    everything (so rounding never leaves dust open), else the rule's partial share
    rounded down to the market's lot step (or, when the market does not say, to the
    six significant digits the entry was sized with); a share below one step closes
    the remainder at once (the position is too small to split)."""
    if closes_all(row, kind):
        return row.remaining_qty
    part = round_qty_down(qty, step if step is not None else fallback_qty_step(row.qty))
    return row.remaining_qty if part <= 0 else min(part, row.remaining_qty)


def book_exit(row: Position, kind: str, qty: Decimal, raw_price: Decimal) -> Booked:
    """Round an exit to storage precision and compute its fee and PnL with core.fills."""
    price = money(raw_price)
    qty = min(money(qty), row.remaining_qty)
    side = direction(row.side)  # type: ignore[arg-type]
    return Booked(
        kind=kind,
        qty=qty,
        price=price,
        fee=money(fills.fee(price, qty, row.fee_rate)),
        pnl=money(fills.gross_pnl(side, row.entry_price, price, qty)),
    )


def apply_exit(
    row: Position,
    account: TradingAccount,
    booked: Booked,
    *,
    time_ms: int,
    bar_ms: int | None,
    manual: bool = False,
    notified: bool = False,
) -> Fill:
    """Write one exit: the fill row, the position's remaining quantity and totals, and
    the account totals. Closes the position when nothing remains."""
    row.remaining_qty = row.remaining_qty - booked.qty
    row.realized_pnl = row.realized_pnl + booked.pnl
    row.fees = row.fees + booked.fee
    account.realized_pnl = account.realized_pnl + booked.pnl
    account.fees = account.fees + booked.fee
    if booked.kind.startswith("tp"):
        row.tps_hit = max(row.tps_hit, int(booked.kind[2]))
    if row.remaining_qty <= 0:
        row.remaining_qty = ZERO
        row.status = "closed"
        row.closed_ms = time_ms
        row.exit_reason = exit_reason(row, booked.kind)
        row.manual_exit = manual
    return Fill(
        position_id=row.id,
        user_id=row.user_id,
        trade_mode=row.trade_mode,
        kind=booked.kind,
        qty=booked.qty,
        price=booked.price,
        fee=booked.fee,
        pnl=booked.pnl,
        manual=manual,
        time_ms=time_ms,
        bar_ms=bar_ms,
        notified=notified,
    )


def exit_reason(row: Position, last_kind: str) -> str:
    """Why the position ended; a stop sitting at the entry (moved to breakeven after
    TP1 or by the user) is reported as "breakeven", not as a stop-loss."""
    if last_kind == "stop" and row.stop is not None and row.stop == row.entry_price:
        return "breakeven"
    return last_kind


def kind_of(fill: fills.Fill) -> str:
    """Map a core.fills exit reason to a fill-row kind."""
    if fill.reason in ("stop", "tp1", "tp2", "tp3", "liquidation"):
        return fill.reason
    return "close"
