"""market: candle series with coverage, the candle cache, symbol block/white lists.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "candle_series",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exchange", sa.String(length=32), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=False),
        sa.Column("timeframe", sa.String(length=8), nullable=False),
        sa.Column("first_ts", sa.BigInteger(), nullable=True),
        sa.Column("last_ts", sa.BigInteger(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("gaps_json", sa.Text(), nullable=False),
        sa.Column("checked_from", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candle_series")),
        sa.UniqueConstraint(
            "exchange",
            "symbol",
            "timeframe",
            name=op.f("uq_candle_series_exchange_symbol_timeframe"),
        ),
    )
    op.create_table(
        "candles",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("open", sa.Float(precision=53), nullable=False),
        sa.Column("high", sa.Float(precision=53), nullable=False),
        sa.Column("low", sa.Float(precision=53), nullable=False),
        sa.Column("close", sa.Float(precision=53), nullable=False),
        sa.Column("volume", sa.Float(precision=53), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["candle_series.id"],
            name=op.f("fk_candles_series_id_candle_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("series_id", "ts", name=op.f("pk_candles")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "market_symbol_lists",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('block', 'white')", name=op.f("ck_market_symbol_lists_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_symbol_lists")),
        sa.UniqueConstraint("kind", "symbol", name=op.f("uq_market_symbol_lists_kind_symbol")),
    )


def downgrade() -> None:
    op.drop_table("market_symbol_lists")
    op.drop_table("candles")
    op.drop_table("candle_series")
