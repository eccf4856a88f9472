"""The signals migration builds exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from services.db import migrate
from services.db.base import Base
from services.db.engine import Database

SIGNAL_TABLES = {"signals", "signal_explanations", "signal_deliveries", "signal_cooldowns"}


def _signal_diffs(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diffs = compare_metadata(context, Base.metadata)

    def touches_signals(diff) -> bool:
        flat = diff if isinstance(diff, tuple) else diff[0]
        named = (x if isinstance(x, str) else getattr(x, "name", None) for x in flat)
        return any(n in SIGNAL_TABLES for n in named) or any(
            getattr(getattr(x, "table", None), "name", None) in SIGNAL_TABLES for x in flat
        )

    return [d for d in diffs if touches_signals(d)]


async def test_upgrade_matches_models_and_downgrade_drops(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        assert len(migrate.head_revisions()) == 1
        await migrate.upgrade(db)
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            assert tables >= SIGNAL_TABLES
            assert await conn.run_sync(_signal_diffs) == []
        await migrate.downgrade(db, "0005")
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert not tables & SIGNAL_TABLES
    finally:
        await db.dispose()
