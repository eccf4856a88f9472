"""`services/container.py` BUILDERS entry:
("signals", "services.signals.factory:build_signal_service"), after market, accounts
and sender. The risk feature plugs its gate in with `services.signals.set_gate(...)`.
"""

from __future__ import annotations

from typing import Any

from services.ai.explainer import ClaudeExplainer
from services.signals.service import SignalService


def build_explainer(settings: Any) -> ClaudeExplainer:
    return ClaudeExplainer(
        settings.anthropic_api_key,
        model=settings.anthropic_model,
        base_url=settings.anthropic_base_url or None,
        timeout_s=settings.explain_timeout_s,
        max_tokens=settings.explain_max_tokens,
    )


def build_signal_service(services: Any) -> SignalService:
    if services.market is None:
        raise RuntimeError("the signals service needs market data: build 'market' first")
    return SignalService(
        db=services.db,
        market=services.market,
        users=services.users,
        catalog=services.i18n,
        settings=services.settings,
        explainer=build_explainer(services.settings),
        accounts=services.accounts,
        sender=services.sender,
        gate=services.risk if _is_gate(services.risk) else None,
    )


def _is_gate(candidate: Any) -> bool:
    from services.signals.gate import SignalGate

    return candidate is not None and isinstance(candidate, SignalGate)
