"""`tradebot chat MESSAGE...`: a scripted conversation with the bot, offline.

Starts the local Bot API emulator and the bot (with its scheduler) in this
process, sends each MESSAGE as one user, waits until the bot is idle after each,
and prints the transcript. `click:LABEL` presses the button whose label contains
LABEL on the latest bot message with buttons; `click:#N` presses the Nth button.
No token and no network are needed: the emulator gets a dummy token.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from core.config import Settings

DEFAULT_USER_ID = 1001
DEFAULT_TIMEOUT_S = 600.0
# Without a service reporting work under way, a bot still busy after this long is stuck.
QUIET_TIMEOUT_S = 30.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return value


def add_user_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user-id", type=int, default=DEFAULT_USER_ID)
    parser.add_argument("--username", default="trader")
    parser.add_argument("--first-name", default="Trader")
    parser.add_argument("--lang", default="en", help="Telegram language_code (ru, en, ...)")
    parser.add_argument("--admin", action="store_true", help="treat the user as an admin")
    parser.add_argument(
        "--fresh", action="store_true", help="use a temporary database instead of DATABASE_URL"
    )
    parser.add_argument(
        "--files-dir", type=Path, default=Path("out/chat"), help="where photos are saved"
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help="longest wait for the bot after each message while it is still working, "
        f"e.g. on a backtest (default {DEFAULT_TIMEOUT_S:.0f})",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chat", help="send messages to the bot through the local emulator, print the transcript"
    )
    add_user_options(parser)
    parser.add_argument("--json", action="store_true", help="print the transcript as JSON")
    parser.add_argument("messages", nargs="+", metavar="MESSAGE")
    parser.set_defaults(func=handle, quiet_logs=True)


def local_settings(args: argparse.Namespace, settings: Settings, temp_dir: Path | None) -> Settings:
    """The configured settings, adapted to a local emulator session."""
    update: dict[str, Any] = {
        "bot_token": None,  # never needed: the emulator gets a dummy token
        "telegram_api_url": None,
        "throttle_burst": 10_000,
    }
    if args.admin:
        update["admin_ids"] = sorted({*settings.admin_ids, args.user_id})
    if temp_dir is not None:
        update["database_url"] = f"sqlite+aiosqlite:///{temp_dir / 'chat.db'}"
        update["data_dir"] = temp_dir
    return settings.model_copy(update=update)


def make_driver(args: argparse.Namespace, settings: Settings) -> Any:
    from bot.scripted import ChatDriver, ChatUser

    return ChatDriver(
        settings,
        default_user=ChatUser(args.user_id, args.first_name, args.username, args.lang),
        timeout_s=min(QUIET_TIMEOUT_S, args.timeout),
        busy_timeout_s=args.timeout,
    )


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scripted import BotNotIdle
    from bot.transcript import Transcript, dump_json, perform, render_entry

    with tempfile.TemporaryDirectory(prefix="tradebot-chat-") as temp:
        settings = local_settings(args, settings, Path(temp) if args.fresh else None)
        transcript = Transcript(files_dir=args.files_dir)
        ok = True
        async with make_driver(args, settings) as driver:
            for step in args.messages:
                printed = len(transcript.entries)
                try:
                    ok = await perform(driver, step, transcript) and ok
                except BotNotIdle as error:
                    print(f"tradebot chat: {error} (see --timeout)", file=sys.stderr)
                    return 1
                if not args.json:
                    for entry in transcript.entries[printed:]:
                        print(render_entry(entry))
                    sys.stdout.flush()
        if args.json:
            print(dump_json(transcript))
    return 0 if ok else 1
