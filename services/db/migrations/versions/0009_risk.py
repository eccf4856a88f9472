"""risk: risk flags with set/clear history, sent-digest records.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reason_key", sa.String(length=64), nullable=True),
        sa.Column("reason_params", sa.JSON(), nullable=True),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("set_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("cleared_by", sa.String(length=32), nullable=True),
        sa.Column("cleared_ms", sa.BigInteger(), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_flags")),
    )
    op.create_index(
        "ux_risk_flags_active",
        "risk_flags",
        ["name", "scope"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_index("ix_risk_flags_scope_active", "risk_flags", ["scope", "active"])
    op.create_table(
        "digests_sent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("sent_ms", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("kind IN ('daily', 'weekly')", name=op.f("ck_digests_sent_kind")),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'skipped', 'failed')",
            name=op.f("ck_digests_sent_status"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digests_sent_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests_sent")),
        sa.UniqueConstraint(
            "user_id", "kind", "period", name=op.f("uq_digests_sent_user_id_kind_period")
        ),
    )


def downgrade() -> None:
    op.drop_table("digests_sent")
    op.drop_index("ix_risk_flags_scope_active", table_name="risk_flags")
    op.drop_index("ux_risk_flags_active", table_name="risk_flags")
    op.drop_table("risk_flags")
