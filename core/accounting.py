"""Exact money arithmetic for deposits and paper positions.

Everything here is `Decimal` in, `Decimal` out, so a balance can be reproduced to the
last unit from the ledger rows. Prices arriving as floats from market data are turned
into `Decimal` through `to_decimal` (via `str`, never the binary expansion).

Conventions:
- `side` is ``"long"`` or ``"short"``; `direction(side)` is +1 / -1.
- A long with leverage 1 is spot; above 1, and every short (selling what one does not
  own needs a derivative), a perpetual future with isolated margin.
- The fill rules themselves (fees, PnL, liquidation, slippage) live in `core.fills`,
  shared with the backtest; this module adds rounding, sizing and balance identities.
- Realized PnL of an exit is gross (price move times quantity); fees are booked
  separately, so balance = deposit + sum(pnl) - sum(fees).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Literal

from core import fills
from core.sizing import round_qty_down

Side = Literal["long", "short"]
Kind = Literal["spot", "perp"]

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
MONEY_QUANTUM = Decimal("1e-10")  # matches Numeric(28, 10)

DEFAULT_SPOT_TAKER_FEE = Decimal("0.001")
DEFAULT_FUTURES_TAKER_FEE = Decimal("0.0004")


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert a market-data number without importing float noise."""
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def money(value: Decimal) -> Decimal:
    """Round to the storage precision of money columns (10 decimals)."""
    return value.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_EVEN)


def direction(side: Side) -> int:
    if side == "long":
        return 1
    if side == "short":
        return -1
    raise ValueError(f"bad side {side!r}")


def position_kind(leverage: int, side: Side = "long") -> Kind:
    """Spot only for a 1x long: a 1x short is a 1x perpetual (futures fees, and a
    liquidation price about twice the entry)."""
    return "spot" if leverage == 1 and side == "long" else "perp"


def step_from_precision(precision: int | float | Decimal | None) -> Decimal | None:
    """Quantity (or price) step from a market's precision; None when unknown.

    `MarketInfo` precisions are steps (ccxt's TICK_SIZE mode, Binance's): 0.001 is a
    step of 0.001 and 1.0 a whole-unit lot (DOGE, XRP, TRX), never "one decimal".
    """
    if precision is None:
        return None
    p = to_decimal(precision)
    return p if p > 0 else None


def round_qty(qty: Decimal, step: Decimal | None) -> Decimal:
    """Round a quantity down to the market step (never up: never spend more margin);
    without a known step, to six significant digits (`core.sizing.fallback_qty_step`)."""
    return round_qty_down(qty, step)


def quantity_for_margin(
    margin: Decimal, leverage: int, price: Decimal, step: Decimal | None = None
) -> Decimal:
    """Quantity bought with `margin` at `leverage`, rounded down to the market step."""
    if price <= 0:
        raise ValueError("price must be positive")
    return round_qty(margin * leverage / price, step)


def fee(price: Decimal, qty: Decimal, rate: Decimal) -> Decimal:
    """Taker fee of one fill (core.fills rule), rounded to storage precision."""
    return money(fills.fee(price, qty, rate))


def pnl(side: Side, entry: Decimal, exit_price: Decimal, qty: Decimal) -> Decimal:
    """Gross PnL of closing `qty` (core.fills rule; fees not included), rounded."""
    return money(fills.gross_pnl(direction(side), entry, exit_price, qty))


def liquidation_price(
    entry: Decimal, side: Side, leverage: int, mmr: Decimal = fills.DEFAULT_MMR
) -> Decimal | None:
    """Isolated-margin liquidation price (core.fills rule); None when it cannot happen."""
    level = fills.liquidation_price(entry, direction(side), leverage, mmr)
    return money(level) if level > 0 else None


def round_price(price: Decimal, tick: Decimal | None) -> Decimal:
    """Round a derived level (ATR default stop/TP) to the market tick, half-even."""
    if tick is None or tick <= 0:
        return money(price)
    return (price / tick).to_integral_value(rounding=ROUND_HALF_EVEN) * tick


def stop_on_correct_side(side: Side, entry: Decimal, stop: Decimal) -> bool:
    return stop < entry if side == "long" else stop > entry


def target_on_correct_side(side: Side, entry: Decimal, target: Decimal) -> bool:
    return target > entry if side == "long" else target < entry


def risk_at_stop(
    side: Side, entry: Decimal, stop: Decimal | None, qty: Decimal, fee_rate: Decimal
) -> Decimal | None:
    """Money lost if the stop fills: price loss plus the exit fee at the stop.

    The entry fee is already paid and reported separately. None without a stop.
    """
    if stop is None:
        return None
    loss = -pnl(side, entry, stop, qty)
    return money(max(loss, ZERO) + fee(stop, qty, fee_rate))


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return part / whole * HUNDRED


def balance(deposit: Decimal, realized_pnl: Decimal, fees: Decimal) -> Decimal:
    """Balance = deposit + realized PnL - fees (unrealized is shown separately)."""
    return deposit + realized_pnl - fees
