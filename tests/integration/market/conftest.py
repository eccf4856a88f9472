"""Fixtures for market-data integration tests: a temp SQLite DB with the market
tables, fast-failing settings, and the loopback fake exchange."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from services.db.base import Base
from services.db.engine import Database
from services.db.models.audit import AuditEntry, AuditHead
from services.db.models.market import Candle, CandleSeries, SymbolListEntry
from tests.fakes.fake_exchange import fake_exchange_factory  # noqa: F401

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
H = 3_600_000
# List changes are audited in the same transaction (services/audit), so the audit
# tables come along.
MARKET_TABLES = [
    CandleSeries.__table__,
    Candle.__table__,
    SymbolListEntry.__table__,
    AuditEntry.__table__,
    AuditHead.__table__,
]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'market.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=MARKET_TABLES))
    yield database
    await database.dispose()


def fast_settings(**overrides: Any) -> Settings:
    """Settings with tiny delays so retry and breaker tests take milliseconds."""
    values: dict[str, Any] = {
        "market_data": "exchange",
        "market_rate_limit_per_min": 100_000,
        "market_retries": 3,
        "market_backoff_base_s": 0.001,
        "market_backoff_max_s": 0.005,
        "market_retry_after_max_s": 0.2,
        "market_breaker_failures": 3,
        "market_breaker_reset_s": 0.2,
        "market_probe_interval_s": 0.0,
        "exchange_timeout_ms": 250,
        "database_url": "sqlite+aiosqlite:///unused.db",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)
