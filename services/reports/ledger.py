"""Sent-digest records: a digest is claimed (UNIQUE user/kind/period) before it is
queued, so it is never sent twice, even after a restart or with two schedulers."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from services.db.engine import Database
from services.db.models.risk import DigestSent


class DigestLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, user_id: int, kind: str, period: str, now_ms: int) -> int | None:
        """The claim's id, or None when this digest was already handled."""
        try:
            async with self._db.session() as session:
                row = DigestSent(
                    user_id=user_id, kind=kind, period=period, status="queued", created_ms=now_ms
                )
                session.add(row)
                await session.flush()
                return row.id
        except IntegrityError:
            return None

    async def finish(self, claim_id: int, status: str, sent_ms: int | None = None) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(DigestSent)
                .where(DigestSent.id == claim_id)
                .values(status=status, sent_ms=sent_ms)
            )
