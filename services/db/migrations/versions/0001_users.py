"""users: one row per Telegram user with language, time zone and trading settings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("first_name", sa.String(length=128), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC"),
        sa.Column("is_blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "deposit", sa.Numeric(precision=28, scale=10), nullable=False, server_default="1000"
        ),
        sa.Column("quote_currency", sa.String(length=10), nullable=False, server_default="USDT"),
        sa.Column(
            "risk_per_trade", sa.Numeric(precision=10, scale=4), nullable=False, server_default="1"
        ),
        sa.Column("leverage", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("notify_mode", sa.String(length=8), nullable=False, server_default="all"),
        sa.Column("min_confidence", sa.Integer(), nullable=False, server_default="60"),
        sa.Column("preset", sa.String(length=32), nullable=False, server_default="composite"),
        sa.CheckConstraint(
            "notify_mode IN ('all', 'strong', 'off')", name=op.f("ck_users_notify_mode")
        ),
        sa.CheckConstraint(
            "min_confidence BETWEEN 0 AND 100", name=op.f("ck_users_min_confidence")
        ),
        sa.CheckConstraint("leverage BETWEEN 1 AND 125", name=op.f("ck_users_leverage")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )


def downgrade() -> None:
    op.drop_table("users")
