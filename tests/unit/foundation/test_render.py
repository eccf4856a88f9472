"""Message splitting and number formatting."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.emulator.htmltext import html_to_plain
from handlers.render import (
    format_money,
    format_percent,
    format_price,
    format_signed_money,
    split_caption,
    split_text,
    utf16_len,
)


def test_short_text_is_untouched() -> None:
    assert split_text("hello\nworld") == ["hello\nworld"]


def test_split_on_line_boundaries() -> None:
    lines = [f"{i:03d}" + "a" * 96 for i in range(50)]
    parts = split_text("\n".join(lines))
    assert len(parts) == 2
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


def test_emoji_count_double_like_telegram() -> None:
    text = "\n".join(["😀" * 50] * 60)  # 60 lines of 100 UTF-16 units
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts) and len(parts) == 2


def test_open_tags_are_closed_and_reopened() -> None:
    body = "\n".join(f"row {i} " + "." * 40 for i in range(200))
    parts = split_text(f"<b>Title</b>\n<pre>{body}</pre>\ntail")
    assert len(parts) >= 3
    for part in parts:
        html_to_plain(part)  # every part parses on its own (raises otherwise)
    assert parts[1].startswith("<pre>row ") and parts[0].endswith("</pre>")


@given(st.lists(st.text(alphabet="ab cd😀\n", max_size=300), max_size=60))
def test_split_keeps_every_character_and_respects_limit(chunks: list[str]) -> None:
    text = "\n".join(chunks)
    parts = split_text(text, limit=200)
    assert all(utf16_len(p) <= 200 for p in parts)
    if text.strip():
        assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_caption_head_and_rest() -> None:
    caption = "\n".join(f"line {i} " + "y" * 60 for i in range(25))
    head, rest = split_caption(caption)
    assert utf16_len(head) <= 1024 and (head + "\n" + rest) == caption


def test_money_and_prices() -> None:
    assert format_money(Decimal("1234.5")) == "1,234.50 USDT"
    assert format_money(Decimal("-0.005"), "USD") == "-0.01 USD"
    assert format_signed_money(Decimal("12.3")) == "+12.30 USDT"
    assert format_signed_money(Decimal("-4")) == "-4.00 USDT"
    assert format_price(64123.456) == "64,123.46"
    assert format_price(Decimal("1.23456")) == "1.2346"
    assert format_price(0.000123456) == "0.00012346"
    assert format_price(Decimal("12.5"), places=1) == "12.5"
    assert format_percent(3.14159, signed=True) == "+3.14%"
    assert format_percent(-2) == "-2.00%"
