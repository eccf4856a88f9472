"""`tradebot audit verify [--database URL]`: walk the audit hash chain.

Exit 0 when every row is intact; exit 1 naming the first modified, deleted or
reordered row. `--database` checks another database (e.g. a copy or a backup file).
"""

from __future__ import annotations

import argparse
import sys

from core.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="audit trail tools")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check the audit hash chain")
    verify.add_argument(
        "--database", help="SQLAlchemy URL or SQLite file path (default: DATABASE_URL)"
    )
    verify.set_defaults(func=handle_verify)


def database_url(value: str | None, settings: Settings) -> str:
    if not value:
        return settings.database_url
    return value if "://" in value else f"sqlite+aiosqlite:///{value}"


async def handle_verify(args: argparse.Namespace, settings: Settings) -> int:
    from services.audit import verify
    from services.db.engine import Database

    db = Database(database_url(args.database, settings))
    try:
        report = await verify(db)
    except Exception as exc:  # a missing table or an unreadable file: say so, exit 1
        print(f"audit verify: cannot read the audit log: {type(exc).__name__}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    if report.ok:
        print(f"audit chain ok: {report.rows} rows, head seq {report.head_seq}")
        return 0
    assert report.problem is not None
    print(f"audit chain BROKEN after checking {report.rows} rows: {report.problem.describe()}")
    return 1
