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


async def test_dropping_users_deposit_keeps_every_row_and_downgrade_restores_it(
    tmp_path: Path,
) -> None:
    """0011 removes the second copy of the deposit in place: a table rebuild would
    drop `users` and, with foreign keys on, cascade away every account and ledger row.
    Downgrading puts the paper deposit back (and the old default of 1000 elsewhere)."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    try:
        await migrate.upgrade(db, "0010")
        async with db.engine.begin() as c:
            await c.exec_driver_sql(
                "INSERT INTO users (id, language, created_at, last_seen_at, deposit)"
                " VALUES (1, 'en', '2026-01-01', '2026-01-01', 2500),"
                " (2, 'ru', '2026-01-01', '2026-01-01', 1000)"
            )
            await c.exec_driver_sql(
                "INSERT INTO trading_accounts (user_id, trade_mode, currency, deposit,"
                " realized_pnl, fees, version, updated_ms)"
                " VALUES (1, 'paper', 'USDT', '2500', '0', '0', 1, 0)"
            )
            await c.exec_driver_sql(
                "INSERT INTO deposit_ledger (user_id, trade_mode, kind, amount,"
                " deposit_after, balance_after, time_ms)"
                " VALUES (1, 'paper', 'set', '2500', '2500', '2500', 0)"
            )

        await migrate.upgrade(db)
        async with db.engine.connect() as c:
            columns = await c.run_sync(
                lambda s: {x["name"] for x in inspect(s).get_columns("users")}
            )
            counts = [
                (await c.exec_driver_sql(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("users", "trading_accounts", "deposit_ledger")
            ]
        assert "deposit" not in columns and "leverage" in columns
        assert counts == [2, 1, 1]

        await migrate.downgrade(db, "0010")
        async with db.engine.connect() as c:
            rows = (await c.exec_driver_sql("SELECT id, deposit FROM users ORDER BY id")).all()
        assert [(i, float(d)) for i, d in rows] == [(1, 2500.0), (2, 1000.0)]
    finally:
        await db.dispose()
