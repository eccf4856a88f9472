"""/risk, /flag and /flags through the Bot API emulator: limits and usage, an admin
flag blocking a user's trades (and a global one everyone's), clearing restoring
them, and the admin commands not existing for anyone else."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tests.e2e.harness import ADMIN_ID, USER_ID, ChatDriver
from tests.paper_exits import book_exit

OTHER = 1002


def services_of(chat: ChatDriver) -> Any:
    assert chat.app is not None
    return chat.app.services


async def test_risk_shows_limits_usage_guard_and_the_no_force_close_note(chat) -> None:
    await chat.send("/deposit 1000")
    (opened,) = await chat.send("/trade BTC/USDT long 100 x3")
    assert "opened" in opened.text
    (card,) = await chat.send("/risk")
    text = card.text
    for line in (
        "Open positions: 1 / 10",
        "Symbols: 1 / 6",
        "(50% of the deposit)",
        "(8% of capital)",
        "(15% of capital)",
        "refused above 0.8 (1h returns, 30 days)",
        "Trading hours: any time",
        "Minimum position: 10.00 USDT",
        "Stop-loss streak: 0 / 3 (then a 12 h pause)",
        "stop at −50.00 USDT, 5% of the deposit",
        "warning 15%, emergency stop 18%",
        "No active flags.",
        "open positions are never closed by a flag",
    ):
        assert line in text, line
    # Margin of the x3 position: 100 USDT less what the quantity lost to the lot step
    # and the entry fee; the exact cents depend on the simulated price of the moment.
    used = re.search(r"Used margin: ([\d,]+\.\d\d)", text)
    assert used is not None, text
    assert Decimal("95") <= Decimal(used.group(1).replace(",", "")) <= Decimal("100")
    (too_big,) = await chat.send("/trade ETH/USDT long 200")
    assert "exceeds 15% of your capital (149.98 USDT) per position" in too_big.text
    (ru,) = await chat.send("/risk", user_id=OTHER, lang="ru")
    assert "Лимиты риска" in ru.text and "открытые позиции флаг никогда не закрывает" in ru.text


async def test_admin_flag_blocks_the_user_names_the_flag_and_clearing_restores(chat) -> None:
    await chat.send("/deposit 1000")
    await chat.send("/deposit 1000", user_id=OTHER)
    replies = await chat.send(
        f"/flag set emergency_stop {USER_ID} margin call test", user_id=ADMIN_ID
    )
    (done,) = [m for m in replies if m.chat_id == ADMIN_ID]
    (notice,) = [m for m in replies if m.chat_id == USER_ID]  # the user is told at once
    assert "emergency stop (emergency_stop) — margin call test" in notice.text
    assert "emergency_stop" in done.text and "margin call test" in done.text

    (refused,) = await chat.send("/trade BTC/USDT long 100")
    assert "blocked by the risk flag emergency_stop: margin call test" in refused.text
    assert "Open positions are not affected" in refused.text
    assert not await services_of(chat).paper.queries.open_positions(USER_ID)
    (card,) = await chat.send("/risk")
    assert (
        "⛔ emergency_stop (emergency stop, user 1001): margin call test — admin:9000" in card.text
    )
    # The other user trades normally.
    (ok,) = await chat.send("/trade BTC/USDT long 100", user_id=OTHER)
    assert "opened" in ok.text

    (listing,) = await chat.send("/flags", user_id=ADMIN_ID)
    assert "emergency_stop" in listing.text and "user 1001" in listing.text

    (cleared,) = await chat.send(f"/flag clear emergency_stop {USER_ID}", user_id=ADMIN_ID)
    assert "cleared" in cleared.text
    (ok,) = await chat.send("/trade BTC/USDT long 100")
    assert "opened" in ok.text
    (listing,) = await chat.send("/flags", user_id=ADMIN_ID)
    assert "No active flags." in listing.text
    assert "emergency_stop (user 1001): set by admin:9000" in listing.text
    assert "cleared by admin:9000" in listing.text


async def test_global_flag_blocks_everyone(chat) -> None:
    for uid in (USER_ID, OTHER):
        await chat.send("/deposit 1000", user_id=uid)
    await chat.send("/flag set weak_setup_stop choppy market", user_id=ADMIN_ID)
    for uid in (USER_ID, OTHER):
        (refused,) = await chat.send("/trade ETH/USDT long 50", user_id=uid)
        assert "risk flag weak_setup_stop: choppy market" in refused.text
    (card,) = await chat.send("/risk", user_id=OTHER)
    assert "weak_setup_stop (weak-setup stop, everyone)" in card.text
    await chat.send("/flag clear weak_setup_stop", user_id=ADMIN_ID)
    for uid in (USER_ID, OTHER):
        (ok,) = await chat.send("/trade ETH/USDT long 50", user_id=uid)
        assert "opened" in ok.text


async def test_admin_commands_do_not_exist_for_others(chat) -> None:
    (unknown,) = await chat.send("/nosuchcommand")
    for text in ("/flags", "/flag set emergency_stop 1001 x", "/flag clear emergency_stop"):
        (reply,) = await chat.send(text)
        assert reply.text == unknown.text.replace("/nosuchcommand", text.split()[0])
    assert await services_of(chat).risk.flags.all_active() == []
    (help_user,) = await chat.send("/help")
    assert "/risk" in help_user.text and "/flag" not in help_user.text
    (help_admin,) = await chat.send("/help", user_id=ADMIN_ID)
    assert "/flags" in help_admin.text and "/flag " in help_admin.text


async def test_bad_flag_commands_get_a_clear_answer(chat) -> None:
    (usage,) = await chat.send("/flag", user_id=ADMIN_ID)
    assert "/flag set NAME [USER_ID] REASON" in usage.text and "emergency_stop" in usage.text
    (bad,) = await chat.send("/flag set panic 1001 why", user_id=ADMIN_ID)
    assert "Unknown flag “panic”" in bad.text
    (no_reason,) = await chat.send("/flag set emergency_stop 1001", user_id=ADMIN_ID)
    assert "Say why" in no_reason.text
    (no_user,) = await chat.send("/flag set emergency_stop 4242 x", user_id=ADMIN_ID)
    assert "There is no user 4242" in no_user.text
    (not_active,) = await chat.send("/flag clear daily_loss_stop 1001", user_id=ADMIN_ID)
    assert "not active" in not_active.text
    assert await services_of(chat).risk.flags.all_active() == []


async def test_the_flagged_user_is_told_when_a_flag_is_raised(chat) -> None:
    from decimal import Decimal

    from services.jobs import risk as risk_jobs

    await chat.send("/deposit 1000")
    await chat.send("/trade BTC/USDT long 100")
    (position,) = await services_of(chat).paper.queries.open_positions(USER_ID)
    price = (position.entry_price * Decimal("0.4")).quantize(Decimal("0.01"))
    await book_exit(services_of(chat), USER_ID, position.id, price)
    await risk_jobs.guard()  # the scheduled guard pass
    await chat.wait_idle()
    notices = [m for m in chat.history() if "paused" in (m.text or "")]
    assert len(notices) == 1
    assert "daily loss stop (daily_loss_stop)" in notices[0].text
    assert "Open positions stay open" in notices[0].text
    await risk_jobs.guard()  # already raised: no second notice
    await chat.wait_idle()
    assert len([m for m in chat.history() if "paused" in (m.text or "")]) == 1

    await chat.send("/start", user_id=OTHER)
    await chat.send(f"/flag set weak_setup_stop {OTHER} too many fakeouts", user_id=ADMIN_ID)
    await chat.wait_idle()
    (notice,) = [m for m in chat.history(OTHER) if "paused" in (m.text or "")]
    assert "weak-setup stop (weak_setup_stop) — too many fakeouts" in notice.text
