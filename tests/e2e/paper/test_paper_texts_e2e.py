"""What a trader reads from /trade, /portfolio and /close on the simulated market, in
both languages: every message with prices says they are simulated, quantities carry
their asset, prices use the market's tick, money never reads "-0.00"."""

from __future__ import annotations

import re

import pytest

from bot.scripted import ChatDriver

SIMULATED = {"en": "Simulated prices, not a real market", "ru": "Цены симулированные"}


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_trade_portfolio_close_texts(chat: ChatDriver, lang: str) -> None:
    await chat.send("/start", lang=lang)
    await chat.send("/deposit 1000")
    tick = await chat.app.services.paper.tick("BTC/USDT")
    assert tick is not None
    places = max(0, -tick.normalize().as_tuple().exponent)
    replies = {
        "trade": await chat.send("/trade BTC/USDT long 100 x3"),
        "portfolio": await chat.send("/portfolio"),
        "close": await chat.send("/close BTC/USDT"),
    }
    for name, messages in replies.items():
        text = "\n".join(m.text or "" for m in messages)
        assert SIMULATED[lang] in text, (name, text)
        assert "-0.00" not in text and "+0.00" not in text, (name, text)
        assert re.search(r"0\.\d+ BTC", text), (name, text)  # a quantity with its asset
        for price in re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            decimals = len(price.split(".")[1]) if "." in price else 0
            assert decimals in (places, 2), (name, price)  # the tick, or money's cents
    if lang == "ru":
        everything = "\n".join(m.text or "" for ms in replies.values() for m in ms)
        assert not re.search(r"\b(LONG|SHORT|NEUTRAL)\b", everything)
        assert "Стоимость" in everything and "1.5 ATR" in everything
