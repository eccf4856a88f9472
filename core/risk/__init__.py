"""Risk rules: pre-trade checks, the per-user RiskGuard and risk-flag names.

Pure functions on Decimal money and float64 return series; the services in
`services/risk/` gather the inputs (positions, fills, candles, flags) and act on the
results. Nothing here does I/O.
"""

from core.risk.checks import ExposureItem, NewTrade, Refusal, check_new_trade, position_risk
from core.risk.correlation import aligned_correlation, returns_correlation
from core.risk.flags import BLOCKING_FLAGS, FLAG_NAMES, is_blocking, parse_flag_name
from core.risk.guard import ClosedTrade, GuardInput, GuardState, evaluate_guard, sl_streak
from core.risk.limits import RiskLimits

__all__ = [
    "BLOCKING_FLAGS",
    "FLAG_NAMES",
    "ClosedTrade",
    "ExposureItem",
    "GuardInput",
    "GuardState",
    "NewTrade",
    "Refusal",
    "RiskLimits",
    "aligned_correlation",
    "check_new_trade",
    "evaluate_guard",
    "is_blocking",
    "parse_flag_name",
    "position_risk",
    "returns_correlation",
    "sl_streak",
]
