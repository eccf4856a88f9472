"""The `users` table: one row per Telegram user, with the settings later features read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base
from services.db.types import UTCDateTime, utcnow


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("notify_mode IN ('all', 'strong', 'off')", name="notify_mode"),
        CheckConstraint("min_confidence BETWEEN 0 AND 100", name="min_confidence"),
        CheckConstraint("leverage BETWEEN 1 AND 125", name="leverage"),
    )

    # The Telegram user id; other tables reference it.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str | None] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    is_blocked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    # Trading settings (edited with /settings). The deposit is not here: the accounts
    # service (`trading_accounts`, set with /deposit) is its only source.
    quote_currency: Mapped[str] = mapped_column(String(10), nullable=False, default="USDT")
    risk_per_trade: Mapped[Decimal] = mapped_column(
        Numeric(10, 4, asdecimal=True), nullable=False, default=Decimal("1")
    )
    leverage: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    notify_mode: Mapped[str] = mapped_column(String(8), nullable=False, default="all")
    min_confidence: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    preset: Mapped[str] = mapped_column(String(32), nullable=False, default="composite")
