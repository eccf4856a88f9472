"""`tradebot migrate`: bring the database to the newest schema (or a given revision)."""

from __future__ import annotations

import argparse
import sys

from core.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("migrate", help="apply database migrations")
    parser.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    parser.add_argument(
        "--downgrade", action="store_true", help="go down to REVISION instead of up"
    )
    parser.set_defaults(func=handle)


async def handle(args: argparse.Namespace, settings: Settings) -> int:
    from alembic.util import CommandError

    from services.db import migrate
    from services.db.engine import Database

    db = Database(settings.database_url)
    try:
        if args.downgrade:
            await migrate.downgrade(db, args.revision)
        else:
            await migrate.upgrade(db, args.revision)
        current = await migrate.current_revision(db)
    except CommandError as exc:  # an unknown or unreachable revision: the operator's typo
        print(f"migrate refused: {exc}", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    print(f"database at revision {current or 'base'}")
    return 0
