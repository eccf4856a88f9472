"""Backtest engine: strategy signals over history, then the shared fill rules (numba)."""

from core.backtest.config import BacktestConfig, BacktestConfigError
from core.backtest.engine import BacktestInputError, run_backtest, simulate_signals
from core.backtest.result import BacktestResult

__all__ = [
    "BacktestConfig",
    "BacktestConfigError",
    "BacktestInputError",
    "BacktestResult",
    "run_backtest",
    "simulate_signals",
]
