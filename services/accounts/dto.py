"""Values the accounts service hands to handlers and other services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.accounting import balance


@dataclass(frozen=True, slots=True)
class AccountDTO:
    user_id: int
    currency: str
    deposit: Decimal
    realized_pnl: Decimal
    fees: Decimal
    used_margin: Decimal
    open_positions: int
    exists: bool  # False until the first /deposit

    @property
    def balance(self) -> Decimal:
        """Deposit + realized PnL - fees (unrealized PnL is not part of it)."""
        return balance(self.deposit, self.realized_pnl, self.fees)

    @property
    def free(self) -> Decimal:
        """Balance not locked as margin of open positions."""
        return self.balance - self.used_margin


@dataclass(frozen=True, slots=True)
class LedgerEntryDTO:
    id: int
    kind: str
    amount: Decimal
    deposit_after: Decimal
    balance_after: Decimal
    time_ms: int


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a refusal's variables; handlers render it "1,234.50 USDT"."""

    amount: Decimal
    currency: str = "USDT"


@dataclass(frozen=True, slots=True)
class Price:
    """A price in a refusal's variables; rendered to the market tick when it is known."""

    value: Decimal
    tick: Decimal | None = None


class AccountError(ValueError):
    """A refused deposit change; `key` is a Fluent id, `params` its variables."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
