"""The `chat` fixture; see tests/e2e/harness.py for the API and the hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiogram import Router

from tests.e2e.harness import ChatDriver, start_chat


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
def services_overrides() -> dict[str, Any] | Callable[[Path], dict[str, Any]]:
    return {}


@pytest.fixture
def extra_routers() -> list[Router]:
    return []


@pytest.fixture
async def chat(
    tmp_path: Path,
    settings_overrides: dict[str, Any],
    services_overrides: dict[str, Any] | Callable[[Path], dict[str, Any]],
    extra_routers: list[Router],
) -> AsyncIterator[ChatDriver]:
    overrides = services_overrides(tmp_path) if callable(services_overrides) else services_overrides
    driver = await start_chat(
        tmp_path,
        settings_overrides=settings_overrides,
        services_overrides=overrides,
        extra_routers=extra_routers,
    )
    try:
        yield driver
    finally:
        await driver.stop()
