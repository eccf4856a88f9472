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

    async def signal_lookup(signal_id: int, user_id: int) -> Any:
        """The signal if it is still open and was shown to this user."""
        signals = services.signals
        if signals is None:
            return None
        from services.signals.errors import SignalNotFound

        try:
            signal = await signals.for_user(signal_id, user_id)
        except SignalNotFound:
            return None
        return signal if signal.is_open else None

    async def signal_levels(symbol: str) -> Any:
        """The newest open, issued signal for the symbol (None without one)."""
        signals = services.signals
        return None if signals is None else await signals.current_for_symbol(symbol)

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
