"""/jobs: list scheduled jobs, run one now, pause and resume.

"Run now" awaits the job's own function in the bot's loop (the same coroutine the
scheduler would run, reaching the app through `current_services()`), bounded by a
timeout, so the admin gets its outcome in the reply.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from dataclasses import dataclass
from typing import Any

from services.audit import record as audit
from services.jobs import collect_jobs
from services.jobs.context import set_current_services

log = logging.getLogger(__name__)
RUN_TIMEOUT_S = 120.0


class JobError(LookupError):
    """No such job (or no scheduler)."""


@dataclass(frozen=True, slots=True)
class RunOutcome:
    job_id: str
    ok: bool
    seconds: float
    error: str | None


def job_ids(scheduler: Any) -> list[str]:
    """Stable order for buttons (callback data carries the index, not the name)."""
    ids = {job.id for job in scheduler.get_jobs()} if scheduler is not None else set()
    ids |= {spec.id for spec in collect_jobs()}
    return sorted(ids)


def _job(scheduler: Any, job_id: str) -> Any:
    job = scheduler.get_job(job_id) if scheduler is not None else None
    if job is None:
        raise JobError(job_id)
    return job


async def _audit(services: Any, event: str, admin_id: int, job_id: str, **what: Any) -> None:
    async with services.db.session() as session:
        await audit(session, event, subject=f"job:{job_id}", what=what, actor=f"admin:{admin_id}")


async def run_now(services: Any, job_id: str, admin_id: int) -> RunOutcome:
    job = _job(services.scheduler, job_id)
    func = job.func
    set_current_services(services)  # normally set at start-up; harmless to repeat
    started = time.monotonic()
    try:
        async with asyncio.timeout(RUN_TIMEOUT_S):
            result = func(*job.args, **job.kwargs)
            if inspect.isawaitable(result):
                await result
        outcome = RunOutcome(job_id, True, time.monotonic() - started, None)
    except Exception as exc:  # the admin sees the kind; the log has the traceback
        log.exception("job %s failed when run by admin %s", job_id, admin_id)
        outcome = RunOutcome(job_id, False, time.monotonic() - started, type(exc).__name__)
    await _audit(services, "job.run", admin_id, job_id, ok=outcome.ok, error=outcome.error)
    return outcome


async def pause(services: Any, job_id: str, admin_id: int) -> None:
    _job(services.scheduler, job_id).pause()
    services.admin.paused_jobs.add(job_id)
    await _audit(services, "job.pause", admin_id, job_id)


async def resume(services: Any, job_id: str, admin_id: int) -> None:
    _job(services.scheduler, job_id).resume()
    services.admin.paused_jobs.discard(job_id)
    await _audit(services, "job.resume", admin_id, job_id)
