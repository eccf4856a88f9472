"""Migrations: one head, upgrade an empty database, match the models, downgrade fully."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import services.db.models  # noqa: F401
from services.db import migrate
from services.db.base import Base
from services.db.engine import Database


def test_single_head() -> None:
    assert len(migrate.head_revisions()) == 1


async def test_upgrade_matches_models_and_downgrade_is_reversible(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(db)
        assert await migrate.current_revision(db) == migrate.head_revisions()[0]

        async with db.engine.connect() as connection:
            tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
            diff = await connection.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert {"users", "alembic_version"} <= tables
        assert set(Base.metadata.tables) <= tables
        assert diff == []

        await migrate.downgrade(db, "base")
        async with db.engine.connect() as connection:
            left = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        assert left <= {"alembic_version"}
        assert await migrate.current_revision(db) is None

        await migrate.upgrade(db)  # and back up again
        assert await migrate.current_revision(db) == migrate.head_revisions()[0]
    finally:
        await db.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:
        async with db.engine.connect() as connection:
            mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fk = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            timeout = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, fk, timeout) == ("wal", 1, 10_000)
    finally:
        await db.dispose()
