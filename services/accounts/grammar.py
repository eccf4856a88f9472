"""The /deposit command grammar: show, set, add or withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from services.accounts.numbers import MAX_AMOUNT, parse_decimal

DepositKind = Literal["show", "set", "add", "withdraw"]


@dataclass(frozen=True, slots=True)
class DepositCommand:
    kind: DepositKind
    amount: Decimal  # absolute value; 0 for "show"


def parse_deposit(args: str | None) -> DepositCommand:
    """`/deposit` shows; `1000` sets; `+200` adds; `-100` withdraws.

    Raises NumberError (Fluent key + params) on anything that is not a plain number.
    """
    text = (args or "").strip()
    if not text:
        return DepositCommand("show", Decimal(0))
    if text[0] in "+-":
        text = text[0] + text[1:].lstrip()
    sign, value = parse_decimal(text, allow_sign=True, allow_comma=True, max_value=MAX_AMOUNT)
    kind: DepositKind = {"+": "add", "-": "withdraw", "": "set"}[sign]
    return DepositCommand(kind, value)
