"""Run Alembic migrations from inside the installed package.

The migration scripts ship inside `services/db/migrations`, so `tradebot migrate`
works from any working directory and needs no `alembic.ini`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from services.db.engine import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser interpolation would choke on a literal "%" in a password.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the newest)."""
    async with db.engine.begin() as connection:
        await connection.run_sync(_run, "upgrade", revision)


async def downgrade(db: Database, revision: str) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(_run, "downgrade", revision)


async def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as connection:
        return await connection.run_sync(_current)
