"""Column names of a trades table, shared by the signal backtest and the path simulators.

Kept in its own module so `core.strategies` and `core.backtest` need not import each
other just to agree on a list of names.
"""

from __future__ import annotations

TRADE_COLUMNS: tuple[str, ...] = (
    "position_id",
    "entry_time",
    "exit_time",
    "side",
    "entry_price",
    "exit_price",
    "qty",
    "fees",
    "pnl",
    "exit_reason",
    "r_multiple",
    "entry_bar",
    "exit_bar",
)
