"""Backups taken while trading is under way restore to a complete, consistent database."""

from __future__ import annotations

import asyncio
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import main as cli
from bot.lock import InstanceLock
from services import audit
from services.accounts.service import AccountService
from services.backup import BackupError, inspect_file, list_backups, make_backup, prune, restore
from services.db.engine import Database
from services.market.base import ReplayClock
from services.paper.service import PaperService
from services.users import UserService
from tests.integration.admin.conftest import USERS
from tests.integration.admin.trading_load import busy


def _rows(path: Path, sql: str) -> set[tuple]:
    with sqlite3.connect(path) as conn:
        return set(conn.execute(sql).fetchall())


POSITIONS = "SELECT id, user_id, symbol, status, qty, remaining_qty FROM positions"
LEDGER = "SELECT id, user_id, kind, amount, deposit_after FROM deposit_ledger"
FILLS = "SELECT id, position_id, kind, qty, price FROM fills"


async def test_backup_during_active_trading_restores_every_row(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    accounts: AccountService,
    paper: PaperService,
    users: UserService,
    clock: ReplayClock,
) -> None:
    await busy(USERS[:2], accounts, paper, users, clock, rounds=2, monitor_hours=0)
    before_positions = _rows(db_path, POSITIONS)
    before_ledger = _rows(db_path, LEDGER)
    before_fills = _rows(db_path, FILLS)
    assert any(row[3] == "open" for row in before_positions) and before_ledger

    # More users trade (ledger rows, opens, fills) while the backup copies the file.
    writers = asyncio.create_task(busy(USERS[2:], accounts, paper, users, clock, rounds=4))
    await asyncio.sleep(0.05)
    info = await asyncio.to_thread(make_backup, db_path, tmp_path / "backups", keep=3)
    await writers
    after_positions = _rows(db_path, POSITIONS)

    restored = tmp_path / "restored" / "tradebot.db"
    result = restore(info.path, restored)
    assert result.previous is None and result.revision == info.revision
    got_positions = _rows(restored, POSITIONS)
    # everything committed before the backup is there, nothing unknown is
    assert {r[0] for r in before_positions} <= {r[0] for r in got_positions}
    assert before_ledger <= _rows(restored, LEDGER)
    assert {r[0] for r in before_fills} <= {r[0] for r in _rows(restored, FILLS)}
    assert {r[0] for r in got_positions} <= {r[0] for r in after_positions}
    # one consistent snapshot: account totals equal the sums of their rows
    with sqlite3.connect(restored) as conn:
        for uid, deposit, pnl, fees in conn.execute(
            "SELECT user_id, deposit, realized_pnl, fees FROM trading_accounts"
        ):
            amounts = conn.execute(
                "SELECT amount FROM deposit_ledger WHERE user_id = ?", (uid,)
            ).fetchall()
            fills = conn.execute("SELECT fee, pnl FROM fills WHERE user_id = ?", (uid,)).fetchall()
            assert sum(Decimal(a) for (a,) in amounts) == Decimal(deposit)
            assert sum(Decimal(f) for f, _ in fills) == Decimal(fees)
            assert sum(Decimal(p) for _, p in fills) == Decimal(pnl)
    # and the audit chain inside the snapshot is whole
    copy = Database(f"sqlite+aiosqlite:///{restored}")
    try:
        report = await audit.verify(copy)
    finally:
        await copy.dispose()
    assert report.ok and report.rows > 0


async def test_restore_keeps_the_old_file_and_refuses_bad_backups(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    info = await asyncio.to_thread(make_backup, db_path, tmp_path / "b", keep=5)
    target = tmp_path / "live.db"
    target.write_bytes(b"")  # an existing (empty) database is kept, not lost
    result = restore(info.path, target)
    assert result.previous is not None and result.previous.exists()
    assert inspect_file(target) == info.revision

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    with pytest.raises(BackupError):
        restore(junk, target)
    future = tmp_path / "future.db"
    future.write_bytes(info.path.read_bytes())
    with sqlite3.connect(future) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError) as refused:
        restore(future, target)
    assert refused.value.key == "backup-error-unknown-revision"
    assert refused.value.params == {"revision": "9999"}
    assert inspect_file(target) == info.revision  # untouched by the refusals


async def test_retention_and_cli(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "keep"
    for _ in range(4):
        await asyncio.to_thread(make_backup, db_path, directory, keep=10)
    assert len(list_backups(directory)) == 4
    assert len(prune(directory, 2)) == 2 and len(list_backups(directory)) == 2
    await db.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db_path}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BACKUP_KEEP", "2")
    assert await asyncio.to_thread(cli, ["backup", "--dir", str(directory)]) == 0
    newest = list_backups(directory)
    assert len(newest) == 2
    with InstanceLock(tmp_path / "data" / "tradebot.lock"):  # the bot is running
        assert await asyncio.to_thread(cli, ["restore", str(newest[-1])]) == 1
    assert not list(db_path.parent.glob("busy.db.before-restore-*"))
    assert await asyncio.to_thread(cli, ["restore", str(newest[-1])]) == 0
    assert list(db_path.parent.glob("busy.db.before-restore-*"))
