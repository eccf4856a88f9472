"""RiskService: the real pre-trade hook for paper trading (`RiskCheck`) and the
signal gate (`SignalGate`), both driven by the risk flags and `core.risk` rules.

Order of a pre-trade decision: blocking flags (the user's and global ones, after
the RiskGuard has brought the user's flags up to date), then the pre-trade checks
(the admins' blocklist, trading hours, minimum notional, open positions, symbols,
capital per position, used margin, portfolio risk at stops, correlation). Flags never
close positions.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from decimal import Decimal
from html import escape
from typing import Any

from core.risk.checks import ExposureItem, NewTrade, check_new_trade, position_risk
from core.risk.flags import BLOCKING_FLAGS, severity
from core.risk.limits import RiskLimits
from services.i18n import Catalog
from services.paper.hooks import RiskDecision, TradeProposal
from services.risk.correlation import CorrelationSource
from services.risk.dto import FlagDTO, FlagError, RiskOverview, Usage
from services.risk.flags import FlagStore
from services.risk.guard import PERSISTED_MODES, GuardRunner, reason_key
from services.risk.text import params_text
from services.signals.gate import BlockReason

log = logging.getLogger(__name__)

ZERO = Decimal(0)


class RiskService:
    def __init__(
        self,
        *,
        paper: Any,  # services.paper.service.PaperService
        users: Any,  # services.users.UserService
        catalog: Catalog,
        flags: FlagStore,
        limits: RiskLimits,
        correlations: CorrelationSource | None,
        clock: Callable[[], int],
        blocklist: Callable[[], Awaitable[Iterable[str]]] | None = None,
    ) -> None:
        self.paper = paper
        self.users = users
        self.catalog = catalog
        self.flags = flags
        self.limits = limits
        self.correlations = correlations
        self.clock = clock
        self.blocklist = blocklist  # the admins' blocklist (MARKET's universe lists)
        self.sender: Any = None  # the send queue, for notices when a flag is raised
        self.guard = GuardRunner(paper, flags, limits, clock)
        self.guard.on_raise = self.notify_raised

    # -- flags as text ----------------------------------------------------------------

    def reason_text(self, flag: FlagDTO, locale: str) -> str:
        if flag.reason_key:
            return self.catalog.format(locale, flag.reason_key, dict(flag.reason_params))
        return flag.reason or "—"

    async def _locale(self, user_id: int) -> str:
        user = await self.users.get(user_id)
        return user.language if user is not None else self.catalog.default_locale

    async def blocking_flag(self, user_id: int) -> FlagDTO | None:
        """The most severe active blocking flag for the user (own or global)."""
        active = await self.flags.active_for(user_id, self.clock())
        blocking = [f for f in active if f.name in BLOCKING_FLAGS]
        return min(blocking, key=lambda f: (severity(f.name), f.set_ms), default=None)

    async def notify_raised(self, flag: FlagDTO) -> None:
        """Tell the flagged user (a global flag: nobody in particular) which flag now
        blocks or warns them, and why."""
        if self.sender is None or flag.user_id is None:
            return
        user = await self.users.get(flag.user_id)
        if user is None or user.is_blocked:
            return
        i18n = self.catalog.translator(user.language)
        key = "risk-notice-blocking" if flag.blocking else "risk-notice-warning"
        text = i18n(
            key,
            flag=flag.name,
            title=i18n(f"risk-flag-{flag.name}"),
            reason=escape(self.reason_text(flag, user.language)),
        )
        self.sender.enqueue(user.id, text, tag=f"risk-flag:{flag.name}")

    # -- SignalGate ----------------------------------------------------------------------

    async def blocked(self, user_id: int) -> BlockReason | None:
        flag = await self.blocking_flag(user_id)
        if flag is None:
            return None
        locale = await self._locale(user_id)
        return BlockReason(
            "risk-blocked-signal", {"flag": flag.name, "reason": self.reason_text(flag, locale)}
        )

    # -- RiskCheck -----------------------------------------------------------------------

    async def check_new_trade(self, user_id: int, proposal: TradeProposal) -> RiskDecision:
        mode = proposal.trade_mode
        # The user's language is read only when a refusal has to be worded.
        if mode in PERSISTED_MODES:
            await self.guard.refresh(user_id, mode, proposal.time_ms)
            flag = await self.blocking_flag(user_id)
            if flag is not None:
                locale = await self._locale(user_id)
                return RiskDecision.refuse(
                    "risk-blocked-trade", flag=flag.name, reason=self.reason_text(flag, locale)
                )
        else:  # a replay: the same rules at the replayed time, nothing written
            state = await self.guard.evaluate(user_id, mode, proposal.time_ms)
            for name in sorted(set(state.wanted) & BLOCKING_FLAGS, key=severity):
                reason = self.catalog.format(
                    await self._locale(user_id), reason_key(name), params_text(state.wanted[name])
                )
                return RiskDecision.refuse("risk-blocked-trade", flag=name, reason=reason)
        items = await self.exposure(user_id, mode)
        correlations: dict[str, float | None] = {}
        if self.correlations is not None and any(i.symbol != proposal.symbol for i in items):
            correlations = await self.correlations.with_symbol(
                proposal.symbol, (i.symbol for i in items), proposal.time_ms
            )
        refusal = check_new_trade(
            self.limits,
            NewTrade(
                symbol=proposal.symbol,
                side=proposal.side,
                notional=proposal.notional,
                margin=proposal.margin,
                risk=proposal.risk_amount,
                time_ms=proposal.time_ms,
            ),
            capital=proposal.balance,
            deposit=proposal.deposit,
            open_items=items,
            correlations=correlations,
            blocked_symbols=frozenset(await self.blocklist()) if self.blocklist else frozenset(),
        )
        if refusal is None:
            return RiskDecision.allow()
        key = "risk-refuse-" + refusal.code.replace("_", "-")
        currency = (await self.paper.accounts.get(user_id, mode)).currency
        return RiskDecision.refuse(key, currency=currency, **params_text(dict(refusal.params)))

    async def exposure(self, user_id: int, mode: str = "paper") -> list[ExposureItem]:
        fee_rate = self.paper.config.fee_rate
        return [
            ExposureItem(
                symbol=p.symbol,
                side=p.side,
                margin=p.locked_margin,
                risk=position_risk(
                    p.side,
                    p.entry_price,
                    p.stop,
                    p.remaining_qty,
                    p.locked_margin,
                    fee_rate(p.leverage, p.side),
                ),
            )
            for p in await self.paper.queries.open_positions(user_id, mode)
        ]

    # -- /risk ---------------------------------------------------------------------------

    async def overview(self, user_id: int, mode: str = "paper") -> RiskOverview:
        state = await self.guard.refresh(user_id, mode)
        account = await self.paper.accounts.get(user_id, mode)
        items = await self.exposure(user_id, mode)
        lim = self.limits
        capital = account.balance
        margin_used = sum((i.margin for i in items), ZERO)
        risk_used = sum((i.risk for i in items), ZERO)
        largest = max((i.margin for i in items), default=ZERO)
        usage = [
            Usage("open_positions", Decimal(len(items)), Decimal(lim.max_open_positions)),
            Usage("symbols", Decimal(len({i.symbol for i in items})), Decimal(lim.max_symbols)),
            Usage("margin", margin_used, account.deposit * lim.max_margin_share),
            Usage("portfolio_risk", risk_used, capital * lim.max_portfolio_risk),
            Usage("position_share", largest, capital * lim.max_position_share),
        ]
        return RiskOverview(
            user_id=user_id,
            currency=account.currency,
            deposit=account.deposit,
            capital=capital,
            usage=usage,
            limits=lim,
            streak=state.streak,
            pause_until_ms=state.pause_until_ms,
            day_pnl=state.day_pnl,
            daily_limit=state.daily_limit,
            drawdown=state.drawdown,
            peak=state.peak,
            equity=state.equity,
            flags=await self.flags.active_for(user_id, self.clock()),
        )

    # -- admin ---------------------------------------------------------------------------

    async def set_flag(
        self, name: str, user_id: int | None, reason: str, admin_id: int
    ) -> tuple[FlagDTO, bool]:
        if user_id is not None and await self.users.get(user_id) is None:
            raise FlagError("risk-flag-err-user", user=user_id)
        flag, created = await self.flags.set(
            name, user_id, set_by=f"admin:{admin_id}", reason=reason
        )
        if created:
            await self.notify_raised(flag)
        return flag, created

    async def clear_flag(
        self, name: str, user_id: int | None, admin_id: int, reason: str | None = None
    ) -> FlagDTO:
        flag = await self.flags.clear(name, user_id, cleared_by=f"admin:{admin_id}", reason=reason)
        if flag is None:
            raise FlagError("risk-flag-err-not-active", flag=name, scope=_scope_text(user_id))
        return flag


def _scope_text(user_id: int | None) -> str:
    return "global" if user_id is None else str(user_id)
