"""Values the risk service hands to handlers, jobs and other services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.risk.flags import is_blocking
from core.risk.limits import RiskLimits


@dataclass(frozen=True, slots=True)
class FlagDTO:
    id: int
    name: str
    user_id: int | None  # None: global
    active: bool
    reason: str | None  # free text (admin)
    reason_key: str | None  # Fluent key (guard/jobs), rendered per reader
    reason_params: dict[str, Any]
    set_by: str
    set_ms: int
    expires_ms: int | None
    cleared_by: str | None
    cleared_ms: int | None
    clear_reason: str | None

    @property
    def is_global(self) -> bool:
        return self.user_id is None

    @property
    def blocking(self) -> bool:
        return is_blocking(self.name)


@dataclass(frozen=True, slots=True)
class Usage:
    """One limit and how much of it is used."""

    name: str  # open_positions | symbols | margin | portfolio_risk | position_share
    used: Decimal
    limit: Decimal


@dataclass(frozen=True, slots=True)
class RiskOverview:
    """What /risk shows."""

    user_id: int
    currency: str
    deposit: Decimal
    capital: Decimal
    usage: list[Usage]
    limits: RiskLimits
    streak: int
    pause_until_ms: int | None
    day_pnl: Decimal
    daily_limit: Decimal
    drawdown: Decimal  # fraction
    peak: Decimal
    equity: Decimal
    flags: list[FlagDTO] = field(default_factory=list)

    @property
    def blocking_flags(self) -> list[FlagDTO]:
        return [f for f in self.flags if f.blocking]


class FlagError(ValueError):
    """A refused flag command; `key` is a Fluent id, `params` its variables."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
