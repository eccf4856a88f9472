"""Strict parsing of the numbers users type for money and prices.

`Decimal("nan")`, `Decimal("1e9")` and `float("inf")` are all valid Python, and none of
them is something a trader means. Only plain decimal notation is accepted: digits, an
optional dot with at most 8 decimals, and an optional leading sign where the caller
allows one. A comma as decimal separator is accepted for Russian keyboards when the
caller says so (it is also the TP list separator, so /trade does not allow it).
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_DECIMALS = 8
MAX_AMOUNT = Decimal("1000000000")  # 1e9 quote units: above any honest deposit or margin
MAX_PRICE = Decimal("100000000")  # 1e8: above any listed crypto price

_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<int>\d{1,15})(?:\.(?P<frac>\d+))?$")


class NumberError(ValueError):
    """A typed number was refused; `key` is the Fluent message id, `params` its variables."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def parse_decimal(
    text: str,
    *,
    allow_sign: bool = False,
    allow_comma: bool = False,
    max_value: Decimal = MAX_AMOUNT,
) -> tuple[str, Decimal]:
    """Parse `text` into (sign, absolute value).

    Raises NumberError with key `trade-err-number` (junk), `trade-err-decimals`
    (more than 8 decimals) or `trade-err-too-large` (above `max_value`).
    """
    raw = text.strip()
    if allow_comma and raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    m = _NUMBER.match(raw)
    if not m or (m.group("sign") and not allow_sign):
        raise NumberError("trade-err-number", value=text.strip()[:32])
    frac = m.group("frac")
    if frac is not None and len(frac) > MAX_DECIMALS:
        raise NumberError("trade-err-decimals", value=raw[:32], max=MAX_DECIMALS)
    value = Decimal(f"{m.group('int')}.{frac}" if frac else m.group("int"))
    if value > max_value:
        raise NumberError("trade-err-too-large", value=raw[:32], max=max_value)
    return m.group("sign"), value


def parse_price(text: str) -> Decimal:
    """A strictly positive price."""
    _, value = parse_decimal(text, max_value=MAX_PRICE)
    if value <= 0:
        raise NumberError("trade-err-positive", value=text.strip()[:32])
    return value
