"""users: drop `users.deposit`; the paper account (`trading_accounts`) is the only deposit.

The column held a default of 1000 nobody chose, so a user who never used /deposit
looked funded to anything that read it. Deposits live in the accounts service alone.

SQLite: batch mode without recreating the table. A recreate copies `users`, drops the
original and renames the copy; with foreign keys on, that drop is an implicit
`DELETE FROM users`, which would cascade into accounts, positions and fills. SQLite
3.35+ drops a plain column in place, so the batch is told never to recreate.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("deposit")


def downgrade() -> None:
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.add_column(
            sa.Column(
                "deposit",
                sa.Numeric(precision=28, scale=10),
                nullable=False,
                server_default="1000",
            )
        )
    # Put back what 0005..0010 mirrored: the paper account's deposit, where there is one.
    op.execute(
        "UPDATE users SET deposit = (SELECT CAST(a.deposit AS NUMERIC(28, 10))"
        " FROM trading_accounts a WHERE a.user_id = users.id AND a.trade_mode = 'paper')"
        " WHERE EXISTS (SELECT 1 FROM trading_accounts a"
        " WHERE a.user_id = users.id AND a.trade_mode = 'paper')"
    )
