"""`/healthz`: the cheap liveness picture a load balancer or Docker polls.

Healthy (200) means this instance can serve: the database answers, Redis answers
(when configured), and the scheduler runs where it should (per RUN_SCHEDULER).
Exchange breakers are reported but do not make the instance unhealthy: a restart
cannot fix an exchange outage, and the bot keeps answering with stale/simulated
data meanwhile (the body says "degraded").
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from services.ops.runtime import Ops

PROBE_TIMEOUT_S = 2.0


async def _timed(probe: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            await probe()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


async def health(ops: Ops) -> tuple[bool, dict[str, Any]]:
    services = ops.services

    async def db() -> None:
        async with services.db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    checks: dict[str, Any] = {"database": await _timed(db)}
    if ops.redis is not None:
        redis = ops.redis
        checks["redis"] = await _timed(redis.ping)
    control = ops.control
    checks["scheduler"] = {
        "ok": control.alive,
        "mode": control.mode,
        "leader": control.leading,
        "running": bool(control.scheduler.running),
        **({"error": control.last_error} if control.last_error else {}),
    }
    breakers: dict[str, str] = {}
    market = services.market
    if market is not None:
        for name, stats in market.stats().items():
            if not name.startswith("_"):
                breakers[name] = str(stats.get("breaker", "closed")).rsplit(".", 1)[-1].lower()
    ok = all(check["ok"] for check in checks.values())
    degraded = any(state != "closed" for state in breakers.values())
    body = {
        "ok": ok,
        "status": "ok" if ok and not degraded else ("degraded" if ok else "unhealthy"),
        "instance": ops.instance,
        "checks": checks,
        "breakers": breakers,
        "market_data": getattr(market, "mode", None),
        "uptime_s": round(time.monotonic() - services.started_monotonic, 1),
    }
    return ok, body
