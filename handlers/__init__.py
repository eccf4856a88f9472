"""Handler modules and how they become one router tree.

Adding a feature: create `handlers/<feature>.py` exporting `router: Router` and
`COMMANDS: list[CommandSpec]`, then add "handlers.<feature>" to FEATURE_MODULES.
Order matters only for overlapping filters; the fallback (unknown command and
plain text hints) is always attached last, so it sees only what nobody handled.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

from aiogram import Router

from handlers.registry import CommandSpec, check_unique

CORE_MODULES: tuple[str, ...] = (
    "handlers.common.errors",
    "handlers.common.start",
    "handlers.common.settings",
    "handlers.common.admin",
)

FEATURE_MODULES: tuple[str, ...] = (
    "handlers.market",
    "handlers.deposit",
    "handlers.trade",
    "handlers.portfolio",
    "handlers.signal",
    "handlers.backtest",
    "handlers.risk",
    "handlers.reports",
    "handlers.status",
    "handlers.admin",
)

FALLBACK_MODULE = "handlers.common.fallback"


def handler_modules() -> list[ModuleType]:
    """Core and feature modules in order, the fallback last."""
    names = [*CORE_MODULES, *FEATURE_MODULES, FALLBACK_MODULE]
    return [importlib.import_module(name) for name in names]


def collect_commands(modules: Iterable[ModuleType] | None = None) -> list[CommandSpec]:
    """Every command of every module, in module order (the order /help shows)."""
    commands: list[CommandSpec] = []
    for module in handler_modules() if modules is None else modules:
        commands.extend(getattr(module, "COMMANDS", ()))
    check_unique(commands)
    return commands


def _detached(router: Router) -> Router:
    """Routers are module singletons, but one process may build several dispatchers
    (tests, the scripted chat); aiogram refuses to re-attach a router, so release it
    from a previous parent first. The old parent is discarded with its dispatcher."""
    if router.parent_router is not None:
        router._parent_router = None
    return router


def build_routers(extra: Iterable[Router] = ()) -> list[Router]:
    """The routers to include in a Dispatcher; `extra` (tests, plugins) go just
    before the fallback."""
    routers = [_detached(module.router) for module in handler_modules()]
    return [*routers[:-1], *(_detached(r) for r in extra), routers[-1]]
