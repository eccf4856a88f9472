"""Values the paper-trading service hands out (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from services.accounts.dto import AccountDTO

EXIT_KINDS = ("tp1", "tp2", "tp3", "stop", "liquidation", "close")


@dataclass(frozen=True, slots=True)
class PositionDTO:
    id: int
    user_id: int
    trade_mode: str
    source: str
    signal_id: int | None
    symbol: str
    side: str
    kind: str
    leverage: int
    timeframe: str
    entry_price: Decimal
    qty: Decimal
    remaining_qty: Decimal
    margin: Decimal  # initial margin
    stop: Decimal | None
    initial_stop: Decimal | None
    targets: tuple[Decimal, ...]
    tps_hit: int
    liquidation_price: Decimal | None
    risk_amount: Decimal | None
    status: str
    exit_reason: str | None
    manual_exit: bool
    simulated: bool
    realized_pnl: Decimal  # gross, sum of exit fills
    fees: Decimal  # entry and exit fees
    opened_ms: int
    closed_ms: int | None

    @property
    def net_pnl(self) -> Decimal:
        return self.realized_pnl - self.fees

    @property
    def locked_margin(self) -> Decimal:
        """Margin still locked by the remaining quantity."""
        return self.margin * self.remaining_qty / self.qty

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True, slots=True)
class FillDTO:
    id: int
    position_id: int
    user_id: int
    trade_mode: str
    symbol: str
    side: str
    kind: str
    qty: Decimal
    price: Decimal
    fee: Decimal
    pnl: Decimal  # gross
    manual: bool
    time_ms: int
    bar_ms: int | None


@dataclass(frozen=True, slots=True)
class OpenResult:
    position: PositionDTO
    duplicate: bool  # True when the request key had already opened this position
    account: AccountDTO
    risk_pct: Decimal | None  # risk at the stop as % of the balance
    entry_fee: Decimal
    notional: Decimal
    level_source: str  # services.paper.levels.Levels.source


@dataclass(frozen=True, slots=True)
class CloseResult:
    position: PositionDTO
    fill: FillDTO | None  # None when it was already closed


@dataclass(frozen=True, slots=True)
class PositionView:
    """An open position marked to the current price."""

    position: PositionDTO
    mark: Decimal | None
    unrealized_pnl: Decimal | None
    stale: bool
    simulated: bool


@dataclass(frozen=True, slots=True)
class Portfolio:
    account: AccountDTO
    positions: list[PositionView] = field(default_factory=list)

    @property
    def unrealized(self) -> Decimal:
        return sum((v.unrealized_pnl or Decimal(0) for v in self.positions), Decimal(0))

    @property
    def equity(self) -> Decimal:
        return self.account.balance + self.unrealized


@dataclass(frozen=True, slots=True)
class FillEvent:
    """A fill to tell the user about (monitor exits)."""

    fill: FillDTO
    position: PositionDTO


class TradeError(ValueError):
    """A refused trade; `key` is a Fluent id, `params` its variables."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
