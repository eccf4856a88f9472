"""The start-up build card: what is running, in one log line, never a secret."""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import Any

from core.audit_chain import canonical_json
from services.version import build_commit, package_version

log = logging.getLogger("tradebot.build")

LIMIT_PREFIXES = ("risk_max", "throttle_", "send_", "max_", "paper_", "backup_")


def build_card(services: Any) -> dict[str, Any]:
    settings = services.settings
    limits = {
        name: str(getattr(settings, name))
        for name in type(settings).model_fields
        if name.startswith(LIMIT_PREFIXES)
    }
    features = sorted(
        f.name
        for f in fields(services)
        if f.name not in ("settings", "db", "i18n", "users", "scheduler", "started_monotonic")
        and getattr(services, f.name) is not None
    )
    switches = {
        "scheduler": settings.scheduler_enabled,
        "ai_explanations": settings.anthropic_api_key is not None,
        "redis": settings.redis_url is not None,
        "webhook": settings.webhook_base_url is not None,
        "admins": len(settings.admin_ids),
    }
    market = services.market
    return {
        "version": package_version(),
        "commit": build_commit(),
        "market_data": settings.market_data,
        "market_source": market.source_name if market is not None else None,
        "exchange": settings.exchange,
        "database": settings.database_url.split("://", 1)[0],
        "features": features,
        "switches": switches,
        "limits": limits,
    }


def log_build_card(services: Any) -> dict[str, Any]:
    card = build_card(services)
    log.info("build card %s", canonical_json(card))
    return card
