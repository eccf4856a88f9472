"""The health picture behind /admin and /status, gathered from the running services.

Everything is read from what the services already keep: the users, signals and
positions tables, the market hub's per-source counters and breakers, the candle
cache's coverage, the scheduler, the send queue and the error ring. One failing
probe (say, a table another feature has not migrated yet) leaves its figure empty
instead of failing the whole report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from services.admin.errors import ErrorInfo
from services.db.models.users import User
from services.market.notice import unattended
from services.version import build_commit, package_version

log = logging.getLogger(__name__)
RECENT_SERIES_S = 24 * 3600
PROBE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class SourceHealth:
    name: str
    breaker: str
    latency_ms_avg: float | None
    latency_ms_last: float | None
    requests: int
    failures: int
    cache_hits: int
    cache_misses: int
    stale_served: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: str
    next_run: datetime | None
    paused: bool


@dataclass(frozen=True, slots=True)
class HealthReport:
    db_ok: bool
    users_total: int | None
    active_24h: int | None
    active_7d: int | None
    blocked_bot: int | None
    signals_today: int | None
    delivered_today: int | None
    open_positions: int | None
    data_state: str  # "live" | "simulated" | "replay" | "stale" | "down"
    data_source: str
    sources: list[SourceHealth]
    stale_symbols: list[str]
    scheduler_running: bool
    jobs: list[JobInfo]
    queue_pending: int | None
    send_p50_ms: float | None
    send_p95_ms: float | None
    delivery_p50_ms: int | None
    errors: list[ErrorInfo]
    version: str
    commit: str
    uptime_s: float
    # codes: "database", "market-stale", "market-down", "scheduler" (texts: admin.ftl)
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def _day_start_ms(now: datetime) -> int:
    return int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)


async def _scalar(session: Any, statement: Any) -> int | None:
    try:
        return int(await session.scalar(statement) or 0)
    except Exception:
        log.debug("health probe failed", exc_info=True)
        await session.rollback()
        return None


async def _db_figures(services: Any) -> dict[str, int | None]:
    now = datetime.now(UTC)
    today_ms = _day_start_ms(now)
    out: dict[str, int | None] = {}
    async with services.db.sessions() as session:
        count = select(func.count()).select_from(User)
        out["users_total"] = await _scalar(session, count)
        out["active_24h"] = await _scalar(
            session, count.where(User.last_seen_at >= now - timedelta(days=1))
        )
        out["active_7d"] = await _scalar(
            session, count.where(User.last_seen_at >= now - timedelta(days=7))
        )
        out["blocked_bot"] = await _scalar(session, count.where(User.is_blocked.is_(True)))
        out["signals_today"] = await _scalar(
            session,
            text("SELECT count(*) FROM signals WHERE status != 'neutral' AND created_ms >= :t")
            .bindparams(t=today_ms),
        )  # fmt: skip
        out["delivered_today"] = await _scalar(
            session,
            text("SELECT count(*) FROM signal_deliveries WHERE status = 'sent' "
                 "AND delivered_ms >= :t").bindparams(t=today_ms),
        )  # fmt: skip
        out["open_positions"] = await _scalar(
            session, text("SELECT count(*) FROM positions WHERE status = 'open'")
        )
    return out


def _sources(market: Any) -> list[SourceHealth]:
    out = []
    for name, stats in market.stats().items():
        if name.startswith("_"):
            continue
        out.append(
            SourceHealth(
                name=name,
                breaker=str(stats.get("breaker", "-")),
                latency_ms_avg=stats.get("latency_ms_avg"),
                latency_ms_last=stats.get("latency_ms_last"),
                requests=int(stats.get("requests", 0)),
                failures=int(stats.get("failures", 0)),
                cache_hits=int(stats.get("cache_hits", 0)),
                cache_misses=int(stats.get("cache_misses", 0)),
                stale_served=int(stats.get("stale_served", 0)),
                last_error=stats.get("last_error"),
            )
        )
    return out


async def stale_symbols(services: Any) -> list[str]:
    """Series the bot has been serving (touched in the last day) whose newest cached
    candle is more than `market_stale_bars` bars behind the market clock."""
    market = services.market
    if market is None or market.store is None or market.chain is None:
        return []
    now_ms = market.clock.now_ms()
    recent = datetime.now(UTC) - timedelta(seconds=RECENT_SERIES_S)
    try:
        series = await market.store.all_series(exchange=market.chain.primary.name)
    except Exception:
        log.debug("stale probe failed", exc_info=True)
        return []
    stale = {
        f"{s.symbol} {s.timeframe}"
        for s in series
        if s.updated_at >= recent and s.is_stale(now_ms, services.settings.market_stale_bars)
    }
    return sorted(stale)


async def probe(market: Any) -> bool:
    """Ask for the market list (cached for MARKETS_TTL_S, so usually free): in auto mode
    this is what notices an unreachable exchange and switches to the sim, so the state
    shown is the one a user's next request would get. False if it failed. The report
    names the data source itself, so the probe sends no fallback notice."""
    try:
        with unattended():
            async with asyncio.timeout(PROBE_TIMEOUT_S):
                await market.markets()
    except Exception:
        log.info("health: market probe failed", exc_info=True)
        return False
    return True


def data_state(
    market: Any, sources: list[SourceHealth], stale: list[str], *, reachable: bool = True
) -> str:
    if market is None:
        return "down"
    if market.mode == "replay":
        return "replay"
    if market.serving_sim:
        return "simulated"
    if not reachable or stale or (sources and all(s.breaker == "open" for s in sources)):
        return "stale"
    return "live"


def list_jobs(scheduler: Any, paused: set[str] | frozenset[str] = frozenset()) -> list[JobInfo]:
    """Scheduled jobs by id; a job not yet started by the scheduler has no next run."""
    if scheduler is None:
        return []
    jobs = [
        JobInfo(job.id, getattr(job, "next_run_time", None), job.id in paused)
        for job in scheduler.get_jobs()
    ]
    return sorted(jobs, key=lambda j: j.id)


async def collect(services: Any) -> HealthReport:
    problems: list[str] = []
    try:
        figures = await _db_figures(services)
        db_ok = figures.get("users_total") is not None
    except Exception:
        log.warning("health: database unreachable", exc_info=True)
        figures, db_ok = {}, False
    if not db_ok:
        problems.append("database")
    market = services.market
    reachable = await probe(market) if market is not None else False
    sources = _sources(market) if market is not None else []
    stale = await stale_symbols(services)
    state = data_state(market, sources, stale, reachable=reachable)
    if state in ("stale", "down"):
        problems.append(f"market-{state}")
    scheduler = services.scheduler
    running = bool(scheduler is not None and scheduler.running)
    if services.settings.scheduler_enabled and not running:
        problems.append("scheduler")
    admin = getattr(services, "admin", None)
    sender = services.sender
    stats = sender.stats() if sender is not None else None
    return HealthReport(
        db_ok=db_ok,
        users_total=figures.get("users_total"),
        active_24h=figures.get("active_24h"),
        active_7d=figures.get("active_7d"),
        blocked_bot=figures.get("blocked_bot"),
        signals_today=figures.get("signals_today"),
        delivered_today=figures.get("delivered_today"),
        open_positions=figures.get("open_positions"),
        data_state=state,
        data_source=market.source_name if market is not None else "-",
        sources=sources,
        stale_symbols=stale,
        scheduler_running=running,
        jobs=list_jobs(scheduler, admin.paused_jobs if admin else frozenset()),
        queue_pending=stats.pending if stats else None,
        send_p50_ms=admin.send_latency.percentile(0.5) if admin else None,
        send_p95_ms=admin.send_latency.percentile(0.95) if admin else None,
        delivery_p50_ms=stats.latency_p50_ms if stats else None,
        errors=admin.errors.recent(5) if admin else [],
        version=package_version(),
        commit=build_commit(),
        uptime_s=time.monotonic() - services.started_monotonic,
        problems=problems,
    )
