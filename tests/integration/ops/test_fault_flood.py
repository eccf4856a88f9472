"""A Telegram 429 storm in the middle of a broadcast: the send queue backs off as
asked and every user still gets the message exactly once."""

from __future__ import annotations

import time
from pathlib import Path

from bot.emulator.store import ApiError
from services.admin.broadcast import BroadcastProgress
from tests.e2e.harness import ADMIN_ID, start_chat

USERS = tuple(range(2001, 2031))
TEXT = "Maintenance tonight at 22:00 UTC"


async def test_broadcast_through_a_flood_storm_delivers_everything_once(tmp_path: Path) -> None:
    driver = await start_chat(tmp_path)
    try:
        for uid in USERS:
            await driver.send("/start", user_id=uid)
        app, emulator = driver.app, driver.emulator
        assert app is not None and emulator.store is not None
        emulator.fail_next(
            "sendMessage", ApiError(429, "Too Many Requests: retry after 1", retry_after=1), times=4
        )
        calls_before = emulator.calls.count("sendMessage")
        progress: list[BroadcastProgress] = []

        async def on_progress(state: BroadcastProgress) -> None:
            progress.append(state)

        started = time.monotonic()
        final = await app.services.admin.broadcasts.run(ADMIN_ID, TEXT, on_progress)
        elapsed = time.monotonic() - started
        await driver.wait_idle()

        assert final.done and final.failed == 0 and final.blocked == 0
        assert final.sent == final.total >= len(USERS)
        assert progress[-1] == final
        for uid in USERS:
            got = [m for m in emulator.store.messages[uid] if m.from_bot and m.text == TEXT]
            assert len(got) == 1, uid
        # Four refusals were retried after the pause Telegram asked for.
        assert emulator.calls.count("sendMessage") - calls_before == final.total + 4
        assert elapsed >= 1.0
    finally:
        await driver.stop()
