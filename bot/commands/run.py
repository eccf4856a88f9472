"""`tradebot run`: long polling (migrates first; one instance per data dir)."""

from __future__ import annotations

import argparse

from core.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot with long polling")
    parser.set_defaults(func=handle)


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runners import run_polling

    return await run_polling(settings)
