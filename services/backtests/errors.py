"""What can go wrong with a backtest request; each error names its Fluent key.

Handlers render `key` with `params` in the user's language; nothing here is text a
user reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class BacktestError(Exception):
    """A refusal the user is told about; ``key`` is a Fluent message id."""

    key = "backtest-failed"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or type(self).key
        self.params: Mapping[str, Any] = params
        super().__init__(f"{self.key} {params}")


class BadRequest(BacktestError):
    """Bad input: unknown preset, timeframe or symbol, bad or absurd period, no data."""


class UserBusy(BacktestError):
    key = "backtest-busy"


class QueueFull(BacktestError):
    key = "backtest-queue-full"


class RunNotFound(BacktestError):
    key = "backtest-not-found"
