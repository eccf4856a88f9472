"""A user's size suggestion for a signal, from their deposit, risk and leverage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.sizing import SizeSuggestion, suggest_size
from services.signals.dto import SignalDTO, SizeNote
from services.signals.gate import BlockReason
from services.users import UserDTO

PCT = Decimal(100)


async def user_deposit(user: UserDTO, accounts: Any | None) -> Decimal | None:
    """The deposit sizing uses, or None when the user has not set one.

    The accounts service is the only source: a deposit counts once it was set with
    /deposit. Without that service nobody has a deposit, never a silent default.
    """
    if accounts is None:
        return None
    account = await accounts.get(user.id)
    return account.deposit if account.exists and account.deposit > 0 else None


def size_for(
    signal: SignalDTO,
    user: UserDTO,
    deposit: Decimal | None,
    *,
    blocked: BlockReason | None,
    min_notional: float | None,
    qty_step: float | None,
) -> tuple[SizeSuggestion | None, SizeNote]:
    if not signal.issued or signal.entry is None or signal.stop is None:
        return None, "not_issued"
    if blocked is not None:
        return None, "blocked"
    if deposit is None:
        return None, "no_deposit"
    size = suggest_size(
        deposit,
        user.risk_per_trade / PCT,
        signal.entry,
        signal.stop,
        leverage=user.leverage,
        min_notional=min_notional,
        qty_step=qty_step,
    )
    if size.status == "no_deposit":
        return None, "no_deposit"
    return size, size.status


def size_json(size: SizeSuggestion | None) -> dict[str, Any] | None:
    if size is None:
        return None
    return {
        "status": size.status,
        "qty": str(size.qty),
        "notional": str(size.notional),
        "margin": str(size.margin),
        "risk_amount": str(size.risk_amount),
        "capped_by": size.capped_by,
    }
