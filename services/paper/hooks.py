"""The pre-trade hook: the seam between paper trading and the risk rules.

Every new position (a /trade, a signal's Paper trade button, a backfill entry) is
described as a `TradeProposal` and passed to `RiskCheck.check_new_trade` before any
row is written. `BasicTradeRules` enforces only what belongs to order validity
(minimum notional, leverage bounds, stop and targets on the correct side, enough free
balance); it always runs first. A risk service plugged in with
`PaperService.set_risk_check` runs after it and may refuse with its own reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, runtime_checkable

from core.accounting import stop_on_correct_side, target_on_correct_side
from services.accounts.dto import Money, Price

MIN_LEVERAGE = 1
MAX_LEVERAGE = 125


@dataclass(frozen=True, slots=True)
class TradeProposal:
    """A fully priced position that is about to be opened (all money in Decimal)."""

    user_id: int
    trade_mode: str  # paper | backfill | live
    source: str  # manual | signal | backfill
    signal_id: int | None
    symbol: str
    side: str  # long | short
    kind: str  # spot | perp
    leverage: int
    entry: Decimal  # expected fill price including slippage
    qty: Decimal
    notional: Decimal  # entry * qty
    margin: Decimal  # notional / leverage
    entry_fee: Decimal
    stop: Decimal | None
    targets: tuple[Decimal, ...]
    risk_amount: Decimal | None  # loss at the stop incl. exit fee
    liquidation_price: Decimal | None
    deposit: Decimal
    balance: Decimal  # deposit + realized - fees
    used_margin: Decimal  # margin of positions already open
    open_positions: int
    min_notional: Decimal | None
    time_ms: int
    currency: str = "USDT"  # of the account: refusals name money with it
    price_tick: Decimal | None = None  # the market's tick: refusals write prices to it

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency)

    def price(self, value: Decimal) -> Price:
        return Price(value, self.price_tick)


@dataclass(frozen=True, slots=True)
class RiskDecision:
    allowed: bool
    reason_key: str | None = None  # a Fluent message id explaining a refusal
    params: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def allow(cls) -> RiskDecision:
        return cls(True)

    @classmethod
    def refuse(cls, reason_key: str, **params: object) -> RiskDecision:
        return cls(False, reason_key, params)


@runtime_checkable
class RiskCheck(Protocol):
    async def check_new_trade(self, user_id: int, proposal: TradeProposal) -> RiskDecision: ...


class BasicTradeRules:
    """Order validity: what any broker would refuse regardless of risk appetite."""

    async def check_new_trade(self, user_id: int, proposal: TradeProposal) -> RiskDecision:
        p = proposal
        if not MIN_LEVERAGE <= p.leverage <= MAX_LEVERAGE:
            return RiskDecision.refuse("trade-err-leverage", value=p.leverage, max=MAX_LEVERAGE)
        if p.qty <= 0:
            return RiskDecision.refuse("trade-err-qty-zero")
        money, price = p.money, p.price
        if p.min_notional is not None and p.notional < p.min_notional:
            return RiskDecision.refuse(
                "trade-err-min-notional", notional=money(p.notional), min=money(p.min_notional)
            )
        if p.stop is not None and not stop_on_correct_side(p.side, p.entry, p.stop):  # type: ignore[arg-type]
            return RiskDecision.refuse(
                "trade-err-stop-side", side=p.side, stop=price(p.stop), entry=price(p.entry)
            )
        for target in p.targets:
            if not target_on_correct_side(p.side, p.entry, target):  # type: ignore[arg-type]
                return RiskDecision.refuse(
                    "trade-err-tp-side", side=p.side, tp=price(target), entry=price(p.entry)
                )
        ordered = list(p.targets) == sorted(p.targets, reverse=p.side == "short")
        if not ordered or len(set(p.targets)) != len(p.targets):
            return RiskDecision.refuse("trade-err-tp-order")
        if p.balance <= 0:
            return RiskDecision.refuse("trade-err-no-deposit")
        free = p.balance - p.used_margin
        if p.margin + p.entry_fee > free:
            return RiskDecision.refuse(
                "trade-err-insufficient", need=money(p.margin + p.entry_fee), free=money(free)
            )
        return RiskDecision.allow()


class ChainedRiskCheck:
    """Runs checks in order and returns the first refusal."""

    def __init__(self, *checks: RiskCheck) -> None:
        self.checks = checks

    async def check_new_trade(self, user_id: int, proposal: TradeProposal) -> RiskDecision:
        for check in self.checks:
            decision = await check.check_new_trade(user_id, proposal)
            if not decision.allowed:
                return decision
        return RiskDecision.allow()
