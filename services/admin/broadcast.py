"""Broadcasts: one message to every user, through the shared send queue.

Users who blocked the bot (or whom an admin blocked) are skipped up front; a user
found blocked while sending is marked by the queue's `on_blocked` hook and counted.
Progress is reported through a callback at most every `progress_every_s` and once
at the end; the run is audited when it starts and when it ends.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from services.audit import record as audit
from services.notify import Priority, SendResult

# Telegram's own limit for one message, counted in UTF-16 units after its HTML is
# parsed (so the escaping of < & > costs nothing); longer HTML source is split into
# parts by the send path's LimitsMiddleware.
MAX_TEXT = 4096


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    id: int
    total: int
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    skipped: int = 0
    done: bool = False

    @property
    def processed(self) -> int:
        return self.sent + self.failed + self.blocked


ProgressHook = Callable[[BroadcastProgress], Awaitable[None]]


class Broadcaster:
    def __init__(self, services: Any, *, progress_every_s: float = 1.0) -> None:
        self._services = services
        self.progress_every_s = progress_every_s
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[BroadcastProgress]] = set()

    def is_idle(self) -> bool:
        return not self._tasks

    async def recipients(self) -> tuple[list[int], int]:
        """(chat ids to send to, users skipped because they blocked the bot or are blocked)."""
        users = await self._services.users.list_users(include_blocked=True)
        blocks = self._services.admin.blocks if self._services.admin is not None else None
        send, skipped = [], 0
        for user in users:
            if user.is_blocked or (blocks is not None and blocks.is_blocked(user.id)):
                skipped += 1
            else:
                send.append(user.id)
        return send, skipped

    def start(self, admin_id: int, text: str, on_progress: ProgressHook) -> asyncio.Task[Any]:
        """Run in the background (the handler returns at once); see `run`."""
        task = asyncio.create_task(self.run(admin_id, text, on_progress))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def run(self, admin_id: int, text: str, on_progress: ProgressHook) -> BroadcastProgress:
        sender = self._services.sender
        if sender is None:
            raise RuntimeError("no send queue")
        chats, skipped = await self.recipients()
        state = BroadcastProgress(next(self._ids), len(chats), skipped=skipped)
        digest = hashlib.sha256(text.encode()).hexdigest()
        await self._audit("broadcast.start", admin_id, state, digest, len(text))
        last_report = time.monotonic()

        async def on_result(result: SendResult) -> None:
            nonlocal state, last_report
            key = {"sent": "sent", "blocked": "blocked"}.get(result.status, "failed")
            state = replace(state, **{key: getattr(state, key) + 1})
            if time.monotonic() - last_report >= self.progress_every_s:
                last_report = time.monotonic()
                await on_progress(state)

        futures = [
            sender.enqueue(
                chat,
                text,
                priority=Priority.LOW,
                tag=f"broadcast:{state.id}",
                origin_wall_ms=int(time.time() * 1000),
                on_result=on_result,
            )
            for chat in chats
        ]
        await asyncio.gather(*futures, return_exceptions=True)
        state = replace(state, done=True)
        await self._audit("broadcast.done", admin_id, state, digest, len(text))
        await on_progress(state)
        return state

    async def _audit(
        self, event: str, admin_id: int, state: BroadcastProgress, digest: str, length: int
    ) -> None:
        async with self._services.db.session() as session:
            await audit(
                session,
                event,
                subject=f"broadcast:{state.id}",
                what={"recipients": state.total, "skipped": state.skipped, "sent": state.sent,
                      "failed": state.failed, "blocked": state.blocked,
                      "text_sha256": digest, "text_length": length},
                actor=f"admin:{admin_id}",
            )  # fmt: skip
