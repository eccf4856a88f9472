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
    op.drop_index(op.f("ix_deposit_ledger_user_time"), table_name="deposit_ledger")
    op.drop_table("deposit_ledger")
    op.drop_table("trading_accounts")
    op.drop_index(op.f("ix_positions_status_symbol"), table_name="positions")
    op.drop_index(op.f("ix_positions_user_mode_closed"), table_name="positions")
    op.drop_index(op.f("ix_positions_user_status"), table_name="positions")
    op.drop_table("positions")
    op.drop_index(op.f("ix_fills_position_id"), table_name="fills")
    op.drop_index(op.f("ix_fills_user_mode_time"), table_name="fills")
    op.drop_table("fills")


def downgrade() -> None:
    op.create_table(
        "fills",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("position_id", sa.INTEGER(), nullable=False),
        sa.Column("user_id", sa.BIGINT(), nullable=False),
        sa.Column("trade_mode", sa.VARCHAR(length=16), nullable=False),
        sa.Column("kind", sa.VARCHAR(length=16), nullable=False),
        sa.Column("qty", sa.VARCHAR(length=40), nullable=False),
        sa.Column("price", sa.VARCHAR(length=40), nullable=False),
        sa.Column("fee", sa.VARCHAR(length=40), nullable=False),
        sa.Column("pnl", sa.VARCHAR(length=40), nullable=False),
        sa.Column("manual", sa.BOOLEAN(), nullable=False),
        sa.Column("time_ms", sa.BIGINT(), nullable=False),
        sa.Column("bar_ms", sa.BIGINT(), nullable=True),
        sa.Column("notified", sa.BOOLEAN(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('entry', 'tp1', 'tp2', 'tp3', 'stop', 'liquidation', 'close')",
            name=op.f("ck_fills_kind"),
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_fills_qty")),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_fills_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fills")),
        sa.UniqueConstraint("position_id", "kind", name=op.f("uq_fills_position_id_kind")),
    )
    op.create_index(
        op.f("ix_fills_user_mode_time"), "fills", ["user_id", "trade_mode", "time_ms"], unique=False
    )
    op.create_index(op.f("ix_fills_position_id"), "fills", ["position_id"], unique=False)
    op.create_table(
        "positions",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("user_id", sa.BIGINT(), nullable=False),
        sa.Column("trade_mode", sa.VARCHAR(length=16), nullable=False),
        sa.Column("source", sa.VARCHAR(length=16), nullable=False),
        sa.Column("signal_id", sa.BIGINT(), nullable=True),
        sa.Column("request_key", sa.VARCHAR(length=128), nullable=False),
        sa.Column("symbol", sa.VARCHAR(length=32), nullable=False),
        sa.Column("side", sa.VARCHAR(length=8), nullable=False),
        sa.Column("kind", sa.VARCHAR(length=8), nullable=False),
        sa.Column("leverage", sa.INTEGER(), nullable=False),
        sa.Column("timeframe", sa.VARCHAR(length=8), nullable=False),
        sa.Column("entry_price", sa.VARCHAR(length=40), nullable=False),
        sa.Column("qty", sa.VARCHAR(length=40), nullable=False),
        sa.Column("remaining_qty", sa.VARCHAR(length=40), nullable=False),
        sa.Column("margin", sa.VARCHAR(length=40), nullable=False),
        sa.Column("fee_rate", sa.VARCHAR(length=40), nullable=False),
        sa.Column("slippage_bps", sa.VARCHAR(length=40), nullable=False),
        sa.Column("atr", sa.VARCHAR(length=40), nullable=False),
        sa.Column("atr_fraction", sa.VARCHAR(length=40), nullable=False),
        sa.Column("trail", sa.VARCHAR(length=40), nullable=False),
        sa.Column("stop", sa.VARCHAR(length=40), nullable=True),
        sa.Column("initial_stop", sa.VARCHAR(length=40), nullable=True),
        sa.Column("tp1", sa.VARCHAR(length=40), nullable=True),
        sa.Column("tp2", sa.VARCHAR(length=40), nullable=True),
        sa.Column("tp3", sa.VARCHAR(length=40), nullable=True),
        sa.Column("tps_hit", sa.INTEGER(), nullable=False),
        sa.Column("liquidation_price", sa.VARCHAR(length=40), nullable=True),
        sa.Column("risk_amount", sa.VARCHAR(length=40), nullable=True),
        sa.Column("status", sa.VARCHAR(length=8), nullable=False),
        sa.Column("exit_reason", sa.VARCHAR(length=16), nullable=True),
        sa.Column("manual_exit", sa.BOOLEAN(), nullable=False),
        sa.Column("simulated", sa.BOOLEAN(), nullable=False),
        sa.Column("realized_pnl", sa.VARCHAR(length=40), nullable=False),
        sa.Column("fees", sa.VARCHAR(length=40), nullable=False),
        sa.Column("opened_ms", sa.BIGINT(), nullable=False),
        sa.Column("closed_ms", sa.BIGINT(), nullable=True),
        sa.Column("last_checked_ms", sa.BIGINT(), nullable=True),
        sa.CheckConstraint("kind IN ('spot', 'perp')", name=op.f("ck_positions_kind")),
        sa.CheckConstraint("side IN ('long', 'short')", name=op.f("ck_positions_side")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_positions_status")),
        sa.CheckConstraint(
            "trade_mode IN ('live', 'paper', 'backfill')", name=op.f("ck_positions_trade_mode")
        ),
        sa.CheckConstraint("leverage >= 1 AND leverage <= 125", name=op.f("ck_positions_leverage")),
        sa.CheckConstraint("qty > 0", name=op.f("ck_positions_qty")),
        sa.CheckConstraint("remaining_qty >= 0", name=op.f("ck_positions_remaining_qty")),
        sa.ForeignKeyConstraint(
            ["user_id", "trade_mode"],
            ["trading_accounts.user_id", "trading_accounts.trade_mode"],
            name=op.f("fk_positions_user_id_trading_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
        sa.UniqueConstraint("request_key", name=op.f("uq_positions_request_key")),
    )
    op.create_index(
        op.f("ix_positions_user_status"), "positions", ["user_id", "status"], unique=False
    )
    op.create_index(
        op.f("ix_positions_user_mode_closed"),
        "positions",
        ["user_id", "trade_mode", "closed_ms"],
        unique=False,
    )
    op.create_index(
        op.f("ix_positions_status_symbol"), "positions", ["status", "symbol"], unique=False
    )
    op.create_table(
        "trading_accounts",
        sa.Column("user_id", sa.BIGINT(), nullable=False),
        sa.Column("trade_mode", sa.VARCHAR(length=16), nullable=False),
        sa.Column("currency", sa.VARCHAR(length=16), nullable=False),
        sa.Column("deposit", sa.VARCHAR(length=40), nullable=False),
        sa.Column("realized_pnl", sa.VARCHAR(length=40), nullable=False),
        sa.Column("fees", sa.VARCHAR(length=40), nullable=False),
        sa.Column("version", sa.INTEGER(), nullable=False),
        sa.Column("updated_ms", sa.BIGINT(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_trading_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "trade_mode", name=op.f("pk_trading_accounts")),
    )
    op.create_table(
        "deposit_ledger",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("user_id", sa.BIGINT(), nullable=False),
        sa.Column("trade_mode", sa.VARCHAR(length=16), nullable=False),
        sa.Column("kind", sa.VARCHAR(length=16), nullable=False),
        sa.Column("amount", sa.VARCHAR(length=40), nullable=False),
        sa.Column("deposit_after", sa.VARCHAR(length=40), nullable=False),
        sa.Column("balance_after", sa.VARCHAR(length=40), nullable=False),
        sa.Column("time_ms", sa.BIGINT(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('set', 'add', 'withdraw')", name=op.f("ck_deposit_ledger_kind")
        ),
        sa.ForeignKeyConstraint(
            ["user_id", "trade_mode"],
            ["trading_accounts.user_id", "trading_accounts.trade_mode"],
            name=op.f("fk_deposit_ledger_user_id_trading_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_ledger")),
    )
    op.create_index(
        op.f("ix_deposit_ledger_user_time"), "deposit_ledger", ["user_id", "time_ms"], unique=False
    )
    op.drop_table("signal_explanations")
    op.drop_index("ix_signal_deliveries_user", table_name="signal_deliveries")
    op.drop_table("signal_deliveries")
    op.drop_index("ix_signals_status_symbol", table_name="signals")
    op.drop_index("ix_signals_requested_by", table_name="signals")
    op.drop_index("ix_signals_mode_preset", table_name="signals")
    op.drop_table("signals")
    op.drop_table("signal_cooldowns")
