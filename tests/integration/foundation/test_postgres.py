"""The same storage code on PostgreSQL (TEST_POSTGRES_URL; .ci/run exports it)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from services.db import migrate
from services.db.engine import Database
from services.users import UserService

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_db() -> AsyncIterator[Database]:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = f"tradebot_foundation_{secrets.token_hex(4)}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        await admin.dispose()
        pytest.fail(f"TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {error}")
    db = Database(make_url(base).set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        await db.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def test_migrations_round_trip_on_postgres(pg_db: Database) -> None:
    await migrate.upgrade(pg_db)
    async with pg_db.engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    assert "users" in tables
    await migrate.downgrade(pg_db, "base")
    async with pg_db.engine.connect() as connection:
        left = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    assert left <= {"alembic_version"}


async def test_user_upsert_on_postgres(pg_db: Database) -> None:
    await migrate.upgrade(pg_db)
    users = UserService(pg_db, languages=("en", "ru"), default_language="en")
    created = await users.upsert(10**12, username="big", language_code="ru")
    again = await users.upsert(10**12, username="bigger", language_code="en")
    assert (again.language, again.username, again.created_at) == (
        "ru",
        "bigger",
        created.created_at,
    )
    updated = await users.update_settings(10**12, risk_per_trade=Decimal("1.25"))
    assert updated.risk_per_trade == Decimal("1.25")
