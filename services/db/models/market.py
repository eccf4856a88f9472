"""Market-data tables: candle series with their coverage, the candle cache, and the
admin-edited symbol block/white lists.

A candle is unique per (exchange, symbol, timeframe, ts). The first three name a
row of `candle_series` and `candles` is keyed by (series_id, ts): an integer key
instead of three repeated strings halves the file and roughly doubles bulk-insert
speed, and on SQLite the table is WITHOUT ROWID so each series is clustered on disk
(range reads touch consecutive pages). Re-importing or re-fetching never duplicates
a row: inserts use ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base
from services.db.types import UTCDateTime, utcnow

SYMBOL_LIST_KINDS = ("block", "white")


class CandleSeries(Base):
    """One (exchange, symbol, timeframe) series and what the cache holds of it.

    Bounds, row count, gaps and completeness are refreshed by every import and
    fetch, so `data status` needs no scan of `candles`. `checked_from` records how
    far back the exchange was already asked, so a coin listed after a requested
    start is not re-fetched on every call.
    """

    __tablename__ = "candle_series"
    __table_args__ = (UniqueConstraint("exchange", "symbol", "timeframe"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exchange: Mapped[str] = mapped_column(String(32), nullable=False)
    symbol: Mapped[str] = mapped_column(String(40), nullable=False)
    timeframe: Mapped[str] = mapped_column(String(8), nullable=False)
    first_ts: Mapped[int | None] = mapped_column(BigInteger)
    last_ts: Mapped[int | None] = mapped_column(BigInteger)
    rows: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    missing: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    gaps_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    checked_from: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Candle(Base):
    """One closed candle. Prices are float64 market data, not accounted money."""

    __tablename__ = "candles"
    __table_args__ = (
        PrimaryKeyConstraint("series_id", "ts"),
        {"sqlite_with_rowid": False},
    )

    series_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("candle_series.id", ondelete="CASCADE")
    )
    ts: Mapped[int] = mapped_column(BigInteger)  # open time, ms UTC
    open: Mapped[float] = mapped_column(Float(53), nullable=False)
    high: Mapped[float] = mapped_column(Float(53), nullable=False)
    low: Mapped[float] = mapped_column(Float(53), nullable=False)
    close: Mapped[float] = mapped_column(Float(53), nullable=False)
    volume: Mapped[float] = mapped_column(Float(53), nullable=False)


class SymbolListEntry(Base):
    """An admin's blocklist (never screened) or whitelist (always screened) entry."""

    __tablename__ = "market_symbol_lists"
    __table_args__ = (
        UniqueConstraint("kind", "symbol"),
        CheckConstraint("kind IN ('block', 'white')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    symbol: Mapped[str] = mapped_column(String(40), nullable=False)
    note: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
