"""`tradebot health`: exit 0 if the running bot wrote its heartbeat recently.

Used as the Docker HEALTHCHECK for both polling and webhook modes.
"""

from __future__ import annotations

import argparse
import time

from core.config import Settings

MAX_AGE_S = 90.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("health", help="check the running bot's heartbeat")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runners import HEARTBEAT_FILE

    path = settings.data_dir / HEARTBEAT_FILE
    try:
        age = time.time() - float(path.read_text().strip())
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat at {path}")
        return 1
    if age > MAX_AGE_S:
        print(f"unhealthy: last heartbeat {age:.0f}s ago")
        return 1
    print(f"healthy: last heartbeat {age:.0f}s ago")
    return 0
