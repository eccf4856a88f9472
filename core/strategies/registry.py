"""Strategy registry: `get_strategy(name, **params)` for every strategy the app runs.

Engine presets (`composite`, `scalper`) are built from their typed config. The other
strategies live in their own modules (owned by BACKTEST and ANALYTICS) and are imported
on first use through a `"module:factory"` line in `_LAZY`, where the factory takes the
strategy's parameters as keywords. To add one: write the module, add its line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from core.strategies.base import Strategy
from core.strategies.composite import CompositeStrategy
from core.strategies.config import CompositeConfig, ScalperConfig
from core.strategies.pathsim import PathStrategy
from core.strategies.scalper import ScalperStrategy

AnyStrategy = Strategy | PathStrategy
Factory = Callable[..., AnyStrategy]


def _composite(**params: object) -> Strategy:
    return CompositeStrategy(CompositeConfig().with_params(**params))


def _scalper(**params: object) -> Strategy:
    return ScalperStrategy(ScalperConfig().with_params(**params))


_FACTORIES: dict[str, Factory] = {"composite": _composite, "scalper": _scalper}

# name -> "module:factory(**params)"; signal strategies return a `Strategy`, the path
# simulators (grid, dca, rebalance) a `PathStrategy`.
_LAZY: dict[str, str] = {
    "ema_cross": "core.strategies.ema_cross:build",
    "grid": "core.strategies.grid:GridStrategy",
    "dca": "core.strategies.dca:DcaStrategy",
    "rebalance": "core.strategies.rebalance:RebalanceStrategy",
}

STRATEGIES: tuple[str, ...] = (*_FACTORIES, *_LAZY)


class UnknownStrategy(ValueError):
    def __init__(self, name: str, reason: str = "unknown") -> None:
        super().__init__(f"strategy {name!r}: {reason}; known: {', '.join(STRATEGIES)}")
        self.name = name


def register(name: str, factory: Factory) -> None:
    """Make `name` available to `get_strategy` (replacing a lazy entry of that name)."""
    _FACTORIES[name] = factory


def get_strategy(name: str, **params: object) -> AnyStrategy:
    """Build a strategy by name; bad parameters raise ValueError (or TypeError)."""
    factory = _FACTORIES.get(name)
    if factory is None:
        target = _LAZY.get(name)
        if target is None:
            raise UnknownStrategy(name)
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            raise UnknownStrategy(name, "not available in this build") from None
        factory = getattr(module, attr, None)
        if factory is None:
            raise UnknownStrategy(name, f"{target} is missing")
        _FACTORIES[name] = factory
    return factory(**params)
