"""UserService against a real migrated SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from services.db import migrate
from services.db.engine import Database
from services.db.models.users import User
from services.users import SEEN_RESOLUTION, UserService


@pytest.fixture
async def users(tmp_path: Path) -> AsyncIterator[UserService]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}")
    await migrate.upgrade(db)
    yield UserService(db, languages=("en", "ru"), default_language="en")
    await db.dispose()


async def test_first_contact_sets_language_later_contacts_keep_it(users: UserService) -> None:
    created = await users.upsert(7, username="neo", first_name="N", language_code="ru-RU")
    assert created.language == "ru" and created.created_at.tzinfo is not None
    assert created.notify_mode == "all" and created.leverage == 1
    # No deposit lives on the user: the accounts service is its only source.
    assert not hasattr(created, "deposit")

    again = await users.upsert(7, username="neo2", language_code="en")
    assert again.language == "ru" and again.username == "neo2"
    assert again.created_at == created.created_at and again.last_seen_at >= created.last_seen_at


async def test_update_settings_and_blocked_flag(users: UserService) -> None:
    await users.upsert(8, language_code=None)
    updated = await users.update_settings(8, risk_per_trade=Decimal("1.25"), leverage=3)
    assert (updated.risk_per_trade, updated.leverage, updated.language) == (
        Decimal("1.25"),
        3,
        "en",
    )
    with pytest.raises(ValueError, match="not editable"):
        await users.update_settings(8, is_blocked=True)
    with pytest.raises(LookupError):
        await users.update_settings(404, leverage=2)

    await users.set_blocked(8, True)
    assert [u.id for u in await users.list_users()] == []
    assert (await users.get(8)).is_blocked
    assert not (await users.upsert(8)).is_blocked  # writing to the bot again unblocks


async def test_unchanged_recent_user_is_read_not_written(users: UserService) -> None:
    first = await users.upsert(9, username="trin", first_name="T", language_code="en")
    again = await users.upsert(9, username="trin", first_name="T", language_code="en")
    assert again == first  # seen a moment ago, nothing changed: no write

    renamed = await users.upsert(9, username="trin", first_name="Trinity")
    assert renamed.first_name == "Trinity" and (await users.get(9)).first_name == "Trinity"
    assert renamed.last_seen_at >= first.last_seen_at

    await users.set_blocked(9, True)
    assert not (await users.upsert(9, username="trin", first_name="Trinity")).is_blocked


async def test_last_seen_refreshes_once_the_minute_is_over(users: UserService) -> None:
    first = await users.upsert(10, first_name="M")
    old = first.last_seen_at - SEEN_RESOLUTION - timedelta(seconds=1)
    async with users.db.session() as session:
        await session.execute(update(User).where(User.id == 10).values(last_seen_at=old))
        await session.commit()
    assert (await users.upsert(10, first_name="M")).last_seen_at > old
