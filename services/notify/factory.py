"""`services/container.py` BUILDERS entry: ("sender", "services.notify.factory:build_sender")."""

from __future__ import annotations

from typing import Any

from services.notify.sender import Sender


def build_sender(services: Any) -> Sender:
    """The shared send queue; the app binds its Bot at start-up (`Sender.bind`).

    A user who blocked the bot is marked in the users table (chat id == user id in
    private chats), so scans stop queueing messages for them.
    """
    settings = services.settings

    async def mark_blocked(chat_id: int) -> None:
        await services.users.set_blocked(chat_id, True)

    limiter = None
    if settings.redis_url:  # several instances share Telegram's per-bot rate
        from services.ops.ratelimit import SharedRateLimiter
        from services.ops.redis import Keys, make_redis

        limiter = SharedRateLimiter(
            make_redis(settings.redis_url), Keys(settings.redis_prefix), settings.send_rate_per_s
        )
    return Sender(
        limiter=limiter,
        global_rate=settings.send_rate_per_s,
        per_chat_interval_s=settings.send_chat_interval_s,
        max_attempts=settings.send_max_attempts,
        on_blocked=mark_blocked,
    )
