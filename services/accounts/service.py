"""Deposits: show, set, add, withdraw, with an auditable ledger.

Each trade mode has its own account (paper by default; backfill runs trade a separate
one), so results of different modes never share money. This service is the only
source of a user's deposit: signal sizing, risk, reports and /settings read it here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from core.accounting import ZERO, balance
from services.accounts.dto import AccountDTO, AccountError, LedgerEntryDTO, Money
from services.accounts.grammar import DepositCommand
from services.accounts.numbers import MAX_AMOUNT
from services.accounts.store import lock_account, used_margin
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.trading import DepositEntry, TradingAccount


class AccountService:
    """Owns the deposits; balances are derived from fills, never typed in."""

    def __init__(self, db: Database, clock: Callable[[], int]) -> None:
        self._db = db
        self._now_ms = clock

    async def get(self, user_id: int, mode: str = "paper") -> AccountDTO:
        async with self._db.session() as session:
            row = await session.get(TradingAccount, (user_id, mode))
            margin, count = await used_margin(session, user_id, mode)
        if row is None:
            return AccountDTO(user_id, "USDT", ZERO, ZERO, ZERO, margin, count, exists=False)
        return AccountDTO(
            user_id,
            row.currency,
            row.deposit,
            row.realized_pnl,
            row.fees,
            margin,
            count,
            exists=True,
        )

    async def change(
        self, user_id: int, command: DepositCommand, mode: str = "paper"
    ) -> AccountDTO:
        """Apply a set/add/withdraw; refuses with AccountError and changes nothing if
        the deposit or balance would not stay positive, would exceed the ceiling, or a
        withdrawal would take margin locked by open positions."""
        if command.kind == "show":
            return await self.get(user_id, mode)
        now = self._now_ms()
        async with self._db.session() as session:
            account = await lock_account(session, user_id, mode, now)
            if command.kind == "set":
                new_deposit = command.amount
            elif command.kind == "add":
                new_deposit = account.deposit + command.amount
            else:
                new_deposit = account.deposit - command.amount
            delta = new_deposit - account.deposit
            new_balance = balance(new_deposit, account.realized_pnl, account.fees)
            margin, _ = await used_margin(session, user_id, mode)
            cur = account.currency
            if new_deposit > MAX_AMOUNT:
                raise AccountError("deposit-err-too-large", max=Money(MAX_AMOUNT, cur))
            if new_deposit <= 0 or new_balance <= 0:
                raise AccountError("deposit-err-not-positive", balance=Money(new_balance, cur))
            if delta < 0 and new_balance < margin:
                raise AccountError("deposit-err-margin", margin=Money(margin, cur))
            account.deposit = new_deposit
            session.add(
                DepositEntry(
                    user_id=user_id,
                    trade_mode=mode,
                    kind=command.kind,
                    amount=delta,
                    deposit_after=new_deposit,
                    balance_after=new_balance,
                    time_ms=now,
                )
            )
            await audit(
                session,
                "deposit.change",
                subject=f"user:{user_id}",
                what={"mode": mode, "kind": command.kind, "amount": delta,
                      "deposit_after": new_deposit, "balance_after": new_balance},
            )  # fmt: skip
        return await self.get(user_id, mode)

    async def ledger(
        self, user_id: int, mode: str = "paper", limit: int = 20
    ) -> list[LedgerEntryDTO]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(DepositEntry)
                .where(DepositEntry.user_id == user_id, DepositEntry.trade_mode == mode)
                .order_by(DepositEntry.id.desc())
                .limit(limit)
            )
            return [
                LedgerEntryDTO(r.id, r.kind, r.amount, r.deposit_after, r.balance_after, r.time_ms)
                for r in rows
            ]


__all__ = ["AccountError", "AccountService"]
