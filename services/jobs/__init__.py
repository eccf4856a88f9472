"""Scheduled jobs: each feature's `services/jobs/<feature>.py` exports `JOBS`.

Adding jobs: write `services/jobs/<feature>.py` with
    JOBS = [JobSpec("market-refresh", "services.jobs.market:refresh",
                    {"trigger": "interval", "minutes": 5})]
where the function is `async def refresh() -> None` using `current_services()`,
and add "services.jobs.<feature>" to `JOB_MODULES` below.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

JOB_MODULES: tuple[str, ...] = (
    "services.jobs.market",
    "services.jobs.paper",
    "services.jobs.signals",
    "services.jobs.risk",
    "services.jobs.digests",
    "services.jobs.admin",
)

# Safe defaults for every job: a late run is still worth doing once, never twice at once.
DEFAULT_OPTIONS: Mapping[str, Any] = {
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": 60,
}


@dataclass(frozen=True)
class JobSpec:
    id: str
    func_ref: str  # "package.module:function", a coroutine function without arguments
    trigger: Mapping[str, Any]  # add_job trigger kwargs: {"trigger": "cron", "minute": "*/5"}
    options: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"jitter": 10}


def collect_jobs(modules: Iterable[str] = JOB_MODULES) -> list[JobSpec]:
    jobs: list[JobSpec] = []
    for name in modules:
        jobs.extend(importlib.import_module(name).JOBS)
    ids = [job.id for job in jobs]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate job ids: {sorted(duplicates)}")
    return jobs


def schedule_jobs(scheduler: BaseScheduler, jobs: Iterable[JobSpec]) -> None:
    for job in jobs:
        scheduler.add_job(
            job.func_ref,
            id=job.id,
            name=job.id,
            replace_existing=True,
            **{**DEFAULT_OPTIONS, **job.options},
            **job.trigger,
        )
