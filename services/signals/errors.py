"""Refusals the signal service raises; handlers turn each into a localized answer."""

from __future__ import annotations


class SignalError(Exception):
    """Base: `key` is the Fluent message id, `params` its variables."""

    key = "signal-usage"

    def __init__(self, **params: object) -> None:
        super().__init__(self.key, params)
        self.params = params


class BadTimeframe(SignalError):
    key = "signal-bad-timeframe"


class NotTradable(SignalError):
    key = "signal-not-tradable"


class NoData(SignalError):
    key = "signal-no-data"


class SignalNotFound(SignalError):
    key = "signal-not-found"
