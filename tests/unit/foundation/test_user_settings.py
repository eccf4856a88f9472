"""Parsing and validation of the values a user types into /settings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.user_settings import (
    InvalidSetting,
    parse_leverage,
    parse_min_confidence,
    parse_notify_mode,
    parse_preset,
    parse_risk_per_trade,
    parse_setting,
    parse_timezone,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", Decimal("1")), ("0.5", Decimal("0.5")), ("1,5%", Decimal("1.5")), (" 5 ", Decimal("5"))],
)
def test_risk_accepts_percent_numbers(text: str, expected: Decimal) -> None:
    assert parse_risk_per_trade(text) == expected


@pytest.mark.parametrize("text", ["0", "0.05", "5.01", "50", "abc", "", "1.234", "nan", "inf"])
def test_risk_rejects_out_of_range_or_garbage(text: str) -> None:
    with pytest.raises(InvalidSetting) as info:
        parse_risk_per_trade(text)
    assert info.value.key == "risk_per_trade"
    assert info.value.limits == {"min": Decimal("0.1"), "max": Decimal("5")}


def test_leverage_and_confidence_are_whole_numbers_in_range() -> None:
    assert parse_leverage("x10") == 10 and parse_leverage("125") == 125
    assert parse_min_confidence("0") == 0 and parse_min_confidence("100") == 100
    for bad in ("0", "126", "2.5", "ten"):
        with pytest.raises(InvalidSetting):
            parse_leverage(bad)
    for bad in ("-1", "101", "55.5"):
        with pytest.raises(InvalidSetting):
            parse_min_confidence(bad)


def test_choices_and_time_zones() -> None:
    assert parse_notify_mode(" Strong ") == "strong"
    assert parse_preset("COMPOSITE") == "composite"
    assert parse_timezone("europe/moscow") == "Europe/Moscow"
    assert parse_timezone("utc") == "UTC"
    for parser, bad in (
        (parse_notify_mode, "loud"),
        (parse_preset, "magic"),
        (parse_timezone, "+03:00"),
    ):
        with pytest.raises(InvalidSetting):
            parser(bad)
    with pytest.raises(InvalidSetting):
        parse_setting("deposit", "100")  # not a /settings field
