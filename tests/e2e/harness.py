"""End-to-end harness: the real Dispatcher polling the local Bot API emulator.

    async def test_something(chat):
        replies = await chat.send("/start", user_id=1001, lang="ru")
        assert replies[0].buttons == ["English", "Русский"]
        replies = await chat.click("Русский")        # or chat.click(index=2)
        replies[0].text, replies[0].photo, chat.last_answer.text

Each test gets its own emulator, temp SQLite database and app (a few hundred
milliseconds). Configure through fixtures in your test module or conftest:
    settings_overrides  -> dict of Settings fields (e.g. {"market_data": "replay"})
    services_overrides  -> dict of Services fields, or a callable(tmp_path) -> dict
    extra_routers       -> list of aiogram Routers attached before the fallback
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aiogram import Router

from bot.scripted import BotMessage, BotNotIdle, Button, ChatDriver, ChatUser
from core.config import Settings

ADMIN_ID = 9000
USER_ID = 1001

__all__ = [
    "ADMIN_ID",
    "USER_ID",
    "BotMessage",
    "BotNotIdle",
    "Button",
    "ChatDriver",
    "harness_settings",
    "start_chat",
]


def harness_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: temp database and data dir, no scheduler, no throttling,
    simulated market data, one admin; nothing read from the environment or .env."""
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        "data_dir": tmp_path / "data",
        "admin_ids": [ADMIN_ID],
        "scheduler_enabled": False,
        "throttle_burst": 10_000,
        "throttle_rate": 10_000.0,
        "market_data": "sim",
        "default_locale": "en",
        "bot_token": None,
        "telegram_api_url": None,
        "redis_url": None,
        "anthropic_api_key": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def start_chat(
    tmp_path: Path,
    *,
    settings_overrides: Mapping[str, Any] | None = None,
    services_overrides: Mapping[str, Any] | None = None,
    extra_routers: Iterable[Router] = (),
) -> ChatDriver:
    driver = ChatDriver(
        harness_settings(tmp_path, **dict(settings_overrides or {})),
        services_overrides=dict(services_overrides or {}),
        extra_routers=list(extra_routers),
        default_user=ChatUser(user_id=USER_ID, first_name="Alex", username="alex", lang="en"),
    )
    return await driver.start()
