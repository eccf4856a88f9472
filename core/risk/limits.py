"""The limits the pre-trade checks and the RiskGuard enforce (fractions: 0.15 = 15 %)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RiskLimits:
    max_open_positions: int = 10
    max_symbols: int = 6
    # Margin of one position as a share of the capital (balance).
    max_position_share: Decimal = Decimal("0.15")
    # Loss if every stop fills (open positions plus the new one), share of the capital.
    max_portfolio_risk: Decimal = Decimal("0.08")
    # Margin locked by all open positions plus the new one, share of the deposit.
    max_margin_share: Decimal = Decimal("0.50")
    # Refuse when the new symbol's 1h returns correlate above this with an open one.
    max_correlation: float = 0.8
    correlation_days: int = 30
    correlation_min_points: int = 48
    # Optional UTC window [start, end) in hours for new entries; wraps past midnight.
    trading_hours: tuple[int, int] | None = None
    # Smallest position worth opening, quote currency (notional).
    min_notional: Decimal = Decimal("10")
    # RiskGuard.
    sl_streak: int = 3
    sl_cooldown_ms: int = 12 * 3_600_000
    daily_loss_share: Decimal = Decimal("0.05")
    maxdd_warning: Decimal = Decimal("0.15")
    maxdd_emergency: Decimal = Decimal("0.18")

    def __post_init__(self) -> None:
        if self.trading_hours is not None:
            start, end = self.trading_hours
            if not (0 <= start <= 23 and 0 <= end <= 24 and start != end):
                raise ValueError(f"trading hours must be two different hours: {start}-{end}")
        if not self.maxdd_warning <= self.maxdd_emergency:
            raise ValueError("the drawdown warning must not exceed the emergency level")


def parse_trading_hours(text: str | None) -> tuple[int, int] | None:
    """ "08-20" -> (8, 20); "22-06" wraps past midnight; empty -> None (always open)."""
    if text is None or not text.strip():
        return None
    start_text, sep, end_text = text.strip().partition("-")
    try:
        start, end = int(start_text), int(end_text)
    except ValueError:
        raise ValueError("must look like HH-HH, e.g. 08-20 (UTC hours)") from None
    if not sep or not (0 <= start <= 23 and 0 <= end <= 24) or start == end % 24:
        raise ValueError("must look like HH-HH, e.g. 08-20 (UTC hours)")
    return start, end
