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
_GROUPED = re.compile(r"^[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9][0-9]{0,2},[0-9]{3}$")


class StrictNumberError(ValueError):
    """`reason`: "format" (not a plain number), "decimals" (too many), "too_large",
    "ambiguous" (a comma that may be a thousands or a decimal separator)."""

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
    raw = _without_commas(text.strip(), allow_comma=allow_comma)
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


def _without_commas(raw: str, *, allow_comma: bool) -> str:
    """`raw` with thousands commas removed or a decimal comma made a dot (see the
    module docstring); anything else is left for the pattern to refuse."""
    if "," not in raw:
        return raw
    if allow_comma and _AMBIGUOUS.match(raw):
        raise StrictNumberError("ambiguous", raw)
    if _GROUPED.match(raw):
        return raw.replace(",", "")
    if allow_comma and raw.count(",") == 1 and "." not in raw:
        return raw.replace(",", ".")
    return raw


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
