"""`tradebot audit verify [--database URL]`: walk the audit hash chain.

Exit 0 when every row is intact; exit 1 naming the first modified, deleted or
reordered row. `--database` checks another database (e.g. a copy or a backup file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (None otherwise, or for other
    databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database).expanduser()
    return None if path.exists() else path


async def handle_verify(args: argparse.Namespace, settings: Settings) -> int:
    from services.audit import verify
    from services.db.engine import Database

    url = database_url(args.database, settings)
    missing = missing_sqlite_file(url)
    if missing is not None:  # SQLite would create an empty file; verify must not write
        print(f"audit verify: no such database file: {missing}", file=sys.stderr)
        return 1
    db = Database(url)
    try:
        report = await verify(db)
    except Exception as exc:  # a missing table or an unreadable file: say so, exit 1
        why = "it has no audit log" if "no such table" in str(exc) else type(exc).__name__
        print(f"audit verify: cannot read the audit log: {why}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    if report.ok:
        print(f"audit chain ok: {report.rows} rows, head seq {report.head_seq}")
        return 0
    assert report.problem is not None
    print(f"audit chain BROKEN after checking {report.rows} rows: {report.problem.describe()}")
    return 1
