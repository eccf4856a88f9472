"""Risk flags (with their whole set/clear history) and sent-digest records.

Integrity guards the services rely on:
- at most one *active* row per flag name and scope (partial UNIQUE index on
  `(name, scope) WHERE active`): setting an already active flag cannot duplicate it,
  and a cleared row stays as history with who/when/why;
- `digests_sent (user_id, kind, period)` is UNIQUE: the digest job claims a row before
  it sends, so a second run, a second worker or a restart cannot send it twice.
`scope` is 0 for a global flag, otherwise the user id (Telegram ids are positive).
Times are int64 milliseconds UTC.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base

GLOBAL_SCOPE = 0


class RiskFlag(Base):
    __tablename__ = "risk_flags"
    __table_args__ = (
        Index(
            "ux_risk_flags_active",
            "name",
            "scope",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
        Index("ix_risk_flags_scope_active", "scope", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(32))
    scope: Mapped[int] = mapped_column(BigInteger)  # 0 = global, else the user id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why: free text from an admin, or a Fluent key + variables from the guard/jobs
    # (rendered in each reader's language).
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason_params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    set_by: Mapped[str] = mapped_column(String(32))  # "guard", "job", "admin:<id>"
    set_ms: Mapped[int] = mapped_column(BigInteger)
    # A flag that lapses by itself (daily loss: next UTC midnight; streak: cooldown end);
    # readers treat it as inactive from then on, the guard job clears the row.
    expires_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cleared_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    cleared_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    clear_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DigestSent(Base):
    __tablename__ = "digests_sent"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "period"),
        CheckConstraint("kind IN ('daily', 'weekly')", name="kind"),
        CheckConstraint("status IN ('queued', 'sent', 'skipped', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    period: Mapped[str] = mapped_column(String(10))  # the local date the report covers up to
    status: Mapped[str] = mapped_column(String(8))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    sent_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
