"""Prometheus metrics for one running app (`/metrics`).

Each app gets its own `CollectorRegistry` (several apps share one process in
tests). Event counts and latencies are recorded as they happen by the update
and Bot-session middlewares below; figures other services already keep (send
queue, exchange sources) are read at scrape time by `ServiceCollector`; the
open-position count needs the database, so `refresh()` reads it (async) just
before each scrape.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import text

if TYPE_CHECKING:
    from aiogram import Bot

    from services.container import Services

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Bot API calls that put something in a chat.
SENDING = frozenset(
    {
        "SendMessage",
        "SendPhoto",
        "SendDocument",
        "EditMessageText",
        "EditMessageCaption",
        "EditMessageReplyMarkup",
    }
)


def update_type(update: Update) -> str:
    return update.event_type or "unknown"


class ServiceCollector(Collector):
    """Send queue and exchange figures, read from the services when scraped."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Any]:
        sender = self.services.sender
        if sender is not None:
            stats = sender.stats()
            yield GaugeMetricFamily(
                "tradebot_send_queue_length", "Messages waiting in the send queue", stats.pending
            )
            results = CounterMetricFamily(
                "tradebot_send_queue_results", "Send queue outcomes", labels=["status"]
            )
            for status in ("sent", "failed", "blocked", "retry_after", "transient_retries"):
                results.add_metric([status], getattr(stats, status))
            yield results
            delivery = GaugeMetricFamily(
                "tradebot_delivery_latency_ms",
                "Origin (e.g. candle close) to delivery, recent percentiles",
                labels=["quantile"],
            )
            for q, value in (("0.5", stats.latency_p50_ms), ("0.95", stats.latency_p95_ms)):
                if value is not None:
                    delivery.add_metric([q], value)
            yield delivery
        market = self.services.market
        if market is None:
            return
        requests = CounterMetricFamily(
            "tradebot_exchange_requests", "Exchange API requests", labels=["source"]
        )
        errors = CounterMetricFamily(
            "tradebot_exchange_errors", "Exchange API errors", labels=["source", "kind"]
        )
        latency = GaugeMetricFamily(
            "tradebot_exchange_latency_ms", "Exchange API latency", labels=["source", "stat"]
        )
        breaker = GaugeMetricFamily(
            "tradebot_exchange_breaker_open", "1 when the source's breaker is open",
            labels=["source", "state"],
        )  # fmt: skip
        for name, stats in market.stats().items():
            if name.startswith("_"):
                continue
            requests.add_metric([name], float(stats.get("requests", 0)))
            for kind, count in dict(stats.get("errors_by_kind") or {}).items():
                errors.add_metric([name, kind], float(count))
            for stat in ("avg", "last"):
                value = stats.get(f"latency_ms_{stat}")
                if value is not None:
                    latency.add_metric([name, stat], float(value))
            state = str(stats.get("breaker", "closed")).rsplit(".", 1)[-1].lower()
            breaker.add_metric([name, state], 1.0 if state == "open" else 0.0)
        yield from (requests, errors, latency, breaker)


class OpsMetrics:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "tradebot_updates", "Updates handled", ["type", "outcome"], registry=r
        )
        self.update_seconds = Histogram(
            "tradebot_update_handling_seconds", "Time to handle one update",
            ["type"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.duplicates = Counter(
            "tradebot_updates_duplicate", "Webhook updates seen before", ["state"], registry=r
        )
        self.telegram = Counter(
            "tradebot_telegram_requests", "Bot API calls", ["method", "outcome"], registry=r
        )
        self.telegram_seconds = Histogram(
            "tradebot_telegram_request_seconds", "Bot API call latency",
            ["method"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.messages_sent = Counter(
            "tradebot_messages_sent", "Messages sent or edited in chats", ["method"], registry=r
        )
        self.open_positions = Gauge(
            "tradebot_open_positions", "Open paper positions", ["mode"], registry=r
        )
        self.leader = Gauge(
            "tradebot_scheduler_leader", "1 when this instance runs the scheduler", registry=r
        )
        self.up_since = Gauge(
            "tradebot_start_time_seconds", "Unix time the app started", registry=r
        )
        self.up_since.set(time.time())
        r.register(ServiceCollector(services))

    async def refresh(self, *, leading: bool) -> None:
        self.leader.set(1 if leading else 0)
        try:
            async with self.services.db.sessions() as session:
                rows = await session.execute(
                    text("SELECT trade_mode, count(*) FROM positions "
                         "WHERE status = 'open' GROUP BY trade_mode")
                )  # fmt: skip
                counts = {str(mode): int(n) for mode, n in rows}
        except Exception:
            log.debug("open positions probe failed", exc_info=True)
            return
        for mode in {*counts, "paper"}:
            self.open_positions.labels(mode).set(counts.get(mode, 0))

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # --- middlewares -----------------------------------------------------------------
    def update_middleware(self) -> UpdateTimer:
        return UpdateTimer(self)

    def request_middleware(self) -> TelegramTimer:
        return TelegramTimer(self)


class UpdateTimer(BaseMiddleware):
    """Outermost update middleware: counts every update and times its handling."""

    def __init__(self, metrics: OpsMetrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = update_type(event) if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "ok"
            return result
        finally:
            self.metrics.update_seconds.labels(kind).observe(time.perf_counter() - started)
            self.metrics.updates.labels(kind, outcome).inc()


class TelegramTimer(BaseRequestMiddleware):
    """Bot session middleware: latency and outcome of every Bot API call."""

    def __init__(self, metrics: OpsMetrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = type(method).__name__
        if name == "GetUpdates":  # long polls would swamp the latency histogram
            return await make_request(bot, method)
        started = time.perf_counter()
        outcome = "error"
        try:
            response = await make_request(bot, method)
            outcome = "ok"
            return response
        finally:
            self.metrics.telegram_seconds.labels(name).observe(time.perf_counter() - started)
            self.metrics.telegram.labels(name, outcome).inc()
            if outcome == "ok" and name in SENDING:
                self.metrics.messages_sent.labels(name).inc()
