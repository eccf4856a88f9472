"""signals: signal records, cached explanations, deliveries with latency, cooldowns.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signal_cooldowns",
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("trade_mode", sa.String(length=16), nullable=False),
        sa.Column("last_ms", sa.BigInteger(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "symbol", "direction", "trade_mode", name=op.f("pk_signal_cooldowns")
        ),
    )
    op.create_table(
        "signals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("timeframe", sa.String(length=8), nullable=False),
        sa.Column("preset", sa.String(length=32), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("trade_mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("candidate_direction", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("entry", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("stop", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("tp1", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("tp2", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("tp3", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("rr", sa.Float(), nullable=True),
        sa.Column("size", sa.JSON(), nullable=True),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("regime", sa.String(length=32), nullable=False),
        sa.Column("mtf", sa.JSON(), nullable=False),
        sa.Column("mtf_confirmed", sa.Boolean(), nullable=False),
        sa.Column("fbd_score", sa.Float(), nullable=False),
        sa.Column("fbd", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=True),
        sa.Column("rejections", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("bar_time", sa.BigInteger(), nullable=False),
        sa.Column("candle_close_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("checked_ms", sa.BigInteger(), nullable=False),
        sa.Column("tp_hit", sa.Integer(), nullable=False),
        sa.Column("current_stop", sa.Numeric(precision=28, scale=10), nullable=True),
        sa.Column("tp1_ms", sa.BigInteger(), nullable=True),
        sa.Column("tp2_ms", sa.BigInteger(), nullable=True),
        sa.Column("tp3_ms", sa.BigInteger(), nullable=True),
        sa.Column("sl_ms", sa.BigInteger(), nullable=True),
        sa.Column("closed_ms", sa.BigInteger(), nullable=True),
        sa.Column("outcome_r", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('LONG', 'SHORT', 'NEUTRAL')", name=op.f("ck_signals_direction")
        ),
        sa.CheckConstraint("origin IN ('scan', 'request', 'cli')", name=op.f("ck_signals_origin")),
        sa.CheckConstraint(
            "status IN ('neutral', 'active', 'tp1', 'tp2', 'tp3', 'sl', 'breakeven', 'expired')",
            name=op.f("ck_signals_status"),
        ),
        sa.CheckConstraint(
            "trade_mode IN ('live', 'paper', 'backfill', 'backtest')",
            name=op.f("ck_signals_trade_mode"),
        ),
        sa.CheckConstraint("confidence BETWEEN 0 AND 100", name=op.f("ck_signals_confidence")),
        sa.CheckConstraint("tp_hit BETWEEN 0 AND 3", name=op.f("ck_signals_tp_hit")),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_signals_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
        sa.UniqueConstraint(
            "symbol",
            "timeframe",
            "preset",
            "bar_time",
            "trade_mode",
            "direction",
            name="uq_signals_bar",
        ),
    )
    op.create_index(
        "ix_signals_mode_preset", "signals", ["trade_mode", "preset", "created_ms"], unique=False
    )
    op.create_index("ix_signals_requested_by", "signals", ["requested_by"], unique=False)
    op.create_index(
        "ix_signals_status_symbol", "signals", ["status", "symbol", "timeframe"], unique=False
    )
    op.create_table(
        "signal_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("size", sa.JSON(), nullable=True),
        sa.Column("candle_close_ms", sa.BigInteger(), nullable=False),
        sa.Column("delivered_ms", sa.BigInteger(), nullable=True),
        sa.Column("latency_ms", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'blocked')",
            name=op.f("ck_signal_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_signal_deliveries_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_signal_deliveries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_deliveries")),
        sa.UniqueConstraint(
            "signal_id", "user_id", name=op.f("uq_signal_deliveries_signal_id_user_id")
        ),
    )
    op.create_index(
        "ix_signal_deliveries_user", "signal_deliveries", ["user_id", "signal_id"], unique=False
    )
    op.create_table(
        "signal_explanations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_signal_explanations_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_explanations")),
        sa.UniqueConstraint(
            "signal_id", "lang", name=op.f("uq_signal_explanations_signal_id_lang")
        ),
    )


def downgrade() -> None:
    op.drop_table("signal_explanations")
    op.drop_index("ix_signal_deliveries_user", table_name="signal_deliveries")
    op.drop_table("signal_deliveries")
    op.drop_index("ix_signals_status_symbol", table_name="signals")
    op.drop_index("ix_signals_requested_by", table_name="signals")
    op.drop_index("ix_signals_mode_preset", table_name="signals")
    op.drop_table("signals")
    op.drop_table("signal_cooldowns")
