"""Position size suggestion: risk a fixed share of the deposit between entry and stop.

Exact `Decimal` arithmetic throughout, because the number is shown to a trader as an
amount of money. Every way the size can fail is an explicit outcome (no deposit, too
small for the market), never a silent zero.

Caps, all applied, the tightest wins (and is named in `capped_by`):
- risk: qty = deposit × risk_pct / |entry − stop|;
- position cap: the margin of one position (notional / leverage) is at most
  `max_position_pct` of the deposit;
- leverage: all open notional plus this one is at most deposit × leverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Literal

Number = Decimal | float | int

SizeStatus = Literal["ok", "no_deposit", "too_small"]
CapName = Literal["risk", "position_cap", "leverage"]

ZERO = Decimal(0)
# When a market does not state its amount step, quantities keep this many significant
# digits (rounded down), and never finer than FINEST_QTY_STEP: "0.00371234 BTC",
# "12,345.6 DOGE", never a 28-digit quotient.
QTY_SIGNIFICANT_DIGITS = 6
FINEST_QTY_STEP = Decimal("1e-8")


def _dec(value: Number, name: str) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise TypeError(f"{name} must be a number")
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        # str() keeps the shortest repr of a float price instead of its binary expansion.
        result = Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return result


def fallback_qty_step(qty: Decimal, digits: int = QTY_SIGNIFICANT_DIGITS) -> Decimal:
    """The step that keeps `digits` significant digits of `qty` (not finer than 1e-8),
    used when the market's amount precision is unknown."""
    if not qty.is_finite() or qty == 0:
        return FINEST_QTY_STEP
    return max(Decimal(1).scaleb(qty.adjusted() - digits + 1), FINEST_QTY_STEP)


def round_qty_down(qty: Decimal, step: Decimal | None) -> Decimal:
    """Round a quantity toward zero to the market step, or to `fallback_qty_step`."""
    if step is None or step <= 0:
        step = fallback_qty_step(qty)
    return (qty / step).to_integral_value(rounding=ROUND_DOWN) * step


@dataclass(frozen=True, slots=True)
class SizeSuggestion:
    """The suggested position and how it was limited.

    For `too_small`, `qty`/`notional` hold the size the rules allow so the user can be
    told how far below `min_notional` it is; nothing should be opened.
    """

    status: SizeStatus
    qty: Decimal
    notional: Decimal
    margin: Decimal
    risk_amount: Decimal
    capped_by: CapName | None
    min_notional: Decimal | None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def suggest_size(
    deposit: Number | None,
    risk_pct: Number,
    entry: Number,
    stop: Number,
    leverage: Number = 1,
    max_position_pct: Number = Decimal("0.15"),
    min_notional: Number | None = None,
    *,
    open_notional: Number = ZERO,
    qty_step: Number | None = None,
) -> SizeSuggestion:
    """Suggest a size; `risk_pct` and `max_position_pct` are fractions (0.01 = 1 %).

    `open_notional` is the notional already held in other positions (for the leverage
    cap); `qty_step` rounds the quantity down to the market's amount step (unknown:
    `QTY_SIGNIFICANT_DIGITS` significant digits), so the size shown is the size opened.
    Raises ValueError for arguments no caller should pass (non-positive prices, stop
    equal to entry, leverage below 1, fractions outside (0, 1]).
    """
    entry_d = _dec(entry, "entry")
    stop_d = _dec(stop, "stop")
    risk = _dec(risk_pct, "risk_pct")
    lev = _dec(leverage, "leverage")
    cap_pct = _dec(max_position_pct, "max_position_pct")
    held = _dec(open_notional, "open_notional")
    min_n = None if min_notional is None else _dec(min_notional, "min_notional")
    if entry_d <= 0 or stop_d <= 0:
        raise ValueError("entry and stop must be positive prices")
    distance = abs(entry_d - stop_d)
    if distance == 0:
        raise ValueError("stop must differ from entry")
    if not (ZERO < risk <= 1) or not (ZERO < cap_pct <= 1):
        raise ValueError("risk_pct and max_position_pct must be fractions in (0, 1]")
    if lev < 1 or held < 0 or (min_n is not None and min_n < 0):
        raise ValueError("leverage >= 1, open_notional >= 0 and min_notional >= 0 required")

    dep = None if deposit is None else _dec(deposit, "deposit")
    if dep is None or dep <= 0:
        return SizeSuggestion("no_deposit", ZERO, ZERO, ZERO, ZERO, None, min_n)

    # Round every step toward zero, so rounding can never lift a size over a cap.
    with localcontext() as ctx:
        ctx.rounding = ROUND_DOWN
        # Caps are compared as notionals: the position and leverage caps are exact there,
        # so a size that lands exactly on a cap or on the minimum notional stays exact.
        limits: list[tuple[Decimal, CapName]] = [
            (dep * risk * entry_d / distance, "risk"),
            (dep * cap_pct * lev, "position_cap"),
            (max(ZERO, dep * lev - held), "leverage"),
        ]
        notional, capped_by = min(limits, key=lambda item: item[0])
        qty = notional / entry_d
        step = None if qty_step is None else _dec(qty_step, "qty_step")
        if step is not None and step <= 0:
            raise ValueError("qty_step must be positive")
        rounded = round_qty_down(qty, step)
        if rounded != qty:
            qty, notional = rounded, rounded * entry_d
        margin = notional / lev
        risk_amount = qty * distance
    suggestion_args = (qty, notional, margin, risk_amount, capped_by, min_n)
    if qty <= 0 or (min_n is not None and notional < min_n):
        return SizeSuggestion("too_small", *suggestion_args)
    return SizeSuggestion("ok", *suggestion_args)
