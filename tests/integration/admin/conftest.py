"""A migrated temporary SQLite database with users, deposits and paper trading on
MARKET's replay provider (the shared BTC/USDT 1h candles)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.accounts.service import AccountService
from services.db.engine import Database
from services.db.migrate import upgrade
from services.market.base import ReplayClock
from services.market.replay import FileFrames, ReplayProvider
from services.paper.config import PaperConfig
from services.paper.service import PaperService
from services.users import UserService

USERS = (201, 202, 203, 204)
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
START_MS = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000
HOUR = 3_600_000


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "busy.db"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{db_path}")
    await upgrade(database)
    users = UserService(database, languages=("en", "ru"), default_language="en")
    for uid in USERS:
        await users.upsert(uid, username=f"u{uid}", language_code="en")
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> ReplayClock:
    return ReplayClock(START_MS)


@pytest.fixture
def users(db: Database) -> UserService:
    return UserService(db, languages=("en", "ru"), default_language="en")


@pytest.fixture
def accounts(db: Database, clock: ReplayClock) -> AccountService:
    return AccountService(db, clock.now_ms)


@pytest.fixture
def paper(db: Database, clock: ReplayClock, accounts: AccountService) -> PaperService:
    market = ReplayProvider(FileFrames(DATA / "binance_BTC-USDT_1h.csv.gz"), clock)
    return PaperService(db, market, accounts, PaperConfig(monitor_timeframe="1h"))
