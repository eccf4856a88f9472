"""Rendering helpers: Telegram's size limits and how numbers look in a chat.

Numbers are written alike in every language (`10,000.00 USDT`, `8,759`): the
Fluent catalog formats numeric variables with the same symbols (services/i18n.py),
so a formatted amount and a count in one message never disagree.

Limits are counted in UTF-16 code units, as Telegram counts them (an emoji is two),
on the HTML source (at least as long as the rendered text), so a part that fits
here fits there.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal

from services.text import format_duration as format_duration  # re-exported for handlers

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(line: str, limit: int) -> tuple[str, str]:
    """The longest head of `line` within `limit` UTF-16 units, and the rest."""
    size = 0
    for index, char in enumerate(line):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            return line[:index], line[index:]
    return line, ""


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")


def _reopen(stack: list[tuple[str, str]]) -> str:
    return "".join(tag for _name, tag in stack)


def _close(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _tag in reversed(stack))


def _track(stack: list[tuple[str, str]], line: str) -> None:
    for match in _TAG.finditer(line):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split on line boundaries into parts of at most `limit`.

    HTML tags open at a boundary (a multi-line <pre> block, say) are closed at the
    end of one part and reopened at the start of the next, so every part parses on
    its own. A single line longer than the limit is cut hard.
    """
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    stack: list[tuple[str, str]] = []
    current: list[str] = []
    prefix = ""  # tags reopened at the start of the part being built
    size = 0

    def flush() -> None:
        nonlocal current, size, prefix
        if current:
            parts.append(prefix + "\n".join(current) + _close(stack))
        prefix = _reopen(stack)
        current = []
        size = utf16_len(prefix)

    for line in text.split("\n"):
        while True:
            reserve = utf16_len(_close(stack)) + 16
            budget = limit - reserve
            added = utf16_len(line) + (1 if current else 0)
            if size + added <= budget:
                current.append(line)
                size += added
                _track(stack, line)
                break
            if current:
                flush()
                continue
            # A line longer than a whole part: cut it (tags inside may be split).
            head, line = _cut(line, max(budget - size - 1, 1))
            current.append(head)
            size += utf16_len(head)
            _track(stack, head)
            flush()
    if current:
        parts.append(prefix + "\n".join(current))
    return [part for part in parts if part.strip()] or [text]


def split_caption(caption: str, limit: int = CAPTION_LIMIT) -> tuple[str, str]:
    """A caption that fits, and the remainder to send as a follow-up message."""
    parts = split_text(caption, limit)
    head = parts[0]
    return head, caption[len(head) :].lstrip("\n")


def escape(value: object) -> str:
    """HTML-escape anything that came from a user or an exchange before it is sent."""
    return html.escape(str(value), quote=False)


def _group(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def format_money(amount: Decimal, currency: str = "USDT", *, places: int = 2) -> str:
    """`Decimal("1234.5")` -> "1,234.50 USDT"; signs are kept ("-12.00 USDT")."""
    return f"{_group(Decimal(amount), places)} {currency}".strip()


def format_signed_money(amount: Decimal, currency: str = "USDT", *, places: int = 2) -> str:
    """PnL style: "+12.30 USDT" / "-4.00 USDT"."""
    text = format_money(amount, currency, places=places)
    return text if Decimal(amount) < 0 else f"+{text}"


def price_places(price: Decimal | float) -> int:
    """Decimals that keep about five significant digits: 64,123.5 -> 2; 0.000123 -> 8."""
    value = abs(Decimal(str(price)))
    if value == 0:
        return 2
    if value >= 1000:
        return 2
    if value >= 1:
        return 4 if value < 10 else 3
    leading_zeros = -value.adjusted() - 1
    return min(leading_zeros + 5, 12)


def format_price(price: Decimal | float, places: int | None = None) -> str:
    value = Decimal(str(price))
    return _group(value, price_places(value) if places is None else places)


def format_percent(value: Decimal | float, *, places: int = 2, signed: bool = False) -> str:
    number = Decimal(str(value))
    text = f"{_group(number, places)}%"
    return f"+{text}" if signed and number > 0 else text
