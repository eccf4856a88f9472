"""The `tradebot` command line.

Subcommands live in `bot/commands/<name>.py`, each with
    def register(subparsers: argparse._SubParsersAction) -> None
that adds its parser and sets `func=handler`, where
    def handler(args: argparse.Namespace, settings: Settings) -> int   (or async def;
    a handler taking only `args` is called without settings)
Add a module by adding its commands to COMMANDS, with the same one-line help its
parser has (a test compares them). Settings are loaded once here: an invalid value
ends the program with one line naming the variable (exit 2).

Start-up stays fast because nothing heavy is imported to parse arguments: only the
module of the command being run is imported (several import pandas, numba or ccxt at
the top); every other command gets a placeholder parser with its help line, so
`tradebot --help`, usage and "invalid choice" messages read exactly as if every
module were loaded. Settings and logging are imported after parsing.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from collections.abc import Sequence
from typing import NamedTuple

from services.version import package_version


class CommandEntry(NamedTuple):
    name: str
    module: str
    help: str


COMMANDS: tuple[CommandEntry, ...] = (
    CommandEntry("run", "bot.commands.run", "run the bot with long polling"),
    CommandEntry(
        "webhook",
        "bot.commands.webhook",
        "run the bot behind an aiohttp webhook (WEBHOOK_* settings)",
    ),
    CommandEntry(
        "worker",
        "bot.commands.worker",
        "run scheduled jobs only (RUN_SCHEDULER; webhook instances take the updates)",
    ),
    CommandEntry("migrate", "bot.commands.migrate", "apply database migrations"),
    CommandEntry(
        "chat",
        "bot.commands.chat",
        "send messages to the bot through the local emulator, print the transcript",
    ),
    CommandEntry("demo", "bot.commands.demo", "chat with the bot interactively, offline"),
    CommandEntry("health", "bot.commands.health", "check the running bot (/healthz or heartbeat)"),
    CommandEntry("data", "bot.commands.data", "fetch, import, inspect and check candle data"),
    CommandEntry("backtest", "bot.commands.backtest", "backtest a strategy on a candle file"),
    CommandEntry(
        "optimize", "bot.commands.optimize", "search a strategy's parameters on a candle file"
    ),
    CommandEntry(
        "walkforward", "bot.commands.walkforward", "walk-forward analysis on a candle file"
    ),
    CommandEntry(
        "montecarlo", "bot.commands.montecarlo", "Monte Carlo bands of a backtest's trades"
    ),
    CommandEntry("audit", "bot.commands.audit", "audit trail tools"),
    CommandEntry("backup", "bot.commands.backup", "back up the SQLite database now"),
    CommandEntry("restore", "bot.commands.backup", "replace the database with a backup"),
    CommandEntry(
        "signal",
        "bot.commands.signal",
        "analyse a symbol now or at a past time; `signal history` lists past signals",
    ),
    CommandEntry(
        "backfill",
        "bot.commands.backfill",
        "run signals and paper trading over replayed history (trade_mode backfill)",
    ),
)
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(entry.module for entry in COMMANDS))


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, if any: the first word that is not
    an option (the top-level options take no values)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def build_parser(
    argv: Sequence[str] | None = None, *, load_all: bool = False
) -> argparse.ArgumentParser:
    """The parser, with the real subparser of the command in `argv` (or of every
    command with `load_all`) and placeholders for the rest."""
    parser = argparse.ArgumentParser(
        prog="tradebot", description="Telegram crypto trading assistant."
    )
    parser.add_argument("--version", action="version", version=f"tradebot {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = chosen_command(sys.argv[1:] if argv is None else argv)
    load = {e.module for e in COMMANDS if load_all or e.name == chosen}
    for entry in COMMANDS:
        if entry.name in subparsers.choices:
            continue  # registered by its module together with an earlier command
        if entry.module in load:
            importlib.import_module(entry.module).register(subparsers)
        else:
            subparsers.add_parser(entry.name, help=entry.help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from bot.logging_setup import configure_logging
    from core.config import ConfigError, load_settings

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
            import asyncio

            result = asyncio.run(result)  # type: ignore[arg-type]
    except ConfigError as error:
        print(f"tradebot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    return int(result or 0)


def _reader_gone() -> int:
    """The reader of our output went away (`tradebot ... | head`): stop quietly, as
    other command-line tools do. Later writes (the interpreter's final flush) go to
    /dev/null so Python prints no second "Exception ignored" traceback."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what a shell reports for a command killed by the pipe


if __name__ == "__main__":
    raise SystemExit(main())
