"""Strict parsing of the numbers users type for money and prices.

`Decimal("nan")`, `Decimal("1e9")` and `float("inf")` are all valid Python, and none of
them is something a trader means. Only plain decimal notation is accepted: digits, an
optional dot with at most 8 decimals, and an optional leading sign where the caller
allows one. The parsing itself is core/numbers.py (shared with /settings); this
module maps its refusals to the trading messages. A comma as decimal separator is
accepted for Russian keyboards when the caller says so (it is also the TP list
separator, so /trade does not allow it); thousands commas ("1,000.50") are read
as thousands everywhere, and "1,000" where both readings are possible is refused.
"""

from __future__ import annotations

from decimal import Decimal

from core.numbers import StrictNumberError, strict_decimal

MAX_DECIMALS = 8
MAX_AMOUNT = Decimal("1000000000")  # 1e9 quote units: above any honest deposit or margin
MAX_PRICE = Decimal("100000000")  # 1e8: above any listed crypto price


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

    Raises NumberError with key `trade-err-number` (junk), `trade-err-ambiguous`
    ("1,000" where a decimal comma is allowed), `trade-err-decimals` (more than 8
    decimals) or `trade-err-too-large` (above `max_value`).
    """
    try:
        return strict_decimal(
            text,
            allow_sign=allow_sign,
            allow_comma=allow_comma,
            max_decimals=MAX_DECIMALS,
            max_value=max_value,
        )
    except StrictNumberError as exc:
        if exc.reason == "ambiguous":
            whole, decimal = exc.text.replace(",", ""), exc.text.replace(",", ".")
            raise NumberError(
                "trade-err-ambiguous", value=exc.text, whole=whole, decimal=decimal
            ) from None
        if exc.reason == "decimals":
            raise NumberError("trade-err-decimals", value=exc.text, max=MAX_DECIMALS) from None
        if exc.reason == "too_large":
            limit = exc.params["max"]
            raise NumberError("trade-err-too-large", value=exc.text, max=limit) from None
        raise NumberError("trade-err-number", value=exc.text) from None


def parse_price(text: str) -> Decimal:
    """A strictly positive price."""
    _, value = parse_decimal(text, max_value=MAX_PRICE)
    if value <= 0:
        raise NumberError("trade-err-positive", value=text.strip()[:32])
    return value
