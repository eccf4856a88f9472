"""The audit log (a sha256 hash chain, see core/audit_chain.py), its head row, and
admin-imposed user blocks.

`audit_head` is a single row (id 1) holding the newest seq and hash. Every append
updates it first, which serializes appenders: on SQLite the UPDATE takes the
database write lock, on PostgreSQL it locks the row until the transaction ends,
so two transactions can never both extend the chain from the same predecessor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base
from services.db.types import UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("seq"),
        Index("ix_audit_log_event", "event"),
        Index("ix_audit_log_subject", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    ts_ms: Mapped[int] = mapped_column(BigInteger, nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)  # "user:1", "system:monitor"
    event: Mapped[str] = mapped_column(String(64), nullable=False)  # "deposit.change", ...
    subject: Mapped[str | None] = mapped_column(String(64))  # "position:12", "user:1"
    rationale: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # Digest of the configuration the last row was written under.
    config_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class UserBlock(Base):
    """A user an admin blocked: their updates are ignored until unblocked."""

    __tablename__ = "user_blocks"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    blocked_by: Mapped[int] = mapped_column(BigInteger, nullable=False)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
