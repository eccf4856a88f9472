"""The audit trail on a busy database: one row per state change, written in the same
transaction, an unbroken chain, and `tradebot audit verify` catching tampering."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main as cli
from core.config import Settings
from services import audit
from services.accounts.dto import AccountError
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.db.engine import Database
from services.db.models.audit import AuditEntry
from services.db.models.trading import DepositEntry, Fill, Position
from services.market.base import ReplayClock
from services.paper.service import PaperService
from services.users import UserService
from tests.integration.admin.conftest import USERS
from tests.integration.admin.trading_load import busy


async def _count(db: Database, model: type, **where: str) -> int:
    async with db.sessions() as s:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(await s.scalar(query) or 0)


@pytest.fixture
async def busy_db(
    db: Database,
    accounts: AccountService,
    paper: PaperService,
    users: UserService,
    clock: ReplayClock,
) -> Database:
    audit.set_config(Settings(_env_file=None, bot_token="123456:" + "A" * 35))
    await busy(USERS, accounts, paper, users, clock)
    return db


async def test_every_state_change_has_one_row_and_the_chain_holds(busy_db: Database) -> None:
    db = busy_db
    ledger = await _count(db, DepositEntry)
    positions = await _count(db, Position)
    exits = await _count(db, Fill) - positions  # every position has one entry fill
    assert await _count(db, AuditEntry, event="deposit.change") == ledger
    assert await _count(db, AuditEntry, event="position.open") == positions
    closes = await _count(db, AuditEntry, event="position.close")
    fills = await _count(db, AuditEntry, event="position.fill")
    assert closes + fills == exits and fills > 0 and closes > 0
    assert await _count(db, AuditEntry, event="settings.change") == len(USERS) * 4
    report = await audit.verify(db)
    assert report.ok, report.problem
    assert report.rows == await _count(db, AuditEntry) == report.head_seq
    # the configuration in force is in the chain once, without the token
    [config_row] = [r for r in await audit.recent(db, limit=5000) if r.event == "config.in_force"]
    assert config_row.rationale["what"]["bot_token"] == "set"
    assert "AAAAAAAAAA" not in json.dumps(config_row.rationale)


async def test_refused_change_writes_no_row(db: Database, accounts: AccountService) -> None:
    await accounts.change(201, DepositCommand("set", Decimal(100)))
    before = await _count(db, AuditEntry)
    with pytest.raises(AccountError):
        await accounts.change(201, DepositCommand("withdraw", Decimal(500)))
    assert await _count(db, AuditEntry) == before


def _tampered(src: Path, dst: Path, *sql: str) -> str:
    shutil.copy(src, dst)
    with sqlite3.connect(dst) as conn:
        for statement in sql:
            conn.execute(statement)
    return f"sqlite+aiosqlite:///{dst}"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (("UPDATE audit_log SET rationale = replace(rationale, '10000', '90000') "
          "WHERE seq = (SELECT min(seq) FROM audit_log WHERE event = 'deposit.change')",),
         "modified"),
        (("DELETE FROM audit_log WHERE seq = 7",), "deleted: seq 7"),
        (("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",), "deleted"),
        (("UPDATE audit_log SET id = -1 WHERE seq = 5",
          "UPDATE audit_log SET id = 5 WHERE seq = 6",
          "UPDATE audit_log SET id = 6 WHERE seq = 5"), "reordered: seq 5"),
    ],
)  # fmt: skip
async def test_verify_cli_passes_busy_db_and_fails_tampered_copy(
    busy_db: Database,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sql: tuple[str, ...],
    expected: str,
) -> None:
    await busy_db.dispose()
    url = f"sqlite+aiosqlite:///{db_path}"
    assert await asyncio.to_thread(cli, ["audit", "verify", "--database", url]) == 0
    assert "ok" in capsys.readouterr().out
    bad = _tampered(db_path, tmp_path / "tampered.db", *sql)
    assert await asyncio.to_thread(cli, ["audit", "verify", "--database", bad]) == 1
    out = capsys.readouterr().out
    assert expected in out, out
