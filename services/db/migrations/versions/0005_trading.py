"""trading: accounts, deposit ledger, paper positions and fills.

Money columns are NUMERIC(28, 10), VARCHAR(40) on SQLite (exact decimal text; see
services/db/models/trading.py: ExactMoney).

Revision ID: 0005
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.Numeric(28, 10).with_variant(sa.String(40), "sqlite"), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "trading_accounts",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("trade_mode", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(16), nullable=False),
        _money("deposit"),
        _money("realized_pnl"),
        _money("fees"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
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
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("trade_mode", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _money("amount"),
        _money("deposit_after"),
        _money("balance_after"),
        sa.Column("time_ms", sa.BigInteger(), nullable=False),
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
    op.create_index("ix_deposit_ledger_user_time", "deposit_ledger", ["user_id", "time_ms"])
    op.create_table(
        "positions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("trade_mode", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("signal_id", sa.BigInteger(), nullable=True),
        sa.Column("request_key", sa.String(128), nullable=False),
        sa.Column("symbol", sa.String(32), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("leverage", sa.Integer(), nullable=False),
        sa.Column("timeframe", sa.String(8), nullable=False),
        _money("entry_price"),
        _money("qty"),
        _money("remaining_qty"),
        _money("margin"),
        _money("fee_rate"),
        _money("slippage_bps"),
        _money("atr"),
        _money("atr_fraction"),
        _money("trail"),
        _money("stop", True),
        _money("initial_stop", True),
        _money("tp1", True),
        _money("tp2", True),
        _money("tp3", True),
        sa.Column("tps_hit", sa.Integer(), nullable=False),
        _money("liquidation_price", True),
        _money("risk_amount", True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("exit_reason", sa.String(16), nullable=True),
        sa.Column("manual_exit", sa.Boolean(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        _money("realized_pnl"),
        _money("fees"),
        sa.Column("opened_ms", sa.BigInteger(), nullable=False),
        sa.Column("closed_ms", sa.BigInteger(), nullable=True),
        sa.Column("last_checked_ms", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("side IN ('long', 'short')", name=op.f("ck_positions_side")),
        sa.CheckConstraint("kind IN ('spot', 'perp')", name=op.f("ck_positions_kind")),
        sa.CheckConstraint(
            "trade_mode IN ('live', 'paper', 'backfill')", name=op.f("ck_positions_trade_mode")
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_positions_status")),
        sa.CheckConstraint("leverage >= 1 AND leverage <= 125", name=op.f("ck_positions_leverage")),
        sa.CheckConstraint("remaining_qty >= 0", name=op.f("ck_positions_remaining_qty")),
        sa.CheckConstraint("qty > 0", name=op.f("ck_positions_qty")),
        sa.ForeignKeyConstraint(
            ["user_id", "trade_mode"],
            ["trading_accounts.user_id", "trading_accounts.trade_mode"],
            name=op.f("fk_positions_user_id_trading_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
        sa.UniqueConstraint("request_key", name=op.f("uq_positions_request_key")),
    )
    op.create_index("ix_positions_user_status", "positions", ["user_id", "status"])
    op.create_index("ix_positions_status_symbol", "positions", ["status", "symbol"])
    op.create_index(
        "ix_positions_user_mode_closed", "positions", ["user_id", "trade_mode", "closed_ms"]
    )
    op.create_table(
        "fills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("trade_mode", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _money("qty"),
        _money("price"),
        _money("fee"),
        _money("pnl"),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("time_ms", sa.BigInteger(), nullable=False),
        sa.Column("bar_ms", sa.BigInteger(), nullable=True),
        sa.Column("notified", sa.Boolean(), nullable=False),
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
    op.create_index("ix_fills_position_id", "fills", ["position_id"])
    op.create_index("ix_fills_user_mode_time", "fills", ["user_id", "trade_mode", "time_ms"])


def downgrade() -> None:
    op.drop_table("fills")
    op.drop_table("positions")
    op.drop_table("deposit_ledger")
    op.drop_table("trading_accounts")
