"""The RiskGuard at work: gather a user's history, evaluate `core.risk.guard`, and
(for paper/live money) raise and clear the guard's flags in the database.

Backfill replays evaluate the same rules at their replayed time but never write
flags: a replay must not stop the user's real paper trading.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.risk.flags import GUARD_FLAGS
from core.risk.guard import DAY_MS, ClosedTrade, GuardInput, GuardState, evaluate_guard
from core.risk.limits import RiskLimits
from services.db.engine import Database
from services.db.models.trading import Fill
from services.risk.dto import FlagDTO
from services.risk.flags import FlagStore
from services.risk.text import params_text

PERSISTED_MODES = frozenset({"paper", "live"})
GUARD = "guard"
# An admin clearing this flag restarts the drawdown curve (see core/risk/guard.py).
RESET_FLAG = "emergency_stop"


def reason_key(flag: str) -> str:
    return "risk-reason-" + flag.replace("_", "-")


class GuardRunner:
    def __init__(
        self,
        paper: Any,  # services.paper.service.PaperService (queries, accounts)
        flags: FlagStore,
        limits: RiskLimits,
        clock: Callable[[], int],
    ) -> None:
        self._paper = paper
        self._flags = flags
        self.limits = limits
        self._now_ms = clock
        self.on_raise: Callable[[FlagDTO], Awaitable[None]] | None = None

    async def gather(self, user_id: int, mode: str, now_ms: int) -> GuardInput:
        queries = self._paper.queries
        portfolio = await queries.portfolio(user_id, mode)
        account = portfolio.account
        closed = await queries.closed_positions(user_id, mode)
        fills = await queries.fills(user_id, mode)
        reset_ms = 0
        if mode in PERSISTED_MODES:
            reset_ms = await self._flags.last_cleared_ms(RESET_FLAG, user_id, "admin") or 0
        day_start = now_ms // DAY_MS * DAY_MS
        running = start = account.deposit
        history: list[Decimal] = []
        day_pnl = Decimal(0)
        for f in fills:
            if f.time_ms > now_ms:
                continue
            net = f.pnl - f.fee
            running += net
            if f.time_ms >= day_start:
                day_pnl += net
            if f.time_ms < reset_ms:
                start = running
            else:
                history.append(running)
        return GuardInput(
            now_ms=now_ms,
            deposit=account.deposit,
            closed=[
                ClosedTrade(p.closed_ms or 0, p.exit_reason, p.net_pnl)
                for p in closed
                if (p.closed_ms or 0) <= now_ms
            ],
            day_pnl=day_pnl,
            equity_history=[start, *history],
            equity_now=account.balance + portfolio.unrealized,
        )

    async def evaluate(
        self, user_id: int, mode: str = "paper", now_ms: int | None = None
    ) -> GuardState:
        now = self._now_ms() if now_ms is None else now_ms
        return evaluate_guard(self.limits, await self.gather(user_id, mode, now))

    async def refresh(
        self,
        user_id: int,
        mode: str = "paper",
        now_ms: int | None = None,
        *,
        notify: bool = False,
    ) -> GuardState:
        """Evaluate and bring the user's guard flags in line (paper/live only). With
        `notify`, each newly raised flag goes to `on_raise` (the job tells the user; a
        pre-trade check does not, its refusal already says it)."""
        now = self._now_ms() if now_ms is None else now_ms
        state = await self.evaluate(user_id, mode, now)
        if mode not in PERSISTED_MODES:
            return state
        current = await self._flags.active_by_name(user_id)
        for name in sorted(GUARD_FLAGS):
            active = current.get(name)
            lapsed = (
                active is not None and active.expires_ms is not None and active.expires_ms <= now
            )
            if active is not None and (lapsed or (name not in state.wanted and self._auto(active))):
                await self._flags.clear(name, user_id, cleared_by=GUARD, reason="auto")
                active = None
            if name in state.wanted and active is None:
                params = dict(state.wanted[name])
                flag, created = await self._flags.set(
                    name,
                    user_id,
                    set_by=GUARD,
                    reason_key=reason_key(name),
                    reason_params=params_text(params),
                    expires_ms=params.get("until_ms"),  # type: ignore[arg-type]
                )
                if created and notify and self.on_raise is not None:
                    await self.on_raise(flag)
        return state

    @staticmethod
    def _auto(flag: Any) -> bool:
        """Guard-raised flags clear themselves when the condition is gone, except the
        emergency stop: that one waits for an admin."""
        return flag.set_by == GUARD and flag.name != RESET_FLAG


async def recent_traders(db: Database, since_ms: int, mode: str = "paper") -> set[int]:
    """Users with a fill since `since_ms` (the guard job re-checks them)."""
    query = select(Fill.user_id).where(Fill.trade_mode == mode, Fill.time_ms >= since_ms)
    async with db.session() as session:
        return set(await session.scalars(query.distinct()))
