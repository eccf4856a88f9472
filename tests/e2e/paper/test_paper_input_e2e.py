"""What a trader types into /deposit, /trade and /close on the simulated market, and
what the bot answers: numbers with commas, unknown symbols, refusals whose numbers
read like the rest of the bot's money and prices."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bot.scripted import ChatDriver
from tests.e2e.harness import USER_ID

D = Decimal


def texts(replies: list[Any]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def test_deposit_commas_are_thousands_or_refused_never_a_decimal_point(
    chat: ChatDriver,
) -> None:
    accounts = chat.app.services.accounts
    assert "Deposit set to 1,000.50 USDT" in texts(await chat.send("/deposit 1,000.50"))
    reply = texts(await chat.send("/deposit 1,000"))
    assert "can be read two ways: write 1000 for the whole number or 1.000" in reply, reply
    assert (await accounts.get(USER_ID)).deposit == D("1000.50")  # nothing changed
    assert "Deposit set to 1.50 USDT" in texts(await chat.send("/deposit 1,5"))
    assert "Deposit: 2,001.50 USDT" in texts(await chat.send("/deposit +2,000.00"))
    ru = texts(await chat.send("/deposit 1,000", user_id=2002, lang="ru"))
    assert "можно прочитать двумя способами: напишите 1000" in ru, ru
    assert not (await accounts.get(2002)).exists


async def test_unknown_symbol_offers_suggestions_only_when_there_are_some(
    chat: ChatDriver,
) -> None:
    for user_id, lang, none_text, suggest_text in (
        (USER_ID, "en", "Try a pair such as BTC/USDT", "Did you mean: BTC/USDT"),
        (2002, "ru", "Попробуйте пару вроде BTC/USDT", "Возможно, вы имели в виду: BTC/USDT"),
    ):
        await chat.send("/deposit 1000", user_id=user_id, lang=lang)
        for command in ("/trade xyz long 100", "/close FOOBAR"):
            reply = texts(await chat.send(command, user_id=user_id, lang=lang))
            assert none_text in reply and "-?" not in reply, (lang, command, reply)
            assert "Did you mean" not in reply and "имели в виду" not in reply, reply
        reply = texts(await chat.send("/trade BTCX/USDT long 100", user_id=user_id, lang=lang))
        assert suggest_text in reply, reply


async def test_a_typed_close_price_the_market_never_traded_is_refused(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    await chat.send("/trade ETH/USDT long 100")
    reply = texts(await chat.send("/close ETH/USDT 99999999"))
    assert "99,999,999.00 is outside the range ETH/USDT traded in while #1 was open" in reply
    (position,) = await chat.app.services.paper.queries.open_positions(USER_ID)
    assert position.remaining_qty == position.qty
    await chat.send("/deposit 1000", user_id=2002, lang="ru")
    await chat.send("/trade ETH/USDT short 100", user_id=2002, lang="ru")
    ru = texts(await chat.send("/close ETH/USDT 1", user_id=2002, lang="ru"))
    assert "вне диапазона, в котором торговался ETH/USDT" in ru, ru
    entry = position.entry_price.quantize(D("0.01"), rounding="ROUND_UP")  # its tick
    closed = texts(await chat.send(f"/close 1 {entry}"))
    assert "Closed #1 ETH/USDT" in closed and "(manual price)" in closed, closed


async def test_refusals_and_fees_read_as_money_with_currency(chat: ChatDriver) -> None:
    reply = texts(await chat.send("/deposit -5"))
    assert "would leave a balance of -5.00 USDT." in reply, reply
    summary = texts(await chat.send("/deposit 1.5"))
    assert "Fees paid: 0.00 USDT" in summary, summary
    reply = texts(await chat.send("/trade BTC/USDT long 5000"))
    assert re.search(r"needs [\d,]+\.\d\d USDT \(margin and fee\), you have 1\.50 USDT free", reply)
    assert "150% is too large: the limit is 100%." in texts(
        await chat.send("/trade BTC/USDT long 150%")
    )
    await chat.send("/deposit 1000")
    opened = texts(await chat.send("/trade SOL/USDT long 100"))
    assert re.search(r"Fee: 0\.\d\d USDT\n", opened), opened
    closed = texts(await chat.send("/close SOL/USDT"))
    assert re.search(r"fees 0\.\d\d USDT ·", closed), closed


async def test_a_typed_stop_is_labelled_yours_with_targets_in_r_of_it(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    last = D(str((await chat.app.services.market.ticker("BTC/USDT")).last))
    stop = (last * D("0.97")).quantize(D(1))
    opened = texts(await chat.send(f"/trade BTC/USDT long 100 sl {stop}"))
    assert "Levels: your stop; targets 1R/2R/3R of it." in opened, opened
    assert "ATR" not in opened
    (p,) = await chat.app.services.paper.queries.open_positions(USER_ID)
    r = p.entry_price - stop
    assert abs(p.targets[2] - (p.entry_price + 3 * r)) <= D("0.1")
    await chat.send("/deposit 1000", user_id=2002, lang="ru")
    ru = texts(await chat.send(f"/trade BTC/USDT long 100 sl {stop}", user_id=2002, lang="ru"))
    assert "Уровни: ваш стоп; цели 1R/2R/3R от него." in ru, ru


async def test_a_short_at_1x_is_a_perpetual_never_spot(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    opened = texts(await chat.send("/trade SOL/USDT short 100"))
    assert "SOL/USDT · SHORT · x1 (futures)" in opened and "(spot)" not in opened, opened
    assert "Liquidation price:" in opened
    long = texts(await chat.send("/trade ETH/USDT long 100"))
    assert "x1 (spot)" in long and "Liquidation price" not in long, long
    short, spot = await chat.app.services.paper.queries.open_positions(USER_ID)
    assert (short.kind, spot.kind) == ("perp", "spot")
    fills = await chat.app.services.paper.queries.fills(USER_ID)
    rates = [f.fee / (f.price * f.qty) for f in fills]
    assert [round(r, 6) for r in rates] == [D("0.0004"), D("0.001")]  # futures, spot taker


async def test_the_target_line_states_what_each_given_target_closes(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    last = D(str((await chat.app.services.market.ticker("BTC/USDT")).last))
    one = (last * D("1.05")).quantize(D(1))
    two = (last * D("1.08")).quantize(D(1))
    single = texts(await chat.send(f"/trade BTC/USDT long 50 tp {one}"))
    assert "(close 100%)" in single and "50/30/20" not in single, single
    double = texts(await chat.send(f"/trade BTC/USDT long 50 tp {one},{two}"))
    assert "(close 50/50%)" in double, double
    assert "(close 50/30/20%)" in texts(await chat.send("/trade BTC/USDT long 50"))
