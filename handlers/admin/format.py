"""Text of the health picture (/admin) and of /status."""

from __future__ import annotations

from datetime import datetime

from handlers.render import escape, format_duration
from services.admin.health import HealthReport
from services.i18n import Translator


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "—"


def num(value: int | None) -> int | str:
    """A count for Fluent (an int, so it is grouped and plurals work), or a dash."""
    return "—" if value is None else value


# Sources whose name says no more than the data state ("simulated (sim)").
_SELF_EVIDENT_SOURCES = {"sim", "replay", "-", ""}


def data_line(key: str, report: HealthReport, i18n: Translator) -> str:
    """ "Market data: live (binance)"; the source is named only when it adds something."""
    state = i18n(f"status-data-{report.data_state}")
    if report.data_source in _SELF_EVIDENT_SOURCES:
        return i18n(key, state=state)
    return i18n(f"{key}-source", state=state, source=escape(report.data_source))


def breaker(state: str, i18n: Translator) -> str:
    key = f"admin-breaker-{state.replace('_', '-')}"
    return i18n(key) if i18n.catalog.has(key, i18n.locale) else escape(state)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def render_health(report: HealthReport, i18n: Translator) -> str:
    lines = [
        i18n("admin-health-title", state=i18n(f"admin-state-{'ok' if report.healthy else 'bad'}")),
        i18n("admin-health-build", version=escape(report.version), commit=escape(report.commit),
             uptime=format_duration(report.uptime_s, i18n)),
        "",
        i18n("admin-health-users", total=num(report.users_total), day=num(report.active_24h),
             week=num(report.active_7d), blocked=num(report.blocked_bot)),
        i18n("admin-health-signals", issued=num(report.signals_today),
             delivered=num(report.delivered_today)),
        i18n("admin-health-positions", open=num(report.open_positions)),
        "",
        data_line("admin-health-data", report, i18n),
    ]  # fmt: skip
    for s in report.sources:
        lines.append(
            i18n("admin-health-source", name=escape(s.name), breaker=breaker(s.breaker, i18n),
                 latency=ms(s.latency_ms_avg), last=ms(s.latency_ms_last),
                 hits=s.cache_hits, misses=s.cache_misses, failures=s.failures,
                 stale=s.stale_served)
        )  # fmt: skip
        if s.last_error:
            lines.append(i18n("admin-health-source-error", error=escape(s.last_error[:120])))
    stale = ", ".join(escape(x) for x in report.stale_symbols[:10]) or "—"
    lines.append(i18n("admin-health-stale", symbols=stale, count=len(report.stale_symbols)))
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
        lines.append(i18n("admin-health-errors", count=len(report.errors)))
        for err in report.errors:
            lines.append(i18n("admin-health-error", ref=escape(err.ref), at=when(err.at),
                              kind=escape(err.kind)))  # fmt: skip
    else:
        lines.append(i18n("admin-health-no-errors"))
    if report.problems:
        problems = ", ".join(i18n(f"admin-problem-{code}") for code in report.problems)
        lines.append(i18n("admin-health-problems", problems=problems))
    return "\n".join(lines)


def render_status(report: HealthReport, i18n: Translator) -> str:
    lines = [
        i18n("status-healthy" if report.healthy else "status-unhealthy"),
        data_line("status-data", report, i18n),
        i18n("status-uptime", uptime=format_duration(report.uptime_s, i18n)),
    ]  # fmt: skip
    if report.data_state == "stale" and report.stale_symbols:
        lines.append(i18n("status-stale-symbols", count=len(report.stale_symbols)))
    return "\n".join(lines)
