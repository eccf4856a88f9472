"""The /trade, /close and /deposit grammars: what they accept and what they refuse."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.accounts.grammar import DepositCommand, parse_deposit
from services.accounts.numbers import NumberError, parse_decimal
from services.paper.grammar import CloseRequest, parse_close, parse_trade

D = Decimal


def test_full_trade_line() -> None:
    req = parse_trade("BTC/USDT long 100 x3 sl 60000 tp 66000,68000")
    assert req.symbol == "BTC/USDT"
    assert req.side == "long"
    assert req.amount == D(100) and req.amount_pct is None
    assert req.leverage == 3
    assert req.stop == D(60000)
    assert req.targets == (D(66000), D(68000))


def test_percent_amount_spaced_leverage_and_keyword_order() -> None:
    req = parse_trade("eth short 1.5% tp 2900, 2800 ,2700 x 10 sl 3100.5")
    assert req.side == "short"
    assert req.amount is None and req.amount_pct == D("1.5")
    assert req.leverage == 10
    assert req.stop == D("3100.5")
    assert req.targets == (D(2900), D(2800), D(2700))


def test_defaults() -> None:
    req = parse_trade("BTCUSDT buy 50")
    assert (req.side, req.leverage, req.stop, req.targets) == ("long", 1, None, ())


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("", "trade-usage"),
        ("BTC/USDT long", "trade-usage"),
        ("BTC/USDT up 100", "trade-err-side"),
        ("BTC/USDT long -100", "trade-err-positive"),
        ("BTC/USDT long 0", "trade-err-positive"),
        ("BTC/USDT long 0%", "trade-err-positive"),
        ("BTC/USDT long 101%", "trade-err-too-large"),
        ("BTC/USDT long nan", "trade-err-number"),
        ("BTC/USDT long inf", "trade-err-number"),
        ("BTC/USDT long 1e3", "trade-err-number"),
        ("BTC/USDT long 0x10", "trade-err-number"),
        ("BTC/USDT long 1_000", "trade-err-number"),
        ("BTC/USDT long 100.123456789", "trade-err-decimals"),
        ("BTC/USDT long 10000000000", "trade-err-too-large"),
        ("BTC/USDT long 100 x0", "trade-err-leverage"),
        ("BTC/USDT long 100 x1000", "trade-err-leverage"),
        ("BTC/USDT long 100 x126", "trade-err-leverage"),
        ("BTC/USDT long 100 x2.5", "trade-err-leverage"),
        ("BTC/USDT long 100 x", "trade-err-leverage"),
        ("BTC/USDT long 100 sl -5", "trade-err-number"),
        ("BTC/USDT long 100 sl 0", "trade-err-positive"),
        ("BTC/USDT long 100 sl", "trade-err-unexpected"),
        ("BTC/USDT long 100 tp 1,2,3,4", "trade-err-too-many-targets"),
        ("BTC/USDT long 100 tp 1,,2", "trade-err-number"),
        ("BTC/USDT long 100 sl 1 sl 2", "trade-err-unexpected"),
        ("BTC/USDT long 100 x2 x3", "trade-err-unexpected"),
        ("BTC/USDT long 100 please", "trade-err-unexpected"),
        ("BTC/USDT long 100 sl 1000000000", "trade-err-too-large"),
    ],
)
def test_refusals_carry_a_fluent_key(line: str, key: str) -> None:
    with pytest.raises(NumberError) as err:
        parse_trade(line)
    assert err.value.key == key


def test_close_forms() -> None:
    assert parse_close("all") == CloseRequest(True, None, None, None)
    assert parse_close("BTC/USDT") == CloseRequest(False, "BTC/USDT", None, None)
    assert parse_close("#12 61000.5") == CloseRequest(False, None, 12, D("61000.5"))
    for bad in ("", "all 5", "BTC 1 2", "BTC -5", "BTC nan"):
        with pytest.raises(NumberError):
            parse_close(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, DepositCommand("show", D(0))),
        ("1000", DepositCommand("set", D(1000))),
        ("+200", DepositCommand("add", D(200))),
        ("+ 200", DepositCommand("add", D(200))),
        ("-100.5", DepositCommand("withdraw", D("100.5"))),
        ("99,5", DepositCommand("set", D("99.5"))),
        ("0.00000001", DepositCommand("set", D("0.00000001"))),
    ],
)
def test_deposit_forms(text: str | None, expected: DepositCommand) -> None:
    assert parse_deposit(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("abc", "trade-err-number"),
        ("1e6", "trade-err-number"),
        ("NaN", "trade-err-number"),
        ("-inf", "trade-err-number"),
        ("1.123456789", "trade-err-decimals"),
        ("1000000001", "trade-err-too-large"),
        ("10 20", "trade-err-number"),
        ("++5", "trade-err-number"),
    ],
)
def test_deposit_refusals(text: str, key: str) -> None:
    with pytest.raises(NumberError) as err:
        parse_deposit(text)
    assert err.value.key == key


def test_parse_decimal_is_exact() -> None:
    assert parse_decimal("0.10000001") == ("", D("0.10000001"))
    assert parse_decimal("+3", allow_sign=True) == ("+", D(3))
