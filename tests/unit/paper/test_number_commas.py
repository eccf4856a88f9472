"""Commas in typed numbers: thousands grouping is read as thousands, a decimal comma
only where the caller allows one, and "1,000" where both readings are possible is
refused instead of guessed (QA: `/deposit 1,000` used to set 1.00)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.numbers import StrictNumberError, strict_decimal
from services.accounts.grammar import parse_deposit
from services.accounts.numbers import NumberError


@pytest.mark.parametrize(
    ("text", "allow_comma", "expected"),
    [("1,000.50", True, "1000.50"), ("1,000.50", False, "1000.50"),
     ("12,345,678", True, "12345678"), ("1,000", False, "1000"), ("-1,000.5", True, "1000.5"),
     ("1,5", True, "1.5"), ("0,125", True, "0.125"), ("1,50", True, "1.50"),
     ("1,5000", True, "1.5000")],
)  # fmt: skip
def test_grouped_and_decimal_commas(text: str, allow_comma: bool, expected: str) -> None:
    _, value = strict_decimal(text, allow_sign=True, allow_comma=allow_comma)
    assert value == Decimal(expected)


@pytest.mark.parametrize("text", ["1,000", "2,125", "+1,000", "999,999"])
def test_a_comma_before_three_digits_is_ambiguous_where_decimal_commas_are_allowed(
    text: str,
) -> None:
    with pytest.raises(StrictNumberError) as err:
        strict_decimal(text, allow_sign=True, allow_comma=True)
    assert err.value.reason == "ambiguous"


@pytest.mark.parametrize("text", ["1,00,000", "1,5", ",5", "1,", "1,000,00", "01,000"])
def test_bad_grouping_is_not_a_number_without_decimal_commas(text: str) -> None:
    with pytest.raises(StrictNumberError) as err:
        strict_decimal(text)
    assert err.value.reason == "format"


def test_deposit_never_reads_a_thousands_comma_as_a_decimal_point() -> None:
    assert parse_deposit("1,000.50").amount == Decimal("1000.50")
    assert parse_deposit("+1,000.00").amount == Decimal("1000.00")
    assert parse_deposit("1,5").amount == Decimal("1.5")
    with pytest.raises(NumberError) as err:
        parse_deposit("1,000")
    assert err.value.key == "trade-err-ambiguous"
    assert err.value.params == {"value": "1,000", "whole": "1000", "decimal": "1.000"}
