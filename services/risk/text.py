"""Language-neutral number text for stored flag reasons and refusal variables.

Flag reasons are stored as a Fluent key plus variables and rendered in each reader's
language later; the variables are kept as plain strings ("52.30", "15") so the stored
JSON stays readable and exact.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def num(value: object, places: Decimal = CENT) -> str:
    """Decimal/int/float -> "1234.50" (2 places); percentages with trailing zeros cut."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return format(Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP), "f")


def pct(value: object) -> str:
    text = num(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def utc_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def params_text(params: dict[str, object]) -> dict[str, str]:
    """Every variable as text: `*_ms` as UTC times, `pct`/`dd`/`rho` as short numbers."""
    out: dict[str, str] = {}
    for name, value in params.items():
        if name.endswith("_ms") and isinstance(value, int):
            out[name.removesuffix("_ms")] = utc_time(value)
        elif name in ("pct", "dd", "rho"):
            out[name] = pct(value)
        else:
            out[name] = num(value)
    return out


def money_text(amount: Decimal, currency: str = "USDT", *, signed: bool = False) -> str:
    """`1234.5` -> "1,234.50 USDT" (pushed messages are rendered outside handlers)."""
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{value:,.2f} {currency}".strip()
    return f"+{text}" if signed and value > 0 else text
