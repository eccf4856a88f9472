"""Process plumbing: jobs and their context, the instance lock, log redaction."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.lock import InstanceLock
from bot.logging_setup import JsonFormatter, RedactingFilter
from core.config import ConfigError
from services.jobs import JobSpec, collect_jobs, schedule_jobs
from services.jobs.context import current_services, set_current_services

SEEN: list[object] = []
RAN = asyncio.Event()


async def record_services() -> None:
    SEEN.append(current_services())
    RAN.set()


async def test_job_runs_by_reference_and_reaches_services() -> None:
    marker = object()
    scheduler = AsyncIOScheduler()
    schedule_jobs(
        scheduler,
        [
            JobSpec(
                "test-record",
                f"{__name__}:record_services",
                {"trigger": "interval", "seconds": 0.05},
            )
        ],
    )
    job = scheduler.get_job("test-record")
    assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 60
    set_current_services(marker)  # type: ignore[arg-type]
    scheduler.start()
    try:
        async with asyncio.timeout(5):
            await RAN.wait()
    finally:
        scheduler.shutdown(wait=False)
        set_current_services(None)
    assert SEEN[0] is marker
    with pytest.raises(RuntimeError, match="no running app"):
        current_services()


def test_duplicate_job_ids_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "jobs_a.py").write_text(
        "from services.jobs import JobSpec\n"
        "JOBS = [JobSpec('same', 'x:y', {'trigger': 'interval', 'minutes': 1})]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [job.id for job in collect_jobs(["jobs_a"])] == ["same"]
    with pytest.raises(ValueError, match="duplicate job ids"):
        collect_jobs(["jobs_a", "jobs_a"])


def test_second_instance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tradebot.lock"
    with InstanceLock(path), pytest.raises(ConfigError, match="already running"):
        InstanceLock(path).acquire()
    with InstanceLock(path):  # released: can be taken again
        pass


def test_secrets_are_redacted_from_messages_and_tracebacks() -> None:
    token = "123456:AAsecretTOKENvalue"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (f"/bot{token}/x",), None)
    try:
        raise RuntimeError(f"failed with {token}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter([token]).filter(record)
    line = JsonFormatter().format(record)
    assert token not in line and "/bot***/x" in line and "failed with ***" in line


async def test_first_signal_stops_gracefully_second_interrupt_exits_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import signal

    from bot import runners

    exits: list[int] = []
    monkeypatch.setattr(runners.os, "_exit", exits.append)
    stops: list[bool] = []
    signals = runners.ShutdownSignals(lambda: stops.append(True), timeout_s=0.05)

    signals._handle(signal.SIGTERM)
    signals._handle(signal.SIGTERM)  # repeated SIGTERM: still waiting for the graceful stop
    assert stops == [True] and exits == []
    signals._handle(signal.SIGINT)
    assert exits == [130]
    await asyncio.sleep(0.1)  # the deadline passes: forced exit
    assert exits == [130, 1]
