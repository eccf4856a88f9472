"""The service graph on each database backend (SQLite always, PostgreSQL with
TEST_POSTGRES_URL): migrations, exact money, deposits/trades/closes, concurrent
upserts, signals, risk flags and the audit chain."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

import services.db.models  # noqa: F401
from bot.app import build_services, close_services
from core.config import Settings
from services.accounts.grammar import parse_deposit
from services.audit.log import verify
from services.db import migrate
from services.db.base import Base
from services.db.engine import Database
from services.db.models.trading import DepositEntry, Fill, Position
from services.paper.dto import TradeError
from services.paper.grammar import parse_close, parse_trade

DATA = "../shared/data/ohlcv"
START = int(datetime(2023, 6, 1, tzinfo=UTC).timestamp() * 1000)
ADMIN = 9000


def settings_for(url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "data_dir": tmp_path / "data",
        "market_data": "replay",
        "replay_data_path": DATA,
        "replay_start_ms": START,
        "paper_monitor_timeframe": "1h",
        "admin_ids": [ADMIN],
        "anthropic_api_key": None,
        "scheduler_enabled": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def test_migrations_match_models_down_and_up(pg_empty_url: str) -> None:
    db = Database(pg_empty_url)
    try:
        await migrate.upgrade(db)
        head = migrate.head_revisions()[0]
        assert await migrate.current_revision(db) == head
        async with db.engine.connect() as connection:
            diff = await connection.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
            tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        assert diff == []
        assert set(Base.metadata.tables) <= tables
        await migrate.downgrade(db, "base")
        async with db.engine.connect() as connection:
            left = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        assert left <= {"alembic_version"}
        await migrate.upgrade(db)
        assert await migrate.current_revision(db) == head
    finally:
        await db.dispose()


async def test_services_end_to_end_on_backend(db_url: str, tmp_path: Path) -> None:
    services = await build_services(settings_for(db_url, tmp_path))
    try:
        await migrate.upgrade(services.db)
        # Concurrent first contact of the same users: the upsert's conflict path.
        await asyncio.gather(
            *(
                services.users.upsert(uid, first_name=f"u{uid}", language_code="en")
                for uid in (101, 101, 102, 102, ADMIN)
            )
        )
        assert {u.id for u in await services.users.list_users()} >= {101, 102, ADMIN}

        # Money stays exact through the ledger and the account (user input has at
        # most 8 decimals; fees below carry all 10).
        await services.accounts.change(101, parse_deposit("123456789.12345678"))
        account = await services.accounts.change(101, parse_deposit("+0.00000001"))
        assert account.deposit == Decimal("123456789.12345679")
        await services.accounts.change(102, parse_deposit("1000"))
        async with services.db.sessions() as session:
            amounts = (
                await session.scalars(
                    select(DepositEntry.amount)
                    .where(DepositEntry.user_id == 101)
                    .order_by(DepositEntry.id)
                )
            ).all()
        assert amounts == [Decimal("123456789.12345678"), Decimal("0.00000001")]

        # Open, then close: fills and the account balance agree exactly.
        opened = await services.paper.open_trade(
            101, parse_trade("BTC/USDT long 500"), "k-1", "paper"
        )
        again = await services.paper.open_trade(
            101, parse_trade("BTC/USDT long 500"), "k-1", "paper"
        )
        assert again.duplicate and again.position.id == opened.position.id
        services.market.clock.set(START + 5 * 3_600_000)
        closed = await services.paper.close(101, parse_close("all"))
        assert len(closed) == 1
        account = await services.accounts.get(101)
        async with services.db.sessions() as session:
            fills = (await session.scalars(select(Fill).where(Fill.user_id == 101))).all()
            position = await session.get(Position, opened.position.id)
        assert position is not None and position.status == "closed"
        assert account.fees == sum((f.fee for f in fills), Decimal(0)) != 0
        assert account.realized_pnl == sum((f.pnl for f in fills), Decimal(0))
        assert account.balance == account.deposit + account.realized_pnl - account.fees

        # A risk flag blocks that user's trades until cleared.
        await services.risk.set_flag("emergency_stop", 102, "ops test", ADMIN)
        try:
            await services.paper.open_trade(102, parse_trade("BTC/USDT long 50"), "k-2", "paper")
        except TradeError as refused:
            assert refused.key == "risk-blocked-trade"
        else:
            raise AssertionError("a flagged user could trade")
        await services.risk.clear_flag("emergency_stop", 102, ADMIN)
        result = await services.paper.open_trade(
            102, parse_trade("BTC/USDT long 50"), "k-3", "paper"
        )
        assert result.position.user_id == 102

        # The same bar analysed twice is one stored signal.
        first = await services.signals.analyse("BTC/USDT", "1h")
        second = await services.signals.analyse("BTC/USDT", "1h")
        assert first.signal.id == second.signal.id

        # Every change above is in one unbroken audit chain.
        report = await verify(services.db)
        assert report.ok and report.rows >= 6
    finally:
        await close_services(services)


async def test_concurrent_writers_resolve_to_one_row(db_url: str, tmp_path: Path) -> None:
    """Races that several instances can run into: the unique keys decide, the loser
    reads the winner's row, and nobody gets an error."""
    services = await build_services(settings_for(db_url, tmp_path))
    try:
        await migrate.upgrade(services.db)
        await services.users.upsert(101, first_name="u101", language_code="en")
        await services.users.upsert(ADMIN, first_name="admin", language_code="en")
        await services.accounts.change(101, parse_deposit("1000"))

        views = await asyncio.gather(
            *(services.signals.analyse("BTC/USDT", "1h") for _ in range(4))
        )
        assert len({v.signal.id for v in views}) == 1

        opened = await asyncio.gather(
            *(
                services.paper.open_trade(101, parse_trade("BTC/USDT long 50"), "same-key")
                for _ in range(4)
            )
        )
        assert len({o.position.id for o in opened}) == 1
        assert sum(not o.duplicate for o in opened) == 1
        account = await services.accounts.get(101)
        assert account.open_positions == 1

        flags = await asyncio.gather(
            *(services.risk.set_flag("emergency_stop", 101, "race", ADMIN) for _ in range(3))
        )
        assert len({flag.id for flag, _ in flags}) == 1
        assert sum(created for _, created in flags) == 1
        assert (await verify(services.db)).ok
    finally:
        await close_services(services)
