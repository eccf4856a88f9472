"""Build the market-data hub from settings: `build_market_data(settings, db)`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.market.base import Clock, ReplayClock, SystemClock
from services.market.chain import SourceChain
from services.market.exchange import ExchangeSource, SourceConfig
from services.market.hub import MarketHub
from services.market.replay import DbFrames, FileFrames, ReplayProvider
from services.market.resilience import RetryPolicy
from services.market.sim import SimProvider
from services.market.store import CandleStore

if TYPE_CHECKING:
    from core.config import Settings
    from services.db.engine import Database


def source_config(settings: Settings) -> SourceConfig:
    return SourceConfig(
        rate_limit_per_min=settings.market_rate_limit_per_min,
        retry=RetryPolicy(
            retries=settings.market_retries,
            base_s=settings.market_backoff_base_s,
            max_s=settings.market_backoff_max_s,
            retry_after_max_s=settings.market_retry_after_max_s,
        ),
        breaker_failures=settings.market_breaker_failures,
        breaker_reset_s=settings.market_breaker_reset_s,
        timeout_ms=settings.exchange_timeout_ms,
        market_types=tuple(settings.exchange_market_types),
    )


def build_sources(settings: Settings) -> list[ExchangeSource]:
    config = source_config(settings)
    names = [settings.exchange, *[e for e in settings.fallback_exchanges if e != settings.exchange]]
    return [
        ExchangeSource(name, config, base_url=settings.exchange_url_overrides.get(name))
        for name in dict.fromkeys(names)
    ]


def build_market_data(settings: Settings, db: Database, *, clock: Clock | None = None) -> MarketHub:
    """The hub for `settings.market_data`; replay mode gets a settable `ReplayClock`."""
    from services.market.universe import UniverseService

    mode = settings.market_data
    store = CandleStore(db)
    chain = replay = sim = None
    if mode == "replay":
        frames = (
            DbFrames(store, settings.exchange)
            if settings.replay_data_path == "db"
            else FileFrames(settings.replay_data_path, exchange=settings.exchange)
        )
        clock = clock or ReplayClock(settings.replay_start_ms or 0)
        replay = ReplayProvider(frames, clock, stale_bars=settings.market_stale_bars)
    clock = clock or SystemClock()
    if mode in ("exchange", "auto"):
        chain = SourceChain(
            build_sources(settings),
            store,
            clock,
            ticker_ttl_s=settings.ticker_ttl_s,
            markets_ttl_s=settings.markets_ttl_s,
            markets_file=settings.data_dir / "market" / f"markets-{settings.exchange}.json",
        )
    if mode in ("sim", "auto"):
        sim = SimProvider(settings.sim_seed, clock)
    hub = MarketHub(
        mode=mode,
        clock=clock,
        chain=chain,
        sim=sim,
        replay=replay,
        probe_interval_s=settings.market_probe_interval_s,
    )
    hub.store = store
    hub.universe = UniverseService(hub, db, settings)
    return hub


async def build_for_services(services: Any) -> MarketHub:
    """`services/container.py` BUILDERS entry: ("market", this)."""
    hub = build_market_data(services.settings, services.db)
    if hub.replay is not None and services.settings.replay_start_ms is None:
        await hub.replay.start_at_data_end()
    return hub
