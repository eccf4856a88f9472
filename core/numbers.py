"""The one strict parser for numbers people type (money, prices, percentages, settings).

`Decimal("nan")`, `Decimal("1e9")`, `float("inf")` and `"１２"` (full-width digits)
are all valid Python, and none of them is something a trader means. Only plain
ASCII decimal notation is accepted: at most 15 integer digits, an optional dot with
at most `max_decimals` decimals, an optional leading sign where the caller allows
one, and a comma as the decimal separator where the caller allows it (Russian
keyboards). Errors carry a reason code; each feature maps it to its own message.
"""

from __future__ import annotations

import re
from decimal import Decimal

_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,15})(?:\.(?P<frac>[0-9]+))?$")


class StrictNumberError(ValueError):
    """`reason`: "format" (not a plain number), "decimals" (too many), "too_large"."""

    def __init__(self, reason: str, text: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text.strip()[:32]
        self.params = params


def strict_decimal(
    text: str,
    *,
    allow_sign: bool = False,
    allow_comma: bool = False,
    max_decimals: int = 8,
    max_value: Decimal | None = None,
) -> tuple[str, Decimal]:
    """(sign, absolute value) of `text`, or StrictNumberError."""
    raw = text.strip()
    if allow_comma and raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    match = _NUMBER.match(raw)
    if not match or (match.group("sign") and not allow_sign):
        raise StrictNumberError("format", text)
    frac = match.group("frac")
    if frac is not None and len(frac) > max_decimals:
        raise StrictNumberError("decimals", raw, max=max_decimals)
    value = Decimal(f"{match.group('int')}.{frac}" if frac else match.group("int"))
    if max_value is not None and value > max_value:
        raise StrictNumberError("too_large", raw, max=max_value)
    return match.group("sign"), value


def strict_signed(text: str, **kwargs: object) -> Decimal:
    """The signed value (for callers that check the range themselves)."""
    sign, value = strict_decimal(text, allow_sign=True, **kwargs)  # type: ignore[arg-type]
    return -value if sign == "-" else value


def strict_int(text: str, *, low: int, high: int, max_digits: int = 15) -> int | None:
    """A whole number in [low, high] written with ASCII digits only, else None.

    (`str.isdigit` is not enough: "²" and "٣" pass it and then break `int()`.)
    """
    raw = text.strip()
    if not raw or len(raw) > max_digits or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if low <= value <= high else None
