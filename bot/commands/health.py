"""`tradebot health`: exit 0 if the running bot is healthy (the Docker HEALTHCHECK).

With HEALTH_PORT set (the Docker image sets it) it asks the bot's own `/healthz`
(database, Redis, scheduler); `--url` asks any URL (e.g. the webhook port).
Otherwise it falls back to the heartbeat file the runners touch every 30 s.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.error
import urllib.request

from core.config import Settings

MAX_AGE_S = 90.0
HTTP_TIMEOUT_S = 8.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("health", help="check the running bot (/healthz or heartbeat)")
    parser.add_argument("--url", help="probe this /healthz URL instead of HEALTH_PORT's")
    parser.set_defaults(func=handle)


def probe_http(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_S) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (OSError, ValueError) as error:
        print(f"unhealthy: {url} unreachable ({type(error).__name__})")
        return 1
    try:
        body = json.loads(raw)
    except ValueError:
        body = {}
    failing = [name for name, check in body.get("checks", {}).items() if not check.get("ok")]
    state = body.get("status", "unknown")
    if status == 200:
        print(f"healthy: {state}")
        return 0
    print(f"unhealthy: HTTP {status}, failing: {', '.join(failing) or 'unknown'}")
    return 1


def probe_heartbeat(settings: Settings) -> int:
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


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if args.url:
        return probe_http(args.url)
    if settings.health_port:
        return probe_http(f"http://127.0.0.1:{settings.health_port}/healthz")
    return probe_heartbeat(settings)
