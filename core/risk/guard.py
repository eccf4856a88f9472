"""RiskGuard: per-user circuit breakers computed from trades and equity.

State transitions are a pure function of the user's history at a moment, so the
same inputs always raise the same flags, a restart loses nothing and a backfill
replay can evaluate the rules at its replayed time without writing flags:
- **stop-loss streak**: the last N closed positions all ended at a losing stop (or a
  liquidation): new entries pause until `sl_cooldown_ms` after the last of them.
  Any other close (a target, a manual close, a breakeven stop) ends the streak; a
  further losing stop after the cooldown pauses again.
- **daily loss**: realized net PnL of the current UTC day (entry fees count on the
  day they were paid) at or below −5 % of the deposit stops entries until the next
  UTC midnight.
- **drawdown** from the equity peak: `1 − equity / peak` at or above 15 % raises
  `maxdd_warning`, at or above 18 % `emergency_stop`. Equity = deposit + cumulative
  realized net PnL (+ unrealized PnL now); the curve starts at the last reset (an
  admin clearing `emergency_stop`), so a cleared stop is not re-raised by the same
  old peak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.risk.limits import RiskLimits

DAY_MS = 86_400_000
ZERO = Decimal(0)
LOSING_EXITS = frozenset({"stop", "liquidation"})


@dataclass(frozen=True, slots=True)
class ClosedTrade:
    closed_ms: int
    exit_reason: str | None
    net_pnl: Decimal


@dataclass(frozen=True, slots=True)
class GuardInput:
    now_ms: int
    deposit: Decimal
    closed: Sequence[ClosedTrade]  # in close order
    day_pnl: Decimal  # realized net PnL of the UTC day containing now_ms
    equity_history: Sequence[Decimal]  # equity after each realized event since the reset
    equity_now: Decimal


@dataclass(frozen=True, slots=True)
class GuardState:
    streak: int
    pause_until_ms: int | None
    day_pnl: Decimal
    daily_limit: Decimal  # the loss (positive) that stops entries for the day
    daily_stop_until_ms: int | None
    equity: Decimal
    peak: Decimal
    drawdown: Decimal  # fraction of the peak
    # Guard flags that should be active now -> reason params.
    wanted: dict[str, dict[str, object]] = field(default_factory=dict)


def is_losing_stop(trade: ClosedTrade) -> bool:
    return trade.exit_reason in LOSING_EXITS and trade.net_pnl < 0


def sl_streak(closed: Sequence[ClosedTrade]) -> tuple[int, int | None]:
    """Length of the trailing run of losing stops, and when the last one closed."""
    count = 0
    for trade in reversed(closed):
        if not is_losing_stop(trade):
            break
        count += 1
    return count, (closed[-1].closed_ms if count else None)


def next_utc_midnight(ms: int) -> int:
    return (ms // DAY_MS + 1) * DAY_MS


def drawdown(peak: Decimal, equity: Decimal) -> Decimal:
    if peak <= 0:
        return ZERO
    return max(ZERO, (peak - equity) / peak)


def evaluate_guard(limits: RiskLimits, data: GuardInput) -> GuardState:
    wanted: dict[str, dict[str, object]] = {}
    streak, last_stop = sl_streak(data.closed)
    pause_until = None
    if streak >= limits.sl_streak and last_stop is not None:
        until = last_stop + limits.sl_cooldown_ms
        if data.now_ms < until:
            pause_until = until
            wanted["sl_streak_pause"] = {"streak": streak, "until_ms": until}
    limit = data.deposit * limits.daily_loss_share
    daily_until = None
    if data.deposit > 0 and -data.day_pnl >= limit:
        daily_until = next_utc_midnight(data.now_ms)
        wanted["daily_loss_stop"] = {
            "loss": -data.day_pnl,
            "limit": limit,
            "pct": limits.daily_loss_share * 100,
            "until_ms": daily_until,
        }
    peak = max([*data.equity_history, data.equity_now])
    dd = drawdown(peak, data.equity_now)
    params: dict[str, object] = {"dd": dd * 100, "peak": peak, "equity": data.equity_now}
    if peak > 0 and peak - data.equity_now >= peak * limits.maxdd_warning:
        wanted["maxdd_warning"] = {**params, "pct": limits.maxdd_warning * 100}
    if peak > 0 and peak - data.equity_now >= peak * limits.maxdd_emergency:
        wanted["emergency_stop"] = {**params, "pct": limits.maxdd_emergency * 100}
    return GuardState(
        streak=streak,
        pause_until_ms=pause_until,
        day_pnl=data.day_pnl,
        daily_limit=limit,
        daily_stop_until_ms=daily_until,
        equity=data.equity_now,
        peak=peak,
        drawdown=dd,
        wanted=wanted,
    )
