"""Signal records, their explanations, deliveries and the per-symbol cooldown.

Times are int64 milliseconds UTC from the market clock (so a backfill replay stores
replayed time), except `delivered_ms`, which is the wall clock at delivery: the
delivery latency is measured in real time even when the market clock is replayed.
Prices are Numeric(28, 10) -> Decimal; scores and confidences are floats.

Integrity guards the services rely on:
- `signal_deliveries (signal_id, user_id)` is UNIQUE: a re-run scan cannot send one
  signal twice to the same user.
- `signal_explanations (signal_id, lang)` is UNIQUE: one cached AI text per language.
- `signal_cooldowns` has one row per (symbol, direction, trade_mode): a backfill
  replay never silences live signals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base
from services.db.types import money

DIRECTIONS = ("LONG", "SHORT", "NEUTRAL")
TRADE_MODES = ("live", "paper", "backfill", "backtest")
# Open states are followed by the monitor; the others are final.
OPEN_STATUSES = ("active", "tp1", "tp2")
FINAL_STATUSES = ("tp3", "sl", "breakeven", "expired")
STATUSES = ("neutral", *OPEN_STATUSES, *FINAL_STATUSES)
ORIGINS = ("scan", "request", "cli")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SignalRecord(Base):
    __tablename__ = "signals"
    __table_args__ = (
        CheckConstraint(_in("direction", DIRECTIONS), name="direction"),
        CheckConstraint(_in("trade_mode", TRADE_MODES), name="trade_mode"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("origin", ORIGINS), name="origin"),
        CheckConstraint("confidence BETWEEN 0 AND 100", name="confidence"),
        CheckConstraint("tp_hit BETWEEN 0 AND 3", name="tp_hit"),
        Index("ix_signals_status_symbol", "status", "symbol", "timeframe"),
        Index("ix_signals_mode_preset", "trade_mode", "preset", "created_ms"),
        Index("ix_signals_requested_by", "requested_by"),
        # One record per analysed bar: concurrent requests for a bar end with one row.
        UniqueConstraint(
            "symbol",
            "timeframe",
            "preset",
            "bar_time",
            "trade_mode",
            "direction",
            name="uq_signals_bar",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    symbol: Mapped[str] = mapped_column(String(32))
    timeframe: Mapped[str] = mapped_column(String(8))
    preset: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    trade_mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))

    direction: Mapped[str] = mapped_column(String(8))
    candidate_direction: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    entry: Mapped[Decimal | None] = mapped_column(money())
    stop: Mapped[Decimal | None] = mapped_column(money())
    tp1: Mapped[Decimal | None] = mapped_column(money())
    tp2: Mapped[Decimal | None] = mapped_column(money())
    tp3: Mapped[Decimal | None] = mapped_column(money())
    rr: Mapped[float | None] = mapped_column(Float)
    # The requesting user's size suggestion (scan signals size per delivery instead).
    size: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    regime: Mapped[str] = mapped_column(String(32))
    mtf: Mapped[dict[str, Any]] = mapped_column(JSON)
    mtf_confirmed: Mapped[bool] = mapped_column(Boolean)
    fbd_score: Mapped[float] = mapped_column(Float)
    fbd: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    levels: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rejections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    source: Mapped[str] = mapped_column(String(32))
    simulated: Mapped[bool] = mapped_column(Boolean)
    bar_time: Mapped[int] = mapped_column(BigInteger)  # open time of the signal bar
    candle_close_ms: Mapped[int] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    expires_ms: Mapped[int] = mapped_column(BigInteger)

    # Monitor state: the last candle looked at, targets reached, the live stop.
    checked_ms: Mapped[int] = mapped_column(BigInteger)
    tp_hit: Mapped[int] = mapped_column(Integer, default=0)
    current_stop: Mapped[Decimal | None] = mapped_column(money())
    tp1_ms: Mapped[int | None] = mapped_column(BigInteger)
    tp2_ms: Mapped[int | None] = mapped_column(BigInteger)
    tp3_ms: Mapped[int | None] = mapped_column(BigInteger)
    sl_ms: Mapped[int | None] = mapped_column(BigInteger)
    closed_ms: Mapped[int | None] = mapped_column(BigInteger)
    outcome_r: Mapped[float | None] = mapped_column(Float)


class SignalExplanation(Base):
    """Cached AI rationale per signal and language (fallback texts are not cached)."""

    __tablename__ = "signal_explanations"
    __table_args__ = (UniqueConstraint("signal_id", "lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    model: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class SignalDelivery(Base):
    """One signal pushed to one subscriber, with the candle-close-to-delivery latency."""

    __tablename__ = "signal_deliveries"
    __table_args__ = (
        UniqueConstraint("signal_id", "user_id"),
        CheckConstraint("status IN ('queued', 'sent', 'failed', 'blocked')", name="status"),
        Index("ix_signal_deliveries_user", "user_id", "signal_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    size: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    candle_close_ms: Mapped[int] = mapped_column(BigInteger)
    delivered_ms: Mapped[int | None] = mapped_column(BigInteger)  # wall clock
    latency_ms: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))


class SignalCooldown(Base):
    """When the last signal per symbol and direction was issued (per trade mode)."""

    __tablename__ = "signal_cooldowns"

    symbol: Mapped[str] = mapped_column(String(32), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8), primary_key=True)
    trade_mode: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_ms: Mapped[int] = mapped_column(BigInteger)
    signal_id: Mapped[int] = mapped_column(Integer)
