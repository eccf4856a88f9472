"""A temporary SQLite database with a few users, for the paper-trading tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import services.db.models  # noqa: F401
from services.accounts.service import AccountService
from services.db.base import Base
from services.db.engine import Database
from services.market.base import ReplayClock
from services.market.replay import FileFrames, ReplayProvider
from services.paper.config import PaperConfig
from services.paper.service import PaperService
from services.users import UserService

USERS = (101, 102, 103)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'paper.db'}")
    # The schema from the models (the migration chain is checked against the same
    # models by tests/integration/foundation/test_migrations.py).
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
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


BTC_1H = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
START_MS = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000  # 2023-11-14 22:00 UTC


@pytest.fixture
def replay_clock() -> ReplayClock:
    return ReplayClock(START_MS)


@pytest.fixture
def market(replay_clock: ReplayClock) -> ReplayProvider:
    """MARKET's real replay provider over the shared BTC/USDT 1h candles."""
    frames = FileFrames(BTC_1H / "binance_BTC-USDT_1h.csv.gz")
    return ReplayProvider(frames, replay_clock)


@pytest.fixture
def replay_accounts(db: Database, replay_clock: ReplayClock) -> AccountService:
    return AccountService(db, replay_clock.now_ms)


@pytest.fixture
def paper(db: Database, market: ReplayProvider, replay_accounts: AccountService) -> PaperService:
    return PaperService(db, market, replay_accounts, PaperConfig(monitor_timeframe="1h"))
