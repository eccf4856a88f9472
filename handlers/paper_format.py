"""How paper-trading numbers look in a chat: quantities as stored (already rounded to
the market's amount step when opened), prices to the market's tick, money without a
"-0.00". Shared by /trade, /close, the Paper trade confirm step and /portfolio."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from handlers.render import format_money, format_price, format_signed_money

CENT = Decimal("0.01")


def qty_text(qty: Decimal, symbol: str | None = None) -> str:
    """A quantity exactly as stored, grouped, without trailing zeros, in the base asset
    of `symbol` when given: "1,234.5 DOGE"."""
    text = plain_number(qty)
    return f"{text} {base_asset(symbol)}" if symbol else text


def plain_number(value: Decimal) -> str:
    """A limit or count as written: grouped, no trailing zeros ("100", "1,000,000")."""
    value = value.normalize()
    return f"{value:,f}" if value != 0 else "0"


def base_asset(symbol: str) -> str:
    """ "BTC/USDT" and "BTC/USDT:USDT" -> "BTC"."""
    return symbol.split("/")[0]


def tick_places(tick: Decimal | None) -> int | None:
    """Decimals of a price tick (0.01 -> 2, 1 -> 0); None when the market does not say."""
    if tick is None or not tick.is_finite() or tick <= 0:
        return None
    exponent = tick.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else None


def price_text(price: Decimal | float, tick: Decimal | None = None) -> str:
    """A price to the market's precision, else about five significant digits."""
    return format_price(price, tick_places(tick))


def targets_text(targets: tuple[Decimal, ...], tick: Decimal | None = None) -> str:
    return " / ".join(price_text(t, tick) for t in targets) or "—"


def _cents(amount: Decimal, places: int) -> Decimal:
    """Rounded as it will be shown; a value that rounds to zero is a plain zero."""
    rounded = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else Decimal(0)


def money_text(amount: Decimal, currency: str, *, places: int = 2) -> str:
    return format_money(_cents(amount, places), currency, places=places)


def signed_money_text(amount: Decimal, currency: str, *, places: int = 2) -> str:
    """ "+1.20 USDT" / "-4.00 USDT", and "0.00 USDT" rather than "-0.00" or "+0.00"."""
    value = _cents(amount, places)
    if value == 0:
        return format_money(value, currency, places=places)
    return format_signed_money(value, currency, places=places)
