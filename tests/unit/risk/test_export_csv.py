"""/export CSV numbers: exact stored values in plain notation (QA: `0E-10` for a zero
PnL, `0.9940000000` for a quantity)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from services.paper.dto import FillDTO
from services.reports.export import decimal_text, fills_csv

D = Decimal


def test_decimal_text_is_plain_and_exact() -> None:
    cases = {
        D("0E-10"): "0", D("-0E-10"): "0", D("0.9940000000"): "0.994",
        D("1E+2"): "100", D("150.8541987176"): "150.8541987176",
        D("-0.1800469073"): "-0.1800469073", D("1000.0000000000"): "1000",
    }  # fmt: skip
    for value, text in cases.items():
        assert decimal_text(value) == text
        assert D(text) == value


def test_fills_csv_has_no_exponents() -> None:
    fill = FillDTO(
        id=1, position_id=1, user_id=1, trade_mode="paper", symbol="SOL/USDT", side="short",
        kind="entry", qty=D("0.9940000000"), price=D("150.8541987176"),
        fee=D("0.1499490735"), pnl=D("0E-10"), manual=False, time_ms=0, bar_ms=None,
    )  # fmt: skip
    text = fills_csv([fill]).decode()
    assert "E-" not in text and "E+" not in text
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert (row["qty"], row["pnl"], row["price"]) == ("0.994", "0", "150.8541987176")
