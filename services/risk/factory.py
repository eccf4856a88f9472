"""Builder for `services/container.py` BUILDERS: ("risk", "services.risk.factory:build_risk").

Built after `paper` and `signals`, and plugs itself into both: the paper opener's
pre-trade hook (`PaperService.set_risk_check`) and the signal gate
(`SignalService.set_gate`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.risk.limits import RiskLimits, parse_trading_hours
from services.market.base import SystemClock
from services.risk.correlation import CorrelationSource
from services.risk.flags import FlagStore
from services.risk.service import RiskService

HUNDRED = Decimal(100)


def limits_from_settings(settings: Any) -> RiskLimits:
    return RiskLimits(
        max_open_positions=settings.risk_max_open_positions,
        max_symbols=settings.risk_max_symbols,
        max_position_share=settings.risk_max_position_pct / HUNDRED,
        max_portfolio_risk=settings.risk_max_portfolio_risk_pct / HUNDRED,
        max_margin_share=settings.risk_max_margin_pct / HUNDRED,
        max_correlation=settings.risk_max_correlation,
        correlation_days=settings.risk_correlation_days,
        trading_hours=parse_trading_hours(settings.risk_trading_hours),
        min_notional=settings.risk_min_notional,
        sl_streak=settings.risk_sl_streak,
        sl_cooldown_ms=int(settings.risk_sl_cooldown_hours * 3_600_000),
        daily_loss_share=settings.risk_daily_loss_pct / HUNDRED,
        maxdd_warning=settings.risk_maxdd_warning_pct / HUNDRED,
        maxdd_emergency=settings.risk_maxdd_emergency_pct / HUNDRED,
    )


def build_risk(services: Any) -> RiskService | None:
    paper = services.paper
    if paper is None:
        return None
    limits = limits_from_settings(services.settings)
    market = services.market
    clock = market.clock.now_ms if market is not None else SystemClock().now_ms
    risk = RiskService(
        paper=paper,
        users=services.users,
        catalog=services.i18n,
        flags=FlagStore(services.db, clock),
        limits=limits,
        correlations=(
            CorrelationSource(market, limits.correlation_days, limits.correlation_min_points)
            if market is not None
            else None
        ),
        clock=clock,
    )
    risk.sender = services.sender
    universe = getattr(market, "universe", None)
    if universe is not None:

        async def blocklist() -> list[str]:
            return [item.symbol for item in await universe.list("block")]

        risk.blocklist = blocklist
    paper.set_risk_check(risk)
    if services.signals is not None:
        services.signals.set_gate(risk)
    return risk
