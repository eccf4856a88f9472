"""`tradebot backup` (a consistent copy now, with retention) and
`tradebot restore FILE` (integrity and schema version checked, old file kept).

Restore refuses while the bot runs: it takes the same instance lock as the runners.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.config import ConfigError, Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="back up the SQLite database now")
    backup.add_argument("--dir", type=Path, help="target folder (default: BACKUP_DIR)")
    backup.set_defaults(func=handle_backup)
    restore = subparsers.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(func=handle_restore)


def backup_dir(settings: Settings) -> Path:
    return settings.backup_dir or settings.data_dir / "backups"


def handle_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands._fluent import plain
    from services.backup import BackupError, make_backup, sqlite_file

    try:
        info = make_backup(
            sqlite_file(settings.database_url),
            args.dir or backup_dir(settings),
            keep=settings.backup_keep,
        )
    except BackupError as exc:
        print(f"backup failed: {plain(exc.key, exc.params)}", file=sys.stderr)
        return 1
    print(f"backup written: {info.path} ({info.size} bytes, schema {info.revision})")
    return 0


def handle_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands._fluent import plain
    from bot.lock import InstanceLock
    from services.backup import BackupError, restore, sqlite_file

    try:
        with InstanceLock(settings.data_dir / "tradebot.lock"):
            result = restore(args.file, sqlite_file(settings.database_url))
    except BackupError as exc:
        print(f"restore refused: {plain(exc.key, exc.params)}", file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 1
    kept = f"; previous database kept at {result.previous}" if result.previous else ""
    print(
        f"restored {result.database} from {result.restored_from} (schema {result.revision}){kept}"
    )
    return 0
