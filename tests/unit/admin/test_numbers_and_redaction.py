"""The shared strict number parser and the secret redaction rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.numbers import StrictNumberError, strict_decimal, strict_int, strict_signed
from core.redaction import redact
from core.user_settings import InvalidSetting, parse_leverage, parse_risk_per_trade
from services.accounts.numbers import NumberError, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", Decimal(1)), (" 0.5 ", Decimal("0.5")), ("12345.12345678", Decimal("12345.12345678"))],
)
def test_plain_decimals_parse(text: str, expected: Decimal) -> None:
    assert strict_decimal(text) == ("", expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("nan", "format"), ("inf", "format"), ("-inf", "format"), ("1e5", "format"),
     ("1E-3", "format"), ("0x10", "format"), ("１２", "format"), ("٣", "format"),
     ("1_000", "format"), ("", "format"), (".5", "format"), ("5.", "format"),
     ("-1", "format"), ("1.123456789", "decimals"), ("1" * 16, "format")],
)  # fmt: skip
def test_everything_else_is_refused(text: str, reason: str) -> None:
    with pytest.raises(StrictNumberError) as err:
        strict_decimal(text)
    assert err.value.reason == reason


def test_options_sign_comma_and_ceiling() -> None:
    assert strict_decimal("-1,5", allow_sign=True, allow_comma=True) == ("-", Decimal("1.5"))
    assert strict_signed("-2") == Decimal(-2)
    with pytest.raises(StrictNumberError) as err:
        strict_decimal("1,5")  # comma only where allowed (it separates TP lists)
    assert err.value.reason == "format"
    with pytest.raises(StrictNumberError) as err:
        strict_decimal("101", max_value=Decimal(100))
    assert err.value.reason == "too_large" and err.value.params == {"max": Decimal(100)}


def test_strict_int() -> None:
    assert strict_int("42", low=1, high=100) == 42
    for bad in ("0", "101", "4.2", "²", "٣", "-1", "", " ", "1" * 20):
        assert strict_int(bad, low=1, high=100) is None, bad


def test_features_share_the_parser() -> None:
    for text in ("1e1", "nan", "１"):
        with pytest.raises(NumberError):
            parse_decimal(text)
        with pytest.raises(InvalidSetting):
            parse_risk_per_trade(text)
        with pytest.raises(InvalidSetting):
            parse_leverage(text)
    assert parse_risk_per_trade("1,5%") == Decimal("1.5")


TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"GET https://api.telegram.org/bot{TOKEN}/getMe", TOKEN),
        ("key sk-ant-api03-abcDEF_123-xyz", "sk-ant-api03-abcDEF_123-xyz"),
        ("openai sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX", "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz"),
        ("x-api-key: s3cr3t-value-here", "s3cr3t-value-here"),
    ],
)
def test_secret_shapes_are_masked(text: str, hidden: str) -> None:
    out = redact(text)
    assert hidden not in out and "***" in out


def test_configured_secrets_are_masked_and_ordinary_text_is_not() -> None:
    assert redact("password hunter22 here", ["hunter22"]) == "password *** here"
    assert redact("short abc", ["abc"]) == "short abc"  # too short to be a secret
    plain = "BTC/USDT 1h at 12:30, id 123456:42, order sk-1"
    assert redact(plain) == plain
