"""`tradebot webhook`: serve Telegram webhooks with aiohttp (secret token checked)."""

from __future__ import annotations

import argparse

from core.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "webhook", help="run the bot behind an aiohttp webhook (WEBHOOK_* settings)"
    )
    parser.add_argument("--port", type=int, help="listen port (default WEBHOOK_PORT)")
    parser.set_defaults(func=handle)


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runners import run_webhook

    if args.port:
        settings = settings.model_copy(update={"webhook_port": args.port})
    return await run_webhook(settings)
