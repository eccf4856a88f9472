"""Fill notices: what the monitor tells a user when a stop, target or liquidation fills.

Rendered here (not in handlers) because the scheduler job sends them; the wording is
in locales/*/trading.ftl.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from services.i18n import Translator
from services.paper.dto import FillDTO, PositionDTO


def _places(value: Decimal) -> int:
    """About five significant digits, two for large prices (as /portfolio shows them)."""
    v = abs(value)
    if v == 0 or v >= 1000:
        return 2
    if v >= 1:
        return 4 if v < 10 else 3
    return min(-v.adjusted() - 1 + 5, 12)


def number(value: Decimal, places: int | None = None) -> str:
    p = _places(value) if places is None else places
    return f"{value.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP):,.{p}f}"


def signed_money(value: Decimal, currency: str) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded  # never "-0.00"
    text = f"{number(rounded, 2)} {currency}"
    return text if rounded < 0 else f"+{text}"


def closes_position(fill: FillDTO, position: PositionDTO) -> bool:
    """True for the fill that ended the position. Fills are unique per kind and the
    position's exit reason is the last fill's kind ("breakeven" is a stop), so this
    picks one fill even when several targets share a candle (and so a time)."""
    if position.is_open or position.exit_reason is None:
        return False
    last_kind = "stop" if position.exit_reason == "breakeven" else position.exit_reason
    return fill.kind == last_kind


def fill_notice(
    i18n: Translator,
    fill: FillDTO,
    position: PositionDTO,
    *,
    balance: Decimal | None,
    currency: str = "USDT",
) -> str:
    """One notice per fill; the closing fill adds the position's net result."""
    common = {
        "id": position.id,
        "symbol": position.symbol,
        "side": i18n(f"side-{position.side}"),
        "qty": format(fill.qty.normalize(), "f"),
        "price": number(fill.price),
        "pnl": signed_money(fill.pnl - fill.fee, currency),
    }
    if fill.kind.startswith("tp"):
        lines = [i18n("fill-tp", n=fill.kind[2], **common)]
        if fill.kind == "tp1" and position.remaining_qty > 0 and position.is_open:
            lines.append(i18n("fill-tp-breakeven", price=number(position.entry_price)))
    elif fill.kind == "stop" and position.exit_reason == "breakeven":
        lines = [i18n("fill-breakeven", **common)]
    elif fill.kind in ("stop", "liquidation", "close"):
        lines = [i18n(f"fill-{fill.kind}", **common)]
    else:
        lines = []
    if lines and closes_position(fill, position):
        lines.append(
            i18n(
                "fill-position-closed",
                net=signed_money(position.net_pnl, currency),
                balance=f"{number(balance, 2)} {currency}" if balance is not None else "—",
            )
        )
    return "\n".join(lines)
