"""Builders for `services/container.py` BUILDERS: ("accounts", ...), ("paper", ...).

Paper trading reads signals lazily through the container at call time, so the build
order of `signals` and `paper` does not matter. A risk service that satisfies
`RiskCheck` and is already built is plugged in here; one built later plugs itself
in with `services.paper.set_risk_check(...)`.
"""

from __future__ import annotations

from typing import Any

from services.accounts.service import AccountService
from services.market.base import SystemClock
from services.paper.config import PaperConfig
from services.paper.hooks import RiskCheck
from services.paper.service import PaperService


def build_accounts(services: Any) -> AccountService:
    market = services.market
    clock = market.clock.now_ms if market is not None else SystemClock().now_ms
    return AccountService(services.db, clock)


def build_paper(services: Any) -> PaperService:
    if services.market is None:
        raise RuntimeError("paper trading needs market data: build 'market' first")
    accounts = services.accounts or build_accounts(services)

    async def signal_lookup(signal_id: int) -> Any:
        signals = services.signals
        if signals is None:
            return None
        signal = await signals.get(signal_id)
        if signal is None or not getattr(signal, "is_open", True):
            return None
        return signal

    async def signal_levels(symbol: str) -> Any:
        """The newest open, issued signal for the symbol (None without one)."""
        signals = services.signals
        if signals is None:
            return None
        finder = getattr(signals, "current_for_symbol", None)
        if finder is not None:
            return await finder(symbol)
        from services.signals import store

        async with services.db.session() as session:
            candidates = [
                s for s in await store.open_signals(session) if s.symbol == symbol and s.issued
            ]
        return max(candidates, key=lambda s: s.created_ms, default=None)

    async def user_settings(user_id: int) -> Any:
        return await services.users.get(user_id)

    paper = PaperService(
        services.db,
        services.market,
        accounts,
        PaperConfig.from_settings(services.settings),
        signal_lookup=signal_lookup,
        signal_levels=signal_levels,
        user_settings=user_settings,
    )
    if isinstance(services.risk, RiskCheck):
        paper.set_risk_check(services.risk)
    return paper
