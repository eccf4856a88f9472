"""SQLite backups through the online-backup API, retention, and checked restores.

`sqlite3.Connection.backup` copies the database page by page from inside a read
transaction, so the copy is one consistent snapshot even while the bot keeps
writing (WAL readers do not block writers). The copy is written to a `.part` file,
checked with `PRAGMA integrity_check`, then renamed, so a crash mid-backup never
leaves a file that looks complete. A restore checks the file (integrity and an
Alembic revision this code knows) before touching the live database, and keeps the
old database next to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

PREFIX = "tradebot-"
SUFFIX = ".db"
BUSY_TIMEOUT_S = 30.0


class BackupError(Exception):
    """A backup or restore was refused. ``key`` is a Fluent message id (locales/*/
    admin.ftl) and ``params`` its variables: the /backup handler renders them in the
    admin's language, the CLI through bot/commands/_fluent.plain. No secrets in them."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    created: datetime
    revision: str | None


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    database: Path
    previous: Path | None  # where the replaced database was kept
    revision: str | None


def sqlite_file(url: str) -> Path:
    """The file of a SQLite URL; BackupError for other databases (use pg_dump there)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise BackupError("backup-error-not-sqlite")
    return Path(parsed.database).expanduser()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def inspect_file(path: Path) -> str | None:
    """Integrity-check a database file; returns its Alembic revision or raises."""
    if not path.is_file():
        raise BackupError("backup-error-no-file", path=str(path))
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise BackupError("backup-error-integrity", details="; ".join(result[:3]))
            return _revision(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError("backup-error-unreadable", reason=str(exc)) from None


def list_backups(directory: Path) -> list[Path]:
    """Backups in `directory`, oldest first (names sort by their UTC timestamp)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    backups = list_backups(directory)
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def make_backup(database: Path, directory: Path, *, keep: int) -> BackupInfo:
    """Copy `database` into `directory` as one consistent snapshot (blocking: run it in
    a thread), verify the copy, then apply the retention of `keep` files."""
    if not database.is_file():
        raise BackupError("backup-error-no-database", path=str(database))
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S_%fZ")
    final = directory / f"{PREFIX}{stamp}{SUFFIX}"
    part = final.with_suffix(".part")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with (
            contextlib.closing(_connect(database)) as source,
            contextlib.closing(sqlite3.connect(part)) as target,
        ):
            source.backup(target)  # pages=-1: the whole file in one read transaction
            target.execute("PRAGMA journal_mode=DELETE")
    except (OSError, sqlite3.Error) as exc:
        # An unwritable or impossible target folder is the operator's input, not a
        # crash: one line naming the folder and the reason.
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            "backup-error-cannot-write", folder=str(directory), reason=reason
        ) from None
    try:
        revision = inspect_file(part)
    except BackupError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, final)
    prune(directory, keep)
    return BackupInfo(final, final.stat().st_size, now, revision)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from services.db.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def restore(backup: Path, database: Path) -> RestoreResult:
    """Replace `database` with `backup` after checking it; the old file is kept as
    `<name>.before-restore-<UTC time>` (WAL and SHM files checkpointed into it first).
    The bot must not be running (the CLI holds the instance lock)."""
    try:
        return _restore(backup, database)
    except (OSError, sqlite3.OperationalError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            "backup-error-cannot-restore", path=str(database), reason=reason
        ) from None


def _restore(backup: Path, database: Path) -> RestoreResult:
    revision = inspect_file(backup)
    if revision is None:
        raise BackupError("backup-error-no-revision")
    if revision not in known_revisions():
        raise BackupError("backup-error-unknown-revision", revision=revision)
    database.parent.mkdir(parents=True, exist_ok=True)
    staged = database.with_name(database.name + ".restoring")
    with (
        contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(staged)) as target,
    ):
        source.backup(target)
    previous: Path | None = None
    if database.exists():
        with contextlib.closing(_connect(database)) as old:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        previous = database.with_name(f"{database.name}.before-restore-{stamp}")
        shutil.move(database, previous)
    for extra in ("-wal", "-shm"):
        Path(f"{database}{extra}").unlink(missing_ok=True)
    os.replace(staged, database)
    return RestoreResult(backup, database, previous, revision)
