"""Text of the health picture (/admin) and of /status."""

from __future__ import annotations

from datetime import datetime

from handlers.common.admin import format_uptime
from handlers.render import escape
from services.admin.health import HealthReport
from services.i18n import Translator


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "—"


def num(value: object) -> str:
    return "—" if value is None else str(value)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def render_health(report: HealthReport, i18n: Translator) -> str:
    lines = [
        i18n("admin-health-title", state=i18n(f"admin-state-{'ok' if report.healthy else 'bad'}")),
        i18n("admin-health-build", version=escape(report.version), commit=escape(report.commit),
             uptime=format_uptime(report.uptime_s)),
        "",
        i18n("admin-health-users", total=num(report.users_total), day=num(report.active_24h),
             week=num(report.active_7d), blocked=num(report.blocked_bot)),
        i18n("admin-health-signals", issued=num(report.signals_today),
             delivered=num(report.delivered_today)),
        i18n("admin-health-positions", open=num(report.open_positions)),
        "",
        i18n("admin-health-data", state=i18n(f"status-data-{report.data_state}"),
             source=escape(report.data_source)),
    ]  # fmt: skip
    for s in report.sources:
        lines.append(
            i18n("admin-health-source", name=escape(s.name), breaker=escape(s.breaker),
                 latency=ms(s.latency_ms_avg), last=ms(s.latency_ms_last),
                 hits=str(s.cache_hits), misses=str(s.cache_misses), failures=str(s.failures),
                 stale=str(s.stale_served))
        )  # fmt: skip
        if s.last_error:
            lines.append(i18n("admin-health-source-error", error=escape(s.last_error[:120])))
    stale = ", ".join(escape(x) for x in report.stale_symbols[:10]) or "—"
    lines.append(i18n("admin-health-stale", symbols=stale, count=str(len(report.stale_symbols))))
    running = "admin-scheduler-running" if report.scheduler_running else "admin-scheduler-stopped"
    lines += ["", i18n("admin-health-scheduler", state=i18n(running))]
    for job in report.jobs:
        state = i18n("admin-job-state-paused") if job.paused else when(job.next_run)
        lines.append(i18n("admin-health-job", id=escape(job.id), next=state))
    lines += [
        "",
        i18n("admin-health-queue", pending=num(report.queue_pending),
             p50=ms(report.send_p50_ms), p95=ms(report.send_p95_ms),
             delivery=ms(report.delivery_p50_ms)),
    ]  # fmt: skip
    if report.errors:
        lines.append(i18n("admin-health-errors", count=str(len(report.errors))))
        for err in report.errors:
            lines.append(i18n("admin-health-error", ref=escape(err.ref), at=when(err.at),
                              kind=escape(err.kind)))  # fmt: skip
    else:
        lines.append(i18n("admin-health-no-errors"))
    if report.problems:
        lines.append(i18n("admin-health-problems", problems=escape(", ".join(report.problems))))
    return "\n".join(lines)


def render_status(report: HealthReport, i18n: Translator) -> str:
    lines = [
        i18n("status-healthy" if report.healthy else "status-unhealthy"),
        i18n("status-data", state=i18n(f"status-data-{report.data_state}"),
             source=escape(report.data_source)),
        i18n("status-uptime", uptime=format_uptime(report.uptime_s)),
    ]  # fmt: skip
    if report.data_state == "stale" and report.stale_symbols:
        lines.append(i18n("status-stale-symbols", count=str(len(report.stale_symbols))))
    return "\n".join(lines)
