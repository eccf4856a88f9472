"""Users an admin blocked: kept in `user_blocks`, mirrored in memory so the update
middleware can drop their updates without a query. Every change is audited."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from services.audit import record as audit
from services.db.engine import Database
from services.db.models.audit import UserBlock


class BlockList:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ids: set[int] = set()
        self._loaded = False

    async def load(self) -> None:
        async with self._db.sessions() as session:
            self._ids = set((await session.scalars(select(UserBlock.user_id))).all())
        self._loaded = True

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self._ids

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self._ids)

    async def block(self, user_id: int, admin_id: int, reason: str | None = None) -> bool:
        """True if the user was not blocked before."""
        async with self._db.session() as session:
            insert = (
                postgresql.insert
                if session.get_bind().dialect.name == "postgresql"
                else sqlite.insert
            )
            result = await session.execute(
                insert(UserBlock)
                .values(user_id=user_id, blocked_by=admin_id, reason=reason)
                .on_conflict_do_nothing()
            )
            created = bool(result.rowcount)
            if created:
                await audit(
                    session,
                    "user.block",
                    subject=f"user:{user_id}",
                    what={"blocked": True},
                    why=reason,
                    actor=f"admin:{admin_id}",
                )
        self._ids.add(user_id)
        return created

    async def unblock(self, user_id: int, admin_id: int) -> bool:
        async with self._db.session() as session:
            result = await session.execute(delete(UserBlock).where(UserBlock.user_id == user_id))
            removed = bool(result.rowcount)
            if removed:
                await audit(
                    session,
                    "user.unblock",
                    subject=f"user:{user_id}",
                    what={"blocked": False},
                    actor=f"admin:{admin_id}",
                )
        self._ids.discard(user_id)
        return removed
