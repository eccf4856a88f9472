"""/jobs (list, run now, pause, resume) and /backup (a copy now, sent as a document)."""

from __future__ import annotations

import asyncio

from aiogram.filters import Command
from aiogram.types import CallbackQuery, FSInputFile, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.admin.format import when
from handlers.admin.keyboards import JobAction
from handlers.common.filters import admin_router
from handlers.render import escape
from services.admin import jobs as admin_jobs
from services.admin.health import list_jobs
from services.backup import BackupError, make_backup, sqlite_file
from services.container import Services
from services.i18n import Translator

router = admin_router("admin.ops")
DOCUMENT_LIMIT = 50 * 1024 * 1024  # Telegram bots may upload documents up to 50 MB


def jobs_view(services: Services, i18n: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    infos = {j.id: j for j in list_jobs(services.scheduler, services.admin.paused_jobs)}
    ids = admin_jobs.job_ids(services.scheduler)
    if not ids:
        return i18n("admin-jobs-none"), None
    lines = [i18n("admin-jobs-title", count=len(ids))]
    builder = InlineKeyboardBuilder()
    for index, job_id in enumerate(ids):
        info = infos.get(job_id)
        paused = info is not None and info.paused
        state = i18n("admin-job-state-paused") if paused else when(info.next_run if info else None)
        lines.append(i18n("admin-health-job", id=escape(job_id), next=state))
        builder.button(text=i18n("admin-jobs-btn-run", id=job_id),
                       callback_data=JobAction(action="run", job=index))  # fmt: skip
        builder.button(
            text=i18n("admin-jobs-btn-resume" if paused else "admin-jobs-btn-pause", id=job_id),
            callback_data=JobAction(action="resume" if paused else "pause", job=index),
        )
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup()


@router.message(Command("jobs"))
async def jobs_command(message: Message, i18n: Translator, services: Services) -> None:
    text, keyboard = jobs_view(services, i18n)
    await message.answer(text, reply_markup=keyboard)


@router.callback_query(JobAction.filter())
async def job_action(
    callback: CallbackQuery, callback_data: JobAction, i18n: Translator, services: Services
) -> None:
    ids = admin_jobs.job_ids(services.scheduler)
    if not 0 <= callback_data.job < len(ids):
        await callback.answer(i18n("admin-job-not-found"), show_alert=True)
        return
    job_id, admin_id = ids[callback_data.job], callback.from_user.id
    try:
        if callback_data.action == "run":
            await callback.answer(i18n("admin-job-running", id=job_id))
            outcome = await admin_jobs.run_now(services, job_id, admin_id)
            key = "admin-job-ran" if outcome.ok else "admin-job-failed"
            if callback.message is not None:
                await callback.message.answer(i18n(key, id=escape(job_id),
                                                   seconds=f"{outcome.seconds:.1f}",
                                                   error=escape(outcome.error or "")))  # fmt: skip
            return
        if callback_data.action == "pause":
            await admin_jobs.pause(services, job_id, admin_id)
        elif callback_data.action == "resume":
            await admin_jobs.resume(services, job_id, admin_id)
        else:
            await callback.answer(i18n("callback-expired"))
            return
    except admin_jobs.JobError:
        await callback.answer(i18n("admin-job-not-found"), show_alert=True)
        return
    await callback.answer(i18n(f"admin-job-{callback_data.action}d", id=job_id))
    if callback.message is not None:
        text, keyboard = jobs_view(services, i18n)
        await callback.message.edit_text(text, reply_markup=keyboard)


@router.message(Command("backup"))
async def backup_command(message: Message, i18n: Translator, services: Services) -> None:
    settings = services.settings
    try:
        database = sqlite_file(settings.database_url)
        directory = settings.backup_dir or settings.data_dir / "backups"
        info = await asyncio.to_thread(make_backup, database, directory, keep=settings.backup_keep)
    except BackupError as exc:
        reason = i18n(exc.key, **{k: escape(v) for k, v in exc.params.items()})
        await message.answer(i18n("admin-backup-failed", reason=reason))
        return
    size_mb = f"{info.size / 1024 / 1024:.2f}"
    caption = i18n("admin-backup-done", name=escape(info.path.name), size=size_mb,
                   revision=escape(info.revision or "—"))  # fmt: skip
    if info.size < DOCUMENT_LIMIT:
        await message.answer_document(FSInputFile(info.path, filename=info.path.name),
                                      caption=caption)  # fmt: skip
    else:
        await message.answer(caption + "\n" + i18n("admin-backup-too-big", path=escape(info.path)))
