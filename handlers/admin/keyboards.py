"""Callback data of the admin commands: ids and small indexes only, never names
typed by someone (flag and job names are looked up by index on press)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class UserAction(CallbackData, prefix="adu"):
    action: str  # "block" | "unblock" | "flag_set" | "flag_clear"
    user_id: int
    flag: int = -1  # index into core.risk.flags.FLAG_NAMES


class BroadcastAction(CallbackData, prefix="abc"):
    action: str  # "send" | "cancel"
    draft: int


class JobAction(CallbackData, prefix="ajb"):
    action: str  # "run" | "pause" | "resume"
    job: int  # index into services.admin.jobs.job_ids()
