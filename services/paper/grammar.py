"""The /trade and /close command grammars (pure: no I/O, no market look-ups).

    /trade SYMBOL long|short AMOUNT [x LEVERAGE] [sl PRICE] [tp PRICE[,PRICE,PRICE]]

AMOUNT is margin in quote currency (`100`) or a share of the balance (`1%`). Leverage
is written `x3` or `x 3`. Keywords may come in any order after AMOUNT; each at most once.
The symbol is only syntactically checked here; the market service resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.numbers import strict_int
from services.accounts.numbers import MAX_AMOUNT, NumberError, parse_decimal, parse_price

MAX_LEVERAGE = 125
MAX_TARGETS = 3
_SIDES = {
    "long": "long",
    "buy": "long",
    "лонг": "long",
    "short": "short",
    "sell": "short",
    "шорт": "short",
}


class GrammarError(NumberError):
    """Same shape as NumberError: a Fluent key plus variables."""


@dataclass(frozen=True, slots=True)
class TradeRequest:
    symbol: str
    side: str
    amount: Decimal | None  # margin in quote currency
    amount_pct: Decimal | None  # or a percentage of the balance
    leverage: int
    stop: Decimal | None
    targets: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class CloseRequest:
    all: bool
    symbol: str | None
    position_id: int | None
    price: Decimal | None


def _parse_amount(token: str) -> tuple[Decimal | None, Decimal | None]:
    if token.endswith("%"):
        try:
            _, pct = parse_decimal(token[:-1], max_value=Decimal(100))
        except NumberError as err:  # name the share as typed: "150%", limit "100%"
            params = {**err.params, "value": token[:32]}
            if "max" in params:
                params["max"] = f"{params['max']}%"
            raise GrammarError(err.key, **params) from None
        if pct <= 0:
            raise GrammarError("trade-err-positive", value=token)
        return None, pct
    if token.startswith("-"):
        raise GrammarError("trade-err-positive", value=token)
    _, amount = parse_decimal(token, max_value=MAX_AMOUNT)
    if amount <= 0:
        raise GrammarError("trade-err-positive", value=token)
    return amount, None


def _parse_leverage(token: str) -> int:
    lev = strict_int(token, low=1, high=MAX_LEVERAGE, max_digits=4)
    if lev is None:
        raise GrammarError("trade-err-leverage", value=token[:16], max=MAX_LEVERAGE)
    return lev


def _parse_targets(text: str) -> tuple[Decimal, ...]:
    parts = [p for p in text.split(",")]
    if any(not p for p in parts):
        raise GrammarError("trade-err-number", value=text[:32])
    if len(parts) > MAX_TARGETS:
        raise GrammarError("trade-err-too-many-targets", max=MAX_TARGETS)
    return tuple(parse_price(p) for p in parts)


def parse_trade(args: str | None) -> TradeRequest:
    """Parse the arguments of /trade; raises GrammarError/NumberError with a Fluent key."""
    tokens = (args or "").split()
    if len(tokens) < 3:
        raise GrammarError("trade-usage")
    symbol, side_word, amount_token, *rest = tokens
    side = _SIDES.get(side_word.lower())
    if side is None:
        raise GrammarError("trade-err-side", value=side_word[:16])
    amount, pct = _parse_amount(amount_token)
    leverage: int | None = None
    stop: Decimal | None = None
    targets: tuple[Decimal, ...] | None = None
    i = 0
    while i < len(rest):
        word = rest[i].lower()
        if word.startswith("x") and leverage is None:
            value = word[1:]
            if not value:
                if i + 1 >= len(rest):
                    raise GrammarError("trade-err-leverage", value="x", max=MAX_LEVERAGE)
                i += 1
                value = rest[i]
            leverage = _parse_leverage(value)
        elif word == "sl" and stop is None and i + 1 < len(rest):
            i += 1
            stop = parse_price(rest[i])
        elif word == "tp" and targets is None and i + 1 < len(rest):
            # Targets may be written "66000,68000" or "66000, 68000".
            collected = rest[i + 1]
            i += 1
            while collected.endswith(",") and i + 1 < len(rest):
                i += 1
                collected += rest[i]
            while i + 1 < len(rest) and rest[i + 1].startswith(","):
                i += 1
                collected += rest[i]
            targets = _parse_targets(collected)
        else:
            raise GrammarError("trade-err-unexpected", value=rest[i][:32])
        i += 1
    return TradeRequest(
        symbol=symbol,
        side=side,
        amount=amount,
        amount_pct=pct,
        leverage=leverage or 1,
        stop=stop,
        targets=targets or (),
    )


def parse_close(args: str | None) -> CloseRequest:
    """`/close all`, `/close BTC/USDT [PRICE]`, `/close 12 [PRICE]` (a position id)."""
    tokens = (args or "").split()
    if not tokens or len(tokens) > 2:
        raise GrammarError("close-usage")
    target = tokens[0]
    if target.lower() in ("all", "все", "всё"):
        if len(tokens) != 1:
            raise GrammarError("close-usage")
        return CloseRequest(all=True, symbol=None, position_id=None, price=None)
    price = parse_price(tokens[1]) if len(tokens) == 2 else None
    target = target.lstrip("#")
    if target.isascii() and target.isdigit():
        if len(target) > 12:
            raise GrammarError("close-usage")
        return CloseRequest(all=False, symbol=None, position_id=int(target), price=price)
    return CloseRequest(all=False, symbol=target, position_id=None, price=price)


__all__ = [
    "MAX_LEVERAGE",
    "CloseRequest",
    "GrammarError",
    "NumberError",
    "TradeRequest",
    "parse_close",
    "parse_trade",
]
