"""The candle cache on PostgreSQL (the chunked ON CONFLICT DO NOTHING path).

Runs when TEST_POSTGRES_URL names a database (postgresql+asyncpg://...); the tables
are dropped and re-created in it.
"""

from __future__ import annotations

import os

import pytest

from core.market.csv import read_candles
from services.db.base import Base
from services.db.engine import Database
from services.market.store import CandleStore
from tests.integration.market.conftest import DATA, MARKET_TABLES

pytestmark = pytest.mark.postgres
URL = os.environ.get("TEST_POSTGRES_URL")


@pytest.mark.skipif(URL is None, reason="TEST_POSTGRES_URL is not set")
async def test_postgres_store_round_trip_gaps_and_duplicates() -> None:
    assert URL is not None
    db = Database(URL)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: Base.metadata.drop_all(c, tables=MARKET_TABLES))
            await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=MARKET_TABLES))
        frame = read_candles(DATA / "binance_BTC-USDT_1h.csv.gz")
        store = CandleStore(db)
        assert await store.insert("binance", "BTC/USDT", "1h", frame.iloc[:20_000]) == 20_000
        assert await store.insert("binance", "BTC/USDT", "1h", frame) == len(frame) - 20_000
        assert await store.insert("binance", "BTC/USDT", "1h", frame.iloc[50:90]) == 0
        assert (await store.load("binance", "BTC/USDT", "1h")).equals(frame)
        info = await CandleStore(db).info("binance", "BTC/USDT", "1h")  # fresh: from the DB
        assert info is not None and (info.rows, len(info.gaps), info.missing) == (58419, 28, 128)
        newest = await store.load("binance", "BTC/USDT", "1h", limit=5)
        assert newest.equals(frame.iloc[-5:].reset_index(drop=True))
    finally:
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: Base.metadata.drop_all(c, tables=MARKET_TABLES))
        await db.dispose()
