"""Risk flag names and which of them block new entries and signal delivery.

A blocking flag stops new paper trades and signal delivery for its user (a global
flag: for everyone). `maxdd_warning` only warns, and `signals_stalled` reports that
no signal reached anyone for a while: blocking delivery on it would keep it raised
forever. No flag ever closes an open position.
"""

from __future__ import annotations

# In order of severity: when several block, the first one is named.
FLAG_NAMES: tuple[str, ...] = (
    "emergency_stop",
    "maxdd_warning",
    "weak_setup_stop",
    "signals_stalled",
    "daily_loss_stop",
    "sl_streak_pause",
)
BLOCKING_FLAGS: frozenset[str] = frozenset(
    {"emergency_stop", "weak_setup_stop", "daily_loss_stop", "sl_streak_pause"}
)
# Raised and cleared by the RiskGuard itself (from trades and equity), per user.
GUARD_FLAGS: frozenset[str] = frozenset(
    {"emergency_stop", "maxdd_warning", "daily_loss_stop", "sl_streak_pause"}
)


def is_blocking(name: str) -> bool:
    return name in BLOCKING_FLAGS


def severity(name: str) -> int:
    """Sort key: the most severe flag first."""
    return FLAG_NAMES.index(name) if name in FLAG_NAMES else len(FLAG_NAMES)


def parse_flag_name(text: str) -> str | None:
    """`EMERGENCY-STOP`, `emergency_stop` -> "emergency_stop"; None if unknown."""
    name = text.strip().lower().replace("-", "_")
    return name if name in FLAG_NAMES else None
