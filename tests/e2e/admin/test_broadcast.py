"""/broadcast: compose, preview, confirm; one recipient has blocked the bot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.scripted import ChatDriver
from services.db.models.audit import AuditEntry
from tests.e2e.harness import ADMIN_ID

USERS = (1001, 1002, 1003, 1004)
BLOCKER = 1003


def texts(replies: list[Any]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def test_broadcast_with_a_user_who_blocked_the_bot(chat: ChatDriver) -> None:
    for uid in USERS:
        await chat.send("/start", user_id=uid)
    assert chat.emulator.store is not None and chat.app is not None
    chat.emulator.store.users[BLOCKER].blocked_bot = True

    assert "Send the text" in texts(await chat.send("/broadcast", user_id=ADMIN_ID))
    preview = await chat.send("Maintenance at 22:00 <UTC> & back soon", user_id=ADMIN_ID)
    assert "Preview" in preview[0].text and "Maintenance at 22:00 <UTC> & back soon" in (
        preview[0].text
    )
    assert "Recipients: 5" in preview[0].text  # four users and the admin
    assert preview[0].buttons == ["Send to 5", "Cancel"]
    await chat.click("Send to 5", user_id=ADMIN_ID)

    report = [m for m in chat.history(ADMIN_ID) if "Broadcast" in (m.text or "")][-1]
    assert report.edited
    assert report.text == (
        "📣 Broadcast finished: delivered 4 of 5 · failed 0 · blocked the bot 1 · skipped 0"
    )
    for uid in USERS:
        got = [m.text for m in chat.history(uid) if "Maintenance" in (m.text or "")]
        assert got == ([] if uid == BLOCKER else ["Maintenance at 22:00 <UTC> & back soon"])
    blocker = await chat.app.services.users.get(BLOCKER)
    assert blocker is not None and blocker.is_blocked  # marked

    # a second broadcast skips the marked user up front
    await chat.send("/broadcast second", user_id=ADMIN_ID)
    assert "Recipients: 4 (skipped, blocked: 1)" in chat.latest_with_buttons(ADMIN_ID).text
    await chat.click("Send to 4", user_id=ADMIN_ID)
    final = [m for m in chat.history(ADMIN_ID) if "Broadcast finished" in (m.text or "")][-1]
    assert "delivered 4 of 4" in final.text and "skipped 1" in final.text
    async with chat.app.services.db.sessions() as s:
        events = (await s.scalars(select(AuditEntry.event))).all()
    assert events.count("broadcast.start") == 2 and events.count("broadcast.done") == 2
    assert events.count("user.blocked_bot") == 1


async def test_broadcast_cancel_and_stale_button(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.send("/broadcast hello", user_id=ADMIN_ID)
    send_data = chat.latest_with_buttons(ADMIN_ID).keyboard[0][0].callback_data
    await chat.click("Cancel", user_id=ADMIN_ID)
    assert "Broadcast cancelled" in texts(chat.history(ADMIN_ID)[-1:])
    # the preview's Send button, pressed after the cancel, sends nothing
    store = chat.emulator.store
    assert store is not None and send_data is not None
    chat.last_answer = await chat.emulator.press(ADMIN_ID, store.messages[ADMIN_ID][-1], send_data)
    await chat.wait_idle()
    assert chat.last_answer.text == "This button is no longer active."
    assert not [m for m in chat.history(1001) if m.text == "hello"]


async def test_long_text_inline_reaches_every_user_whole(chat: ChatDriver) -> None:
    await chat.send("/start")
    text = ("Scheduled maintenance tonight; " * 100).strip()  # 3,099 characters
    preview = await chat.send(f"/broadcast {text}", user_id=ADMIN_ID)
    assert "Preview" in texts(preview) and "at most" not in texts(preview)
    await chat.click("Send to", user_id=ADMIN_ID)
    assert [m.text for m in chat.history(1001) if "maintenance" in (m.text or "")] == [text]


async def test_a_command_while_composing_says_the_draft_is_dropped(chat: ChatDriver) -> None:
    await chat.send("/start")
    assert "Send the text" in texts(await chat.send("/broadcast", user_id=ADMIN_ID))
    replies = await chat.send("/help", user_id=ADMIN_ID)
    assert replies[0].text == "Broadcast cancelled."
    assert replies[1].text.startswith("Commands")  # then the command runs as usual
    assert await chat.send("just chatting", user_id=ADMIN_ID) != []
    assert "Preview" not in texts(chat.history(ADMIN_ID)[-2:])  # no longer composing
    ru = await chat.send("/broadcast", user_id=ADMIN_ID, lang="ru")
    assert ru and "/status" not in texts(ru)
