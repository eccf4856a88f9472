"""The `tradebot` command line.

Subcommands live in `bot/commands/<name>.py`, each with
    def register(subparsers: argparse._SubParsersAction) -> None
that adds its parser and sets `func=handler`, where
    def handler(args: argparse.Namespace, settings: Settings) -> int   (or async def;
    a handler taking only `args` is called without settings)
Add a module by appending it to COMMAND_MODULES. Settings are loaded once here:
an invalid value ends the program with one line naming the variable (exit 2).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from collections.abc import Sequence

from bot.logging_setup import configure_logging
from core.config import ConfigError, load_settings
from services.version import package_version

COMMAND_MODULES: tuple[str, ...] = (
    "bot.commands.run",
    "bot.commands.webhook",
    "bot.commands.worker",
    "bot.commands.migrate",
    "bot.commands.chat",
    "bot.commands.demo",
    "bot.commands.health",
    "bot.commands.data",
    "bot.commands.backtest",
    "bot.commands.optimize",
    "bot.commands.walkforward",
    "bot.commands.montecarlo",
    "bot.commands.audit",
    "bot.commands.backup",
    "bot.commands.signal",
    "bot.commands.backfill",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradebot", description="Telegram crypto trading assistant."
    )
    parser.add_argument("--version", action="version", version=f"tradebot {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"tradebot: {error}", file=sys.stderr)
        return 2
    configure_logging(settings, quiet=getattr(args, "quiet_logs", False))
    try:
        takes_settings = len(inspect.signature(args.func).parameters) >= 2
        result = args.func(args, settings) if takes_settings else args.func(args)
        if inspect.isawaitable(result):
            result = asyncio.run(result)  # type: ignore[arg-type]
    except ConfigError as error:
        print(f"tradebot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
