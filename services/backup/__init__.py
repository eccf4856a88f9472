"""SQLite backups (online-backup API), retention and checked restores."""

from services.backup.service import (
    BackupError,
    BackupInfo,
    RestoreResult,
    inspect_file,
    list_backups,
    make_backup,
    prune,
    restore,
    sqlite_file,
)

__all__ = [
    "BackupError",
    "BackupInfo",
    "RestoreResult",
    "inspect_file",
    "list_backups",
    "make_backup",
    "prune",
    "restore",
    "sqlite_file",
]
