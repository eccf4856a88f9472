"""Robustness tools over backtests: Monte Carlo, optimizer, walk-forward, stress, portfolio."""
