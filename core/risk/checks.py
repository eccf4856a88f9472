"""Pre-trade checks: each rule refuses with a code and the numbers behind it.

Money comparisons are exact (`Decimal`, multiplied out, never divided), so a
position exactly at a limit is allowed and one unit above it is refused. The
service turns a `Refusal` into a Fluent message `risk-refuse-<code>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from core.accounting import fee, pnl
from core.risk.limits import RiskLimits

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class NewTrade:
    """The position about to be opened, as the checks need it."""

    symbol: str
    side: str  # long | short
    notional: Decimal
    margin: Decimal
    risk: Decimal | None  # loss at the stop incl. exit fee; None without a stop
    time_ms: int

    @property
    def worst_loss(self) -> Decimal:
        """Without a stop the margin is what can be lost (liquidation, or spot to zero)."""
        return self.margin if self.risk is None else self.risk


@dataclass(frozen=True, slots=True)
class ExposureItem:
    """One open position: what it locks and what it can still lose."""

    symbol: str
    side: str
    margin: Decimal  # margin still locked by the remaining quantity
    risk: Decimal  # loss if its current stop fills (the margin without a stop)


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str  # open_positions | symbols | position_share | margin | portfolio_risk | ...
    params: Mapping[str, object] = field(default_factory=dict)


def position_risk(
    side: str,
    entry: Decimal,
    stop: Decimal | None,
    remaining_qty: Decimal,
    locked_margin: Decimal,
    fee_rate: Decimal,
) -> Decimal:
    """What an open position still risks: the loss at its current stop plus the exit
    fee (0 loss once the stop is at or beyond the entry), or its locked margin when it
    has no stop."""
    if stop is None:
        return locked_margin
    loss = -pnl(side, entry, stop, remaining_qty)  # type: ignore[arg-type]
    return max(loss, ZERO) + fee(stop, remaining_qty, fee_rate)


def in_trading_hours(hours: tuple[int, int] | None, time_ms: int) -> bool:
    if hours is None:
        return True
    start, end = hours
    now = datetime.fromtimestamp(time_ms / 1000, tz=UTC)
    minute = now.hour * 60 + now.minute
    lo, hi = start * 60, end * 60
    return lo <= minute < hi if lo < hi else minute >= lo or minute < hi


@dataclass(frozen=True, slots=True)
class Book:
    """The account the trade would join."""

    capital: Decimal  # balance: deposit + realized PnL - fees
    deposit: Decimal
    items: Sequence[ExposureItem]
    blocked_symbols: frozenset[str] = frozenset()  # the admins' blocklist


def check_new_trade(
    limits: RiskLimits,
    trade: NewTrade,
    *,
    capital: Decimal,
    deposit: Decimal,
    open_items: Sequence[ExposureItem],
    correlations: Mapping[str, float | None] | None = None,
    blocked_symbols: frozenset[str] = frozenset(),
) -> Refusal | None:
    """The first rule the trade breaks, or None. `correlations` maps each open symbol
    to the correlation of its 1h returns with the new symbol's (None: not enough data);
    `blocked_symbols` are never traded."""
    book = Book(capital, deposit, open_items, blocked_symbols)
    for rule in RULES:
        refusal = rule(limits, trade, book)
        if refusal is not None:
            return refusal
    return _correlation(limits, trade, open_items, correlations or {})


def spot_symbol(symbol: str) -> str:
    """ "DOGE/USDT:USDT" (a perpetual) -> "DOGE/USDT": a blocklist entry covers both."""
    return symbol.split(":", 1)[0]


def _blocklist(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    blocked = {spot_symbol(s) for s in book.blocked_symbols}
    if spot_symbol(t.symbol) not in blocked:
        return None
    return Refusal("blocklist", {"symbol": t.symbol})


def _hours(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    if limits.trading_hours is None or in_trading_hours(limits.trading_hours, t.time_ms):
        return None
    start, end = limits.trading_hours
    return Refusal("hours", {"start": f"{start:02d}:00", "end": f"{end % 24:02d}:00"})


def _min_notional(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    if t.notional >= limits.min_notional:
        return None
    return Refusal("min_notional", {"notional": t.notional, "min": limits.min_notional})


def _open_positions(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    if len(book.items) + 1 <= limits.max_open_positions:
        return None
    return Refusal("open_positions", {"open": len(book.items), "max": limits.max_open_positions})


def _symbols(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    symbols = {i.symbol for i in book.items}
    if t.symbol in symbols or len(symbols) + 1 <= limits.max_symbols:
        return None
    return Refusal("symbols", {"count": len(symbols), "max": limits.max_symbols})


def _position_share(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    cap = book.capital * limits.max_position_share
    if t.margin <= cap:
        return None
    pct = limits.max_position_share * 100
    return Refusal("position_share", {"margin": t.margin, "max": cap, "pct": pct})


def _margin(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    used = sum((i.margin for i in book.items), ZERO)
    cap = book.deposit * limits.max_margin_share
    if used + t.margin <= cap:
        return None
    pct = limits.max_margin_share * 100
    return Refusal("margin", {"used": used, "margin": t.margin, "max": cap, "pct": pct})


def _portfolio_risk(limits: RiskLimits, t: NewTrade, book: Book) -> Refusal | None:
    current = sum((i.risk for i in book.items), ZERO)
    cap = book.capital * limits.max_portfolio_risk
    if current + t.worst_loss <= cap:
        return None
    pct = limits.max_portfolio_risk * 100
    return Refusal(
        "portfolio_risk", {"current": current, "risk": t.worst_loss, "max": cap, "pct": pct}
    )


RULES = (
    _blocklist,
    _hours,
    _min_notional,
    _open_positions,
    _symbols,
    _position_share,
    _margin,
    _portfolio_risk,
)


def _correlation(
    limits: RiskLimits,
    t: NewTrade,
    items: Sequence[ExposureItem],
    correlations: Mapping[str, float | None],
) -> Refusal | None:
    """Same-direction exposure to a correlated symbol adds concentration; an opposite
    position hedges it, so the correlation counts with the sign of the pairing."""
    worst: tuple[float, str] | None = None
    for item in items:
        if item.symbol == t.symbol:
            continue
        rho = correlations.get(item.symbol)
        if rho is None:
            continue
        effective = rho if item.side == t.side else -rho
        if effective > limits.max_correlation and (worst is None or effective > worst[0]):
            worst = (effective, item.symbol)
    if worst is None:
        return None
    params = {
        "other": worst[1],
        "rho": round(worst[0], 2),
        "max": limits.max_correlation,
        "days": limits.correlation_days,
    }
    return Refusal("correlation", params)
