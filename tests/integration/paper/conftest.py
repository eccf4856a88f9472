"""A migrated temporary SQLite database with a few users, for the paper-trading tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.accounts.service import AccountService
from services.db.engine import Database
from services.db.migrate import upgrade
from services.market.base import ReplayClock
from services.users import UserService

USERS = (101, 102, 103)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'paper.db'}")
    await upgrade(database, "0005")
    users = UserService(database, languages=("en", "ru"), default_language="en")
    for uid in USERS:
        await users.upsert(uid, username=f"u{uid}", language_code="en")
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> ReplayClock:
    return ReplayClock(1_700_000_000_000)


@pytest.fixture
def accounts(db: Database, clock: ReplayClock) -> AccountService:
    return AccountService(db, clock.now_ms)
