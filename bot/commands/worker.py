"""`tradebot worker`: scheduler and send queue without taking updates (scale-out)."""

from __future__ import annotations

import argparse

from core.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run scheduled jobs only (RUN_SCHEDULER; webhook instances take the updates)",
    )
    parser.set_defaults(func=handle)


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runners import run_worker

    return await run_worker(settings)
