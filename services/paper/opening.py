"""Opening paper positions: pricing, sizing, the pre-trade hook, idempotent insert.

All three entry paths (/trade, a signal's Paper trade button, a backfill entry) end
in `Opener.open`, which
1. returns the existing position when the request key was already used (a retried
   update or a double tap),
2. prices the entry with the shared fill rules (core.fills.entry_price: adverse
   spread/slippage), sizes it, computes fee, liquidation price and risk,
3. asks the pre-trade hook (`RiskCheck`) with no lock held (it may do I/O),
4. inserts the position and its entry fill under the account lock, re-checking the
   free balance with fresh numbers; the UNIQUE request key settles any race.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import fills
from core.accounting import (
    balance,
    direction,
    fee,
    liquidation_price,
    money,
    percent_of,
    position_kind,
    quantity_for_margin,
    risk_at_stop,
    round_qty,
)
from services.accounts.service import AccountService
from services.accounts.store import lock_account, used_margin
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.trading import Fill, Position
from services.paper.book import to_dto
from services.paper.config import PaperConfig
from services.paper.dto import OpenResult, PositionDTO, TradeError
from services.paper.hooks import BasicTradeRules, ChainedRiskCheck, RiskCheck, TradeProposal

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class OpenSpec:
    """What to open. Exactly one of margin, margin_pct, qty sizes it."""

    symbol: str
    side: str
    leverage: int = 1
    margin: Decimal | None = None
    margin_pct: Decimal | None = None  # of the balance
    qty: Decimal | None = None
    stop: Decimal | None = None
    targets: tuple[Decimal, ...] = ()
    timeframe: str | None = None
    source: str = "manual"  # manual | signal | backfill
    signal_id: int | None = None
    atr: Decimal = Decimal(0)  # ATR known at entry (ATR-fraction slippage)
    atr_fraction: Decimal = Decimal(0)
    trail: Decimal = Decimal(0)
    level_source: str = "user"


@dataclass(frozen=True, slots=True)
class Quote:
    """The market at the moment of entry."""

    price: Decimal  # before slippage: the ask for a buy, the bid for a sell
    time_ms: int
    step: Decimal | None = None  # lot step
    min_notional: Decimal | None = None
    simulated: bool = False
    tick: Decimal | None = None  # price tick


class Opener:
    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        config: PaperConfig,
        clock: Callable[[], int],
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._config = config
        self._now_ms = clock
        self._basic = BasicTradeRules()
        self.risk_check: RiskCheck = self._basic
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}

    def set_risk_check(self, check: RiskCheck | None) -> None:
        """Plug in the risk rules; order validity (BasicTradeRules) always runs first."""
        self.risk_check = self._basic if check is None else ChainedRiskCheck(self._basic, check)

    def _lock(self, user_id: int, mode: str) -> asyncio.Lock:
        return self._locks.setdefault((user_id, mode), asyncio.Lock())

    async def by_request_key(self, request_key: str) -> PositionDTO | None:
        async with self._db.session() as session:
            row = await session.scalar(select(Position).where(Position.request_key == request_key))
            return None if row is None else to_dto(row)

    async def replay(self, user_id: int, request_key: str, mode: str) -> OpenResult | None:
        """The result of an already-used request key (a double tap), or None."""
        existing = await self.by_request_key(request_key)
        return None if existing is None else await self._duplicate(user_id, existing, mode)

    async def _duplicate(self, user_id: int, existing: PositionDTO, mode: str) -> OpenResult:
        if existing.user_id != user_id:
            raise TradeError("trade-err-duplicate")
        account = await self._accounts.get(user_id, mode)
        return OpenResult(
            position=existing,
            duplicate=True,
            account=account,
            risk_pct=_risk_pct(existing.risk_amount, account.balance),
            entry_fee=existing.fees if existing.is_open else Decimal(0),
            notional=money(existing.entry_price * existing.qty),
            level_source="user",
        )

    async def open(
        self, user_id: int, spec: OpenSpec, quote: Quote, request_key: str, mode: str = "paper"
    ) -> OpenResult:
        async with self._lock(user_id, mode):
            replayed = await self.replay(user_id, request_key, mode)
            if replayed is not None:
                return replayed
            account = await self._accounts.get(user_id, mode)
            if account.balance <= 0:
                raise TradeError("trade-err-no-deposit")
            cfg = self._config
            side = direction(spec.side)  # type: ignore[arg-type]
            entry = money(
                fills.entry_price(quote.price, side, cfg.slippage_bps, spec.atr, spec.atr_fraction)
            )
            step = quote.step  # None: six significant digits (core.sizing)
            if spec.qty is not None:
                qty = round_qty(spec.qty, step)
            else:
                margin_amount = spec.margin
                if margin_amount is None:
                    margin_amount = account.balance * (spec.margin_pct or Decimal(0)) / HUNDRED
                qty = quantity_for_margin(margin_amount, spec.leverage, entry, step)
            rate = cfg.fee_rate(spec.leverage, spec.side)
            notional = money(entry * qty)
            margin = money(notional / spec.leverage)
            entry_fee = fee(entry, qty, rate)
            liq = liquidation_price(entry, spec.side, spec.leverage, cfg.mmr)  # type: ignore[arg-type]
            risk = risk_at_stop(spec.side, entry, spec.stop, qty, rate)  # type: ignore[arg-type]
            proposal = TradeProposal(
                user_id=user_id,
                trade_mode=mode,
                source=spec.source,
                signal_id=spec.signal_id,
                symbol=spec.symbol,
                side=spec.side,
                kind=position_kind(spec.leverage, spec.side),  # type: ignore[arg-type]
                leverage=spec.leverage,
                entry=entry,
                qty=qty,
                notional=notional,
                margin=margin,
                entry_fee=entry_fee,
                stop=spec.stop,
                targets=spec.targets,
                risk_amount=risk,
                liquidation_price=liq,
                deposit=account.deposit,
                balance=account.balance,
                used_margin=account.used_margin,
                open_positions=account.open_positions,
                min_notional=quote.min_notional,
                time_ms=quote.time_ms,
                currency=account.currency,
                price_tick=quote.tick,
            )
            decision = await self.risk_check.check_new_trade(user_id, proposal)
            if not decision.allowed:
                raise TradeError(decision.reason_key or "trade-err-refused", **decision.params)
            try:
                row = await self._insert(proposal, spec, request_key, rate, quote)
            except IntegrityError:
                existing = await self.by_request_key(request_key)
                if existing is None:
                    raise
                return await self._duplicate(user_id, existing, mode)
            fresh = await self._accounts.get(user_id, mode)
            return OpenResult(
                position=row,
                duplicate=False,
                account=fresh,
                risk_pct=_risk_pct(risk, account.balance),
                entry_fee=entry_fee,
                notional=notional,
                level_source=spec.level_source,
            )

    async def _insert(
        self, p: TradeProposal, spec: OpenSpec, request_key: str, rate: Decimal, quote: Quote
    ) -> PositionDTO:
        targets = (*p.targets, None, None, None)
        async with self._db.session() as session:
            account = await lock_account(session, p.user_id, p.trade_mode, quote.time_ms)
            locked, _ = await used_margin(session, p.user_id, p.trade_mode)
            free = balance(account.deposit, account.realized_pnl, account.fees) - locked
            if p.margin + p.entry_fee > free:
                raise TradeError(
                    "trade-err-insufficient",
                    need=p.money(p.margin + p.entry_fee),
                    free=p.money(free),
                )
            row = Position(
                user_id=p.user_id,
                trade_mode=p.trade_mode,
                source=spec.source,
                signal_id=spec.signal_id,
                request_key=request_key,
                symbol=p.symbol,
                side=p.side,
                kind=p.kind,
                leverage=p.leverage,
                timeframe=spec.timeframe or self._config.monitor_timeframe,
                entry_price=p.entry,
                qty=p.qty,
                remaining_qty=p.qty,
                margin=p.margin,
                fee_rate=rate,
                slippage_bps=self._config.slippage_bps,
                atr=spec.atr,
                atr_fraction=spec.atr_fraction,
                trail=spec.trail,
                stop=p.stop,
                initial_stop=p.stop,
                tp1=targets[0],
                tp2=targets[1],
                tp3=targets[2],
                tps_hit=0,
                liquidation_price=p.liquidation_price,
                risk_amount=p.risk_amount,
                status="open",
                manual_exit=False,
                simulated=quote.simulated,
                realized_pnl=Decimal(0),
                fees=p.entry_fee,
                opened_ms=quote.time_ms,
            )
            session.add(row)
            await session.flush()
            session.add(
                Fill(
                    position_id=row.id,
                    user_id=p.user_id,
                    trade_mode=p.trade_mode,
                    kind="entry",
                    qty=p.qty,
                    price=p.entry,
                    fee=p.entry_fee,
                    pnl=Decimal(0),
                    manual=False,
                    time_ms=quote.time_ms,
                    bar_ms=None,
                    notified=True,  # the opener answers the user directly
                )
            )
            account.fees = account.fees + p.entry_fee
            await audit(
                session,
                "position.open",
                subject=f"position:{row.id}",
                what={"user": p.user_id, "mode": p.trade_mode, "symbol": p.symbol, "side": p.side,
                      "qty": p.qty, "entry": p.entry, "leverage": p.leverage, "margin": p.margin,
                      "fee": p.entry_fee, "stop": p.stop, "targets": list(p.targets),
                      "source": spec.source, "signal_id": spec.signal_id},
            )  # fmt: skip
            return to_dto(row)


def _risk_pct(risk: Decimal | None, bal: Decimal) -> Decimal | None:
    return None if risk is None else percent_of(risk, bal)
