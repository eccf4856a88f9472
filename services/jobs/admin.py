"""Scheduled admin work: the periodic SQLite backup."""

from __future__ import annotations

import asyncio
import logging
import time

from services.jobs import JobSpec
from services.jobs.context import current_services

log = logging.getLogger(__name__)


async def backup() -> None:
    """A consistent copy of the database (SQLite only; other databases are skipped)."""
    from services.backup import BackupError, list_backups, make_backup, sqlite_file

    services = current_services()
    settings = services.settings
    if settings.backup_interval_h <= 0:
        return
    try:
        database = sqlite_file(settings.database_url)
    except BackupError:
        return
    directory = settings.backup_dir or settings.data_dir / "backups"
    newest = list_backups(directory)[-1:]
    if newest and time.time() - newest[0].stat().st_mtime < settings.backup_interval_h * 3600 - 60:
        return  # the job runs hourly; BACKUP_INTERVAL_H decides how often it copies
    info = await asyncio.to_thread(make_backup, database, directory, keep=settings.backup_keep)
    log.info("backup written: %s (%s bytes)", info.path.name, info.size)


JOBS = [JobSpec("admin-backup", "services.jobs.admin:backup", {"trigger": "interval", "hours": 1})]
