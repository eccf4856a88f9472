"""Concurrent audit appends on PostgreSQL never fork the chain.

Runs when TEST_POSTGRES_URL names a database (.ci/run sets it); everything lives in a
schema of its own, dropped afterwards, so other tests using the database are not
touched.
"""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from services import audit
from services.db.base import Base
from services.db.engine import Database
from services.db.models.audit import AuditEntry, AuditHead

pytestmark = pytest.mark.postgres
URL = os.environ.get("TEST_POSTGRES_URL")
TABLES = [AuditEntry.__table__, AuditHead.__table__]


@pytest.mark.skipif(URL is None, reason="TEST_POSTGRES_URL is not set")
async def test_concurrent_appends_stay_one_chain() -> None:
    assert URL is not None
    audit.set_config(None)  # no configuration row: exactly one row per append
    schema = f"audit_test_{secrets.token_hex(4)}"
    admin_engine = create_async_engine(URL)
    async with admin_engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database.__new__(Database)
    db.url = URL
    db.engine = create_async_engine(
        URL, pool_size=10, connect_args={"server_settings": {"search_path": schema}}
    )
    db.sessions = async_sessionmaker(db.engine, expire_on_commit=False)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=TABLES))

        async def append(i: int) -> None:
            async with db.session() as session:
                await audit.record(session, "test.event", subject=f"n:{i}", what={"i": i})
                await asyncio.sleep(0.01)  # hold the head lock while others queue up

        await asyncio.gather(*(append(i) for i in range(40)))
        report = await audit.verify(db)
        assert report.ok, report.problem
        assert report.rows == report.head_seq == 40
        async with db.sessions() as session:
            seqs = (await session.scalars(text("SELECT seq FROM audit_log ORDER BY id"))).all()
        assert list(seqs) == list(range(1, 41))
    finally:
        await db.dispose()
        async with admin_engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin_engine.dispose()
