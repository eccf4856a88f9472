"""The database locked, or the disk full, while a user changes something: the user
gets an error (with a reference), nothing is half-written, and once the fault is
gone the same command works."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import services.db.engine as engine_module
from tests.e2e.harness import ChatDriver, start_chat

USER = 1001


def texts(messages: list) -> str:
    return "\n".join(m.text or "" for m in messages)


def ledger_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT kind, deposit_after FROM deposit_ledger ORDER BY id"
        ).fetchall()


def audit_rows(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]


async def deposit_of(driver: ChatDriver) -> Decimal:
    assert driver.app is not None
    return (await driver.app.services.accounts.get(USER)).deposit


@pytest.fixture
async def locked_chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ChatDriver]:
    # Wait 0.3 s for a lock instead of 10 s, so the test is quick.
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    driver = await start_chat(tmp_path)
    yield driver
    await driver.stop()


async def test_locked_database_answers_with_an_error_and_writes_nothing(
    locked_chat: ChatDriver, tmp_path: Path
) -> None:
    db = tmp_path / "e2e.db"
    assert "Deposit set to 1,000.00 USDT" in texts(await locked_chat.send("/deposit 1000"))
    before_ledger, before_audit = ledger_rows(db), audit_rows(db)

    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        holder.execute("UPDATE users SET first_name = first_name")
        reply = texts(await locked_chat.send("/deposit +500"))
        assert "Something went wrong" in reply and "Reference:" in reply
    finally:
        holder.rollback()
        holder.close()
    assert ledger_rows(db) == before_ledger and audit_rows(db) == before_audit
    assert await deposit_of(locked_chat) == Decimal(1000)

    assert "1,500.00 USDT" in texts(await locked_chat.send("/deposit +500"))
    assert len(ledger_rows(db)) == len(before_ledger) + 1


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs (the test runs as root, as CI does here)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_disk(mount: Path) -> Path:
    filler = mount / "filler"
    with filler.open("wb") as handle:
        chunk = b"\0" * 65536
        try:
            while True:
                handle.write(chunk)
                handle.flush()
        except OSError:
            pass
    return filler


async def test_full_disk_answers_with_an_error_and_writes_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "bot.db"
    driver = await start_chat(
        tmp_path, settings_overrides={"database_url": f"sqlite+aiosqlite:///{db}"}
    )
    try:
        assert "Deposit set to 1,000.00 USDT" in texts(await driver.send("/deposit 1000"))
        before_ledger, before_audit = ledger_rows(db), audit_rows(db)

        filler = fill_disk(small_disk)
        reply = texts(await driver.send("/deposit +500"))
        assert "Something went wrong" in reply and "Reference:" in reply
        filler.unlink()  # space again

        assert ledger_rows(db) == before_ledger and audit_rows(db) == before_audit
        assert await deposit_of(driver) == Decimal(1000)
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert "1,500.00 USDT" in texts(await driver.send("/deposit +500"))
        assert len(ledger_rows(db)) == len(before_ledger) + 1
    finally:
        await driver.stop()
