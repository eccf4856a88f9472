"""Backtest runs on a real SQLite file: status rules, ownership, start-up recovery; and
the service's time limit with the real spawn pool on replayed shared candles."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from core.config import Settings
from services.backtests.factory import build_backtests
from services.backtests.service import BacktestService
from services.backtests.store import BacktestStore, RunDTO
from services.db.engine import Database
from services.db.migrate import upgrade
from services.db.models.backtests import BacktestRun
from services.db.types import utcnow
from services.i18n import Catalog
from services.market.factory import build_market_data
from services.users import UserService

ALICE, BOB = 1, 2


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'runs.db'}")
    await upgrade(database)
    users = UserService(database, languages=("en", "ru"), default_language="en")
    for uid in (ALICE, BOB):
        await users.upsert(uid, username=None, first_name="T", language_code="en")
    yield database
    await database.dispose()


async def new_run(store: BacktestStore, user_id: int = ALICE) -> RunDTO:
    return await store.create(
        user_id=user_id,
        origin="chat",
        symbol="BTC/USDT",
        timeframe="1h",
        strategy="composite",
        params={},
        config={"fee_rate": 0.001},
        period_days=90,
        initial_cash=Decimal("10000"),
    )


async def test_final_status_is_never_overwritten(db: Database) -> None:
    store = BacktestStore(db)
    run = await new_run(store)
    assert run.status == "queued" and run.initial_cash == Decimal("10000")
    assert (await store.mark_running(run.id)).status == "running"
    cancelled = await store.fail(run.id, "cancelled")
    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    late = await store.finish(
        run.id,
        metrics={"total_return": 0.1},
        final_equity=11000.0,
        bars=10,
        start_ms=0,
        end_ms=1,
        params={},
        chart_png=b"png",
        trades_csv_gz=b"",
    )
    assert late.status == "cancelled" and late.metrics is None and late.final_equity is None


async def test_results_belong_to_their_user(db: Database) -> None:
    import gzip

    store = BacktestStore(db)
    run = await new_run(store)
    done = await store.finish(
        run.id,
        metrics={"trades": 1},
        final_equity=10123.456,
        bars=5,
        start_ms=1,
        end_ms=2,
        params={"entry_threshold": 0.25},
        chart_png=b"\x89PNG",
        trades_csv_gz=gzip.compress(b"position_id,pnl\n0,123.456\n"),
    )
    assert done.status == "done" and done.final_equity == Decimal("10123.456")
    assert await store.artifact(run.id, ALICE, "trades") == b"position_id,pnl\n0,123.456\n"
    assert await store.artifact(run.id, ALICE, "chart") == b"\x89PNG"
    assert await store.artifact(run.id, BOB, "chart") is None
    assert await store.get(run.id, BOB) is None
    second = await new_run(store)
    assert [r.id for r in await store.list_for_user(ALICE)] == [second.id, run.id]
    assert await store.list_for_user(BOB) == []


async def test_recovery_closes_only_stale_open_runs(db: Database) -> None:
    store = BacktestStore(db)
    old, fresh = await new_run(store), await new_run(store, BOB)
    async with db.session() as session:
        await session.execute(
            update(BacktestRun)
            .where(BacktestRun.id == old.id)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    assert await store.abandon_open(older_than_s=1200) == 1
    assert (await store.get(old.id)).status == "failed"  # type: ignore[union-attr]
    assert (await store.get(old.id)).error == "restart"  # type: ignore[union-attr]
    assert (await store.get(fresh.id)).status == "queued"  # type: ignore[union-attr]


class Recorder:
    def __init__(self) -> None:
        self.phases: list[str] = []
        self.reported = asyncio.Event()
        self.done: asyncio.Future[RunDTO] = asyncio.get_running_loop().create_future()

    async def progress(self, run: RunDTO, fraction: float, phase: str) -> None:
        self.phases.append(phase)
        self.reported.set()

    async def finished(self, run: RunDTO) -> None:
        self.done.set_result(run)


async def replay_backtests(db: Database, **overrides: Any) -> BacktestService:
    """The real backtest service (spawn pool) over the replayed shared candles."""
    settings = Settings(
        _env_file=None,
        market_data="replay",
        replay_data_path="../shared/data/ohlcv",
        backtest_progress_interval_s=0.05,
        **overrides,
    )
    market = build_market_data(settings, db)
    await market.replay.start_at_data_end()  # type: ignore[union-attr]
    services: Any = type("S", (), {})()
    services.settings, services.db, services.market = settings, db, market
    services.i18n = Catalog.load(default_locale="en")
    return build_backtests(services)


async def test_a_run_past_the_time_limit_is_stopped(db: Database, tmp_path: Path) -> None:
    backtests = await replay_backtests(db, backtest_timeout_s=0.2)
    try:
        watcher = Recorder()
        run = await backtests.submit(
            ALICE, "BTC/USDT 1h composite 2024-01-01..2024-01-31", "en", watcher
        )
        assert run.status == "queued" and run.source == "replay" and not run.simulated
        final = await asyncio.wait_for(watcher.done, 60)
        assert final.status == "failed" and final.error == "timeout"
        assert backtests.is_idle() and backtests.runner.busy == 0
    finally:
        await backtests.aclose()


async def test_closing_during_a_run_leaves_no_unretrieved_future(
    db: Database, tmp_path: Path
) -> None:
    """`tradebot chat` closing while a backtest runs: the watcher is stopped and awaited,
    and the pool's futures are collected, so asyncio reports no orphaned exception."""
    backtests = await replay_backtests(db)
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        watcher = Recorder()
        await backtests.submit(ALICE, "BTC/USDT 1h composite 2024-01-01..2024-06-30", "en", watcher)
        await asyncio.wait_for(watcher.reported.wait(), 60)  # the run is under way
        tasks = set(backtests._tasks)
        await backtests.aclose()
        assert tasks and all(task.done() for task in tasks)
        assert backtests.is_idle() and backtests.runner.busy == 0
        del tasks  # their frames hold the pool's future; dropping them lets it be reported
        await asyncio.sleep(0.1)
        gc.collect()
        assert [c.get("message") for c in reported] == []
    finally:
        loop.set_exception_handler(previous)
