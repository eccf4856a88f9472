"""Deposits, paper positions and their fills.

Times are int64 milliseconds UTC taken from the market clock, so backfill rows carry
the replayed time rather than the wall clock. Money is Numeric(28, 10) -> Decimal.

Integrity guards that the services rely on:
- `positions.request_key` is UNIQUE: a retried update or a double tap cannot open a
  second position.
- `fills (position_id, kind)` is UNIQUE: each kind of fill (entry, tp1, tp2, tp3, stop,
  liquidation, close) happens at most once per position, so a monitor pass that
  re-reads the same candle cannot record it twice.
- `trading_accounts` holds running totals updated in the same transaction as the
  ledger/fill rows; tests check them against the sums of those rows.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from services.db.base import Base

_QUANTUM = Decimal("1e-10")


class ExactMoney(TypeDecorator[Decimal]):
    """Numeric(28, 10) everywhere, stored as text on SQLite.

    SQLite has no decimal type: a NUMERIC column turns every value into a REAL and
    keeps 15 significant digits, which would break the balance identity. On SQLite the
    column is VARCHAR holding the canonical decimal string; elsewhere it is NUMERIC.
    Values are quantized to 10 decimals on the way in, like NUMERIC(28, 10) would.
    Sum money in Python, not with SQL SUM (which would see text on SQLite).
    """

    impl = Numeric(28, 10, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[object]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(28, 10, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> object:
        if value is None:
            return None
        value = Decimal(value).quantize(_QUANTUM)
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value))


def money_column_type() -> TypeEngine[Decimal]:
    """The same storage for migrations: NUMERIC(28, 10), VARCHAR(40) on SQLite."""
    return Numeric(28, 10).with_variant(String(40), "sqlite")


Money = ExactMoney()


class TradingAccount(Base):
    """One row per user and trade mode: the deposit and running realized PnL and fees.

    Paper and backfill money never mix: a backfill run trades its own account.
    """

    __tablename__ = "trading_accounts"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    trade_mode: Mapped[str] = mapped_column(String(16), primary_key=True)
    currency: Mapped[str] = mapped_column(String(16), default="USDT")
    deposit: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    realized_pnl: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    fees: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    # Bumped by every write; the first statement of a money transaction, so the row
    # (PostgreSQL) or the database (SQLite) is write-locked before anything is read.
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class DepositEntry(Base):
    """Append-only ledger of deposit changes."""

    __tablename__ = "deposit_ledger"
    __table_args__ = (
        CheckConstraint("kind IN ('set', 'add', 'withdraw')", name="kind"),
        ForeignKeyConstraint(
            ["user_id", "trade_mode"],
            ["trading_accounts.user_id", "trading_accounts.trade_mode"],
            ondelete="CASCADE",
        ),
        Index("ix_deposit_ledger_user_time", "user_id", "time_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    trade_mode: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)  # signed change of the deposit
    deposit_after: Mapped[Decimal] = mapped_column(Money)
    balance_after: Mapped[Decimal] = mapped_column(Money)
    time_ms: Mapped[int] = mapped_column(BigInteger)


class Position(Base):
    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("request_key"),
        CheckConstraint("side IN ('long', 'short')", name="side"),
        CheckConstraint("kind IN ('spot', 'perp')", name="kind"),
        CheckConstraint("trade_mode IN ('live', 'paper', 'backfill')", name="trade_mode"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("leverage >= 1 AND leverage <= 125", name="leverage"),
        CheckConstraint("remaining_qty >= 0", name="remaining_qty"),
        CheckConstraint("qty > 0", name="qty"),
        ForeignKeyConstraint(
            ["user_id", "trade_mode"],
            ["trading_accounts.user_id", "trading_accounts.trade_mode"],
            ondelete="CASCADE",
        ),
        Index("ix_positions_user_status", "user_id", "status"),
        Index("ix_positions_status_symbol", "status", "symbol"),
        Index("ix_positions_user_mode_closed", "user_id", "trade_mode", "closed_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    trade_mode: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))  # manual | signal | backfill
    signal_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    request_key: Mapped[str] = mapped_column(String(128))
    symbol: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(8))
    leverage: Mapped[int] = mapped_column(Integer)
    timeframe: Mapped[str] = mapped_column(String(8))
    entry_price: Mapped[Decimal] = mapped_column(Money)
    qty: Mapped[Decimal] = mapped_column(Money)
    remaining_qty: Mapped[Decimal] = mapped_column(Money)
    margin: Mapped[Decimal] = mapped_column(Money)
    fee_rate: Mapped[Decimal] = mapped_column(Money)
    # Execution model parameters the monitor replays on every bar (core/fills).
    slippage_bps: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    atr: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # ATR known at entry
    atr_fraction: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    trail: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    stop: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    initial_stop: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    tp1: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    tp2: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    tp3: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    tps_hit: Mapped[int] = mapped_column(Integer, default=0)
    liquidation_price: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    risk_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    exit_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    manual_exit: Mapped[bool] = mapped_column(Boolean, default=False)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    realized_pnl: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    fees: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    opened_ms: Mapped[int] = mapped_column(BigInteger)
    closed_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Open time of the last candle the monitor has applied to this position.
    last_checked_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Fill(Base):
    __tablename__ = "fills"
    __table_args__ = (
        UniqueConstraint("position_id", "kind"),
        CheckConstraint(
            "kind IN ('entry', 'tp1', 'tp2', 'tp3', 'stop', 'liquidation', 'close')",
            name="kind",
        ),
        CheckConstraint("qty > 0", name="qty"),
        Index("ix_fills_user_mode_time", "user_id", "trade_mode", "time_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger)
    trade_mode: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    qty: Mapped[Decimal] = mapped_column(Money)
    price: Mapped[Decimal] = mapped_column(Money)
    fee: Mapped[Decimal] = mapped_column(Money)
    pnl: Mapped[Decimal] = mapped_column(Money)  # gross; 0 for the entry
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    time_ms: Mapped[int] = mapped_column(BigInteger)
    # Open time of the candle that triggered the fill (None for market/manual fills).
    bar_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)
