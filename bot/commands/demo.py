"""`tradebot demo`: chat with the bot in the terminal, offline.

The same engine as `tradebot chat`, driven by a prompt: type messages or
`click:LABEL` / `click:#N`; `/quit` or Ctrl+D leaves. Market data follows
MARKET_DATA (the default `auto` falls back to simulated or replayed candles when
no exchange is reachable, and the bot labels such prices).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bot.commands.chat import add_user_options, local_settings, make_driver
from core.config import Settings

QUIT = {"/quit", "/exit", "quit", "exit"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="chat with the bot interactively, offline")
    add_user_options(parser)
    parser.set_defaults(func=handle, quiet_logs=True)


async def _read(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scripted import BotNotIdle
    from bot.transcript import Transcript, perform, render_entry

    with tempfile.TemporaryDirectory(prefix="tradebot-demo-") as temp:
        settings = local_settings(args, settings, Path(temp) if args.fresh else None)
        print(
            "tradebot demo: a local Bot API emulator, no Telegram account needed.\n"
            f"database: {settings.database_url}\n"
            f"market data: {settings.market_data} (simulated prices are labelled as such)\n"
            "type a message, click:LABEL or click:#N to press a button, /quit to leave.\n"
        )
        transcript = Transcript(files_dir=args.files_dir)
        async with make_driver(args, settings) as driver:
            for step in ("/start",):
                printed = len(transcript.entries)
                await perform(driver, step, transcript)
                for entry in transcript.entries[printed:]:
                    print(render_entry(entry))
            while True:
                line = await _read("you> ")
                if line is None or line.strip() in QUIT:
                    break
                if not line.strip():
                    continue
                printed = len(transcript.entries)
                try:
                    await perform(driver, line.strip(), transcript)
                except BotNotIdle as error:
                    print(f"     ({error}; see --timeout)")
                for entry in transcript.entries[printed + 1 :]:
                    print(render_entry(entry))
    return 0
