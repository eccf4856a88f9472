"""Risk flags in the database: set, clear, read, with who/when/why kept as history.

Setting an active flag again refreshes nothing and returns the existing one (the
partial UNIQUE index settles concurrent setters); clearing marks the row inactive
with who/when/why, so `history` shows every episode.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.risk.flags import FLAG_NAMES
from services.audit import record as audit
from services.db.engine import Database
from services.db.models.risk import GLOBAL_SCOPE, RiskFlag
from services.risk.dto import FlagDTO


def _subject(user_id: int | None) -> str:
    return "global" if user_id is None else f"user:{user_id}"


def scope_of(user_id: int | None) -> int:
    return GLOBAL_SCOPE if user_id is None else int(user_id)


def to_dto(row: RiskFlag) -> FlagDTO:
    return FlagDTO(
        id=row.id,
        name=row.name,
        user_id=None if row.scope == GLOBAL_SCOPE else row.scope,
        active=row.active,
        reason=row.reason,
        reason_key=row.reason_key,
        reason_params=dict(row.reason_params or {}),
        set_by=row.set_by,
        set_ms=row.set_ms,
        expires_ms=row.expires_ms,
        cleared_by=row.cleared_by,
        cleared_ms=row.cleared_ms,
        clear_reason=row.clear_reason,
    )


class FlagStore:
    def __init__(self, db: Database, clock: Callable[[], int]) -> None:
        self._db = db
        self._now_ms = clock

    async def set(
        self,
        name: str,
        user_id: int | None,
        *,
        set_by: str,
        reason: str | None = None,
        reason_key: str | None = None,
        reason_params: Mapping[str, Any] | None = None,
        expires_ms: int | None = None,
    ) -> tuple[FlagDTO, bool]:
        """Raise a flag; returns (flag, created). An active one is returned as is."""
        if name not in FLAG_NAMES:
            raise ValueError(f"unknown flag {name!r}")
        existing = await self.active(name, user_id)
        if existing is not None:
            if existing.expires_ms is None or existing.expires_ms > self._now_ms():
                return existing, False
            # Lapsed but not yet cleared by the guard job: close that episode first.
            await self.clear(name, user_id, cleared_by="expired")
        try:
            async with self._db.session() as session:
                row = RiskFlag(
                    name=name,
                    scope=scope_of(user_id),
                    active=True,
                    reason=reason,
                    reason_key=reason_key,
                    reason_params=dict(reason_params or {}),
                    set_by=set_by,
                    set_ms=self._now_ms(),
                    expires_ms=expires_ms,
                )
                session.add(row)
                await session.flush()
                dto = to_dto(row)
                await audit(session, "flag.set", subject=_subject(user_id), actor=set_by,
                            what={"flag": name, "expires_ms": expires_ms,
                                  "reason_key": reason_key}, why=reason)  # fmt: skip
        except IntegrityError:  # a concurrent setter won the race
            existing = await self.active(name, user_id)
            if existing is None:
                raise
            return existing, False
        return dto, True

    async def clear(
        self, name: str, user_id: int | None, *, cleared_by: str, reason: str | None = None
    ) -> FlagDTO | None:
        """Clear the active flag; None when it was not active."""
        async with self._db.session() as session:
            row = await session.scalar(self._active_query(name, user_id))
            if row is None:
                return None
            row.active = False
            row.cleared_by = cleared_by
            row.cleared_ms = self._now_ms()
            row.clear_reason = reason
            await session.flush()
            await audit(session, "flag.clear", subject=_subject(user_id), actor=cleared_by,
                        what={"flag": name}, why=reason)  # fmt: skip
            return to_dto(row)

    async def active(self, name: str, user_id: int | None) -> FlagDTO | None:
        async with self._db.session() as session:
            row = await session.scalar(self._active_query(name, user_id))
            return None if row is None else to_dto(row)

    async def active_by_name(self, user_id: int | None) -> dict[str, FlagDTO]:
        """Every active flag of one scope by name, in one query (the guard's refresh
        looks at all of them on each pre-trade check)."""
        query = select(RiskFlag).where(RiskFlag.scope == scope_of(user_id), RiskFlag.active)
        async with self._db.session() as session:
            rows = await session.scalars(query.order_by(RiskFlag.id))
            return {r.name: to_dto(r) for r in rows}

    async def active_for(self, user_id: int, now_ms: int | None = None) -> list[FlagDTO]:
        """The user's own active flags and every active global one; with `now_ms`,
        flags that lapsed by then are left out."""
        query = (
            select(RiskFlag)
            .where(RiskFlag.active, or_(RiskFlag.scope == user_id, RiskFlag.scope == GLOBAL_SCOPE))
            .order_by(RiskFlag.set_ms, RiskFlag.id)
        )
        async with self._db.session() as session:
            flags = [to_dto(r) for r in await session.scalars(query)]
        if now_ms is None:
            return flags
        return [f for f in flags if f.expires_ms is None or f.expires_ms > now_ms]

    async def all_active(self) -> list[FlagDTO]:
        """Every active flag that has not lapsed, global ones first."""
        query = select(RiskFlag).where(RiskFlag.active).order_by(RiskFlag.scope, RiskFlag.id)
        async with self._db.session() as session:
            flags = [to_dto(r) for r in await session.scalars(query)]
        now = self._now_ms()
        return [f for f in flags if f.expires_ms is None or f.expires_ms > now]

    async def history(self, user_id: int | None = None, limit: int = 20) -> list[FlagDTO]:
        """Newest first; for one scope, or all scopes with user_id None."""
        query = select(RiskFlag).order_by(RiskFlag.id.desc()).limit(limit)
        if user_id is not None:
            query = query.where(RiskFlag.scope == user_id)
        async with self._db.session() as session:
            return [to_dto(r) for r in await session.scalars(query)]

    async def last_cleared_ms(self, name: str, user_id: int, by_prefix: str) -> int | None:
        """When `name` was last cleared for the user by someone whose id starts with
        `by_prefix` ("admin"): the drawdown curve restarts there."""
        query = (
            select(RiskFlag.cleared_ms)
            .where(
                RiskFlag.name == name,
                RiskFlag.scope == user_id,
                RiskFlag.cleared_by.like(f"{by_prefix}%"),
            )
            .order_by(RiskFlag.cleared_ms.desc())
            .limit(1)
        )
        async with self._db.session() as session:
            return await session.scalar(query)

    @staticmethod
    def _active_query(name: str, user_id: int | None) -> Any:
        return select(RiskFlag).where(
            RiskFlag.name == name, RiskFlag.scope == scope_of(user_id), RiskFlag.active
        )
