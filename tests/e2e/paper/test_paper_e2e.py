"""Deposits and paper trading end to end: the real Dispatcher polling the local Bot API
emulator, replayed BTC/USDT 1h candles from the shared data, a temp SQLite file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.scripted import ChatDriver
from services.jobs.paper import run_monitor
from tests.e2e.harness import USER_ID

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
BTC_1H = DATA / "binance_BTC-USDT_1h.csv.gz"
HOUR = 3_600_000
# The close of the 2024-04-17 16:00 bar: `tradebot signal history` issues a SHORT there.
SIGNAL_AT = int(datetime(2024, 4, 17, 17, tzinfo=UTC).timestamp() * 1000)
D = Decimal


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "market_data": "replay",
        "replay_data_path": str(BTC_1H),
        "replay_start_ms": SIGNAL_AT,
        "paper_monitor_timeframe": "1h",
    }


def texts(replies: list[Any]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def test_deposit_set_add_withdraw_and_refusals(chat: ChatDriver) -> None:
    assert "not set a deposit" in texts(await chat.send("/deposit"))
    assert "Deposit set to 1,000.00 USDT" in texts(await chat.send("/deposit 1000"))
    assert "Deposit: 1,200.50 USDT" in texts(await chat.send("/deposit +200.5"))
    assert "Deposit: 1,100.50 USDT" in texts(await chat.send("/deposit -100"))
    refusals = {
        "/deposit -5000": "must stay above zero",
        "/deposit 99999999999": "is too large",
        "/deposit 10.123456789": "too many decimals",
        "/deposit ten": "not a number",
        "/deposit 1e5": "not a number",
        "/deposit nan": "not a number",
    }
    for command, expected in refusals.items():
        assert expected in texts(await chat.send(command)), command
    shown = texts(await chat.send("/deposit"))
    assert "Deposit: 1,100.50 USDT" in shown and "Balance: 1,100.50 USDT" in shown
    assert "withdraw -100.00 USDT → 1,100.50 USDT" in shown  # the ledger, newest first
    account = await chat.app.services.accounts.get(USER_ID)
    assert account.deposit == D("1100.5")
    assert len(await chat.app.services.accounts.ledger(USER_ID)) == 3
    ru = texts(await chat.send("/deposit -5000", user_id=2002, lang="ru"))
    assert "должны оставаться больше нуля; ничего не изменено" in ru


async def test_trade_bad_inputs_are_answered_and_change_nothing(chat: ChatDriver) -> None:
    assert "Set your deposit first" in texts(await chat.send("/trade BTC/USDT long 100"))
    await chat.send("/deposit 1000")
    cases = {
        "/trade BTCX/USDT long 100": "Did you mean: BTC/USDT",
        "/trade BTC/USDT long -100": "must be greater than zero",
        "/trade BTC/USDT long 100 x0": "Leverage 0 is not allowed",
        "/trade BTC/USDT long 100 x1000": "Leverage 1000 is not allowed",
        "/trade BTC/USDT long 100 sl 90000": "on the wrong side",
        "/trade BTC/USDT short 100 sl 100": "on the wrong side",
        "/trade BTC/USDT long": "/trade SYMBOL long|short AMOUNT",
        "/trade BTC/USDT sideways 100": "not a direction",
    }
    for command, expected in cases.items():
        reply = texts(await chat.send(command))
        assert expected in reply, (command, reply)
        assert "Something went wrong" not in reply
    portfolio = await chat.app.services.paper.portfolio(USER_ID)
    assert portfolio.positions == [] and portfolio.account.balance == D(1000)


async def test_double_tapped_paper_trade_confirm_opens_one_position(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    replies = await chat.send("/signal BTC/USDT 1h")
    assert any("Paper trade" in b for r in replies for b in r.buttons), texts(replies)
    confirm = await chat.click("Paper trade")
    assert "Paper trade from signal" in texts(confirm)
    assert confirm[-1].buttons == ["✅ Open", "✖️ Cancel"]
    message = chat.latest_with_buttons()
    emu_message = chat.emulator.store.messages[message.chat_id][message.message_id - 1]
    data = message.keyboard[0][0].callback_data
    await asyncio.gather(*(chat.emulator.press(USER_ID, emu_message, data) for _ in range(2)))
    await chat.wait_idle()
    positions = await chat.app.services.paper.queries.open_positions(USER_ID)
    assert len(positions) == 1
    assert (positions[0].source, positions[0].side) == ("signal", "short")
    opened = [m for m in chat.history() if m.text and "Paper position #" in m.text]
    assert len(opened) == 1
    # pressing the signal's button again later lands on the same position
    await chat.click("Paper trade")  # the newest message with buttons is the signal again
    assert len(await chat.app.services.paper.queries.open_positions(USER_ID)) == 1


async def test_monitor_fills_tp1_and_notifies_then_portfolio_and_close(chat: ChatDriver) -> None:
    services = chat.app.services
    clock = services.market.clock
    await chat.send("/deposit 1000")
    last = D(str((await services.market.ticker("BTC/USDT")).last))
    tp1, tp2 = (last * D("1.003")).quantize(D("0.01")), (last * D("1.3")).quantize(D("0.01"))
    stop = (last * D("0.9")).quantize(D("0.01"))
    opened = texts(await chat.send(f"/trade BTC/USDT long 100 x2 sl {stop} tp {tp1},{tp2}"))
    assert "Paper position #1 opened" in opened and "Liquidation price" in opened
    before = len(chat.history())
    notices: list[str] = []
    for _ in range(72):
        clock.advance(HOUR)
        await run_monitor(services)
        await chat.wait_idle()
        notices = [m.text or "" for m in chat.history()[before:]]
        if notices:
            break
    assert len(notices) == 1 and "TP1 filled" in notices[0], notices
    assert "The stop moved to the entry" in notices[0]
    portfolio = texts(await chat.send("/portfolio"))
    assert "#1 BTC/USDT LONG" in portfolio and "Unrealized" in portfolio
    assert chat.latest_with_buttons().buttons == ["Close #1", "Stop → entry #1"]
    await chat.send("/trade BTC/USDT short 50 sl 99999")
    closed = texts(await chat.click("Close #1"))
    assert "Closed #1 BTC/USDT LONG" in closed
    assert "Closed #2" in texts(await chat.send("/close all"))
    assert "no open paper positions" in texts(await chat.send("/close all"))
    account = await services.accounts.get(USER_ID)
    fills = await services.paper.queries.fills(USER_ID)
    assert account.balance == D(1000) + sum(f.pnl - f.fee for f in fills)
    assert [f.kind for f in fills] == ["entry", "tp1", "entry", "close", "close"]


async def test_fifty_users_trading_at_once_lose_nothing(chat: ChatDriver) -> None:
    users = [5000 + i for i in range(50)]

    async def everyone(text: str) -> None:
        await asyncio.gather(
            *(chat.emulator.user_message(u, text, first_name=f"u{u}") for u in users)
        )
        await chat.wait_idle()

    await everyone("/deposit 1000")
    await everyone("/trade BTC/USDT long 100 x2 sl 50000 tp 70000")
    await everyone("/deposit +10")
    await everyone("/close all")
    services = chat.app.services
    for u in users:
        bot_texts = [m.text or "" for m in chat.history(u)]
        assert len(bot_texts) == 4, (u, bot_texts)
        account = await services.accounts.get(u)
        fills = await services.paper.queries.fills(u)
        assert [f.kind for f in fills] == ["entry", "close"]
        assert account.deposit == D(1010)
        assert account.balance == D(1010) + sum(f.pnl - f.fee for f in fills)
        assert account.open_positions == 0 and account.used_margin == 0


async def test_paper_trade_quantity_is_rounded_where_shown_and_stored(chat: ChatDriver) -> None:
    """Replay does not know the market's amount step: the confirm step, the opened
    position and the stored row all carry the same six-significant-digit quantity."""
    import re

    await chat.send("/deposit 1000")
    card = texts(await chat.send("/signal BTC/USDT 1h"))
    confirm = texts(await chat.click("Paper trade"))
    # the card and the confirm step write the same stop the same way
    card_stop = re.search(r"Stop: ([\d,.]+)", card)
    assert card_stop and f"Stop: {card_stop.group(1)} ·" in confirm, (card, confirm)
    shown = re.search(r"About ([\d,.]+) BTC at ≈([\d,.]+)", confirm)
    assert shown, confirm
    qty_shown = D(shown.group(1).replace(",", ""))
    assert len(qty_shown.normalize().as_tuple().digits) <= 6, confirm
    assert len(shown.group(2).split(".")[-1]) <= 2  # a BTC price, not a long quotient
    opened = texts(await chat.click("Open"))
    assert f"Quantity: {shown.group(1)} BTC" in opened, opened
    # The confirm step promises what opens: the fill price and the risk at the stop.
    assert f"Entry: <b>{shown.group(2)}</b>" in opened or f"Entry: {shown.group(2)}" in opened
    risk = re.search(r"Risk at the stop: ([\d,.]+ USDT)", confirm)
    assert risk and f"Risk at the stop: {risk.group(1)}" in opened, (confirm, opened)
    (position,) = await chat.app.services.paper.queries.open_positions(USER_ID)
    assert position.qty == qty_shown == position.remaining_qty
    fills = await chat.app.services.paper.queries.fills(USER_ID, "paper")
    assert [f.qty for f in fills] == [qty_shown]


async def test_signal_card_in_russian_names_the_side_in_russian(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000", lang="ru")
    card = texts(await chat.send("/signal BTC/USDT 1h"))
    assert "ШОРТ" in card and "SHORT" not in card, card
    import re

    risk = re.search(r"риск ([\d,.]+) USDT", card)
    assert risk and re.fullmatch(r"[\d,]+\.\d\d", risk.group(1)), card  # money in cents


async def test_a_confirm_loses_its_buttons_once_opened_or_refused(chat: ChatDriver) -> None:
    """QA: a second Paper trade -> Open was refused as already executed, yet that
    confirm message kept live [Open] [Cancel] buttons."""
    await chat.send("/deposit 1000")
    await chat.send("/signal BTC/USDT 1h")
    await chat.click("Paper trade")
    opened = texts(await chat.click("Open"))
    assert "Paper position #1 opened" in opened
    await chat.click("Paper trade")  # the signal card again: a second confirm
    second = await chat.click("Open")
    assert any("already executed as position #1" in (m.text or "") for m in second), second
    confirms = [m for m in chat.history() if "Paper trade from signal" in (m.text or "")]
    assert len(confirms) == 1 and confirms[0].keyboard == []  # the first: answered
    repeated = [m for m in chat.history() if "already executed" in (m.text or "")]
    assert len(repeated) == 1 and repeated[0].edited and repeated[0].keyboard == []
    assert not any("✅ Open" in m.buttons for m in chat.history())
    assert len(await chat.app.services.paper.queries.open_positions(USER_ID)) == 1
