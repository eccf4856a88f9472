"""User look-ups for /users and /user: search, and one user's whole picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from core.numbers import strict_int
from services.audit import AuditRecord, recent
from services.db.models.users import User
from services.users import UserDTO

SEARCH_LIMIT = 20


@dataclass(frozen=True, slots=True)
class UserDetails:
    user: UserDTO
    account: Any  # AccountDTO when paper trading is built
    positions: list[Any]  # open PositionDTOs
    flags: list[Any]  # active FlagDTOs when risk is built
    admin_blocked: bool
    history: list[AuditRecord]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(services: Any, query: str | None, limit: int = SEARCH_LIMIT) -> list[UserDTO]:
    """Newest-seen first; `query` matches an id exactly or a username / first name part."""
    statement = select(User).order_by(User.last_seen_at.desc()).limit(limit)
    text = (query or "").strip().lstrip("@")
    if text:
        pattern = f"%{_escape_like(text.lower())}%"
        conditions = [
            User.username.ilike(pattern, escape="\\"),
            User.first_name.ilike(pattern, escape="\\"),
        ]
        user_id = strict_int(text, low=1, high=10**15)
        if user_id is not None:
            conditions.append(User.id == user_id)
        statement = statement.where(or_(*conditions))
    async with services.db.sessions() as session:
        return [UserDTO.from_row(row) for row in (await session.scalars(statement)).all()]


async def details(services: Any, user_id: int) -> UserDetails | None:
    user = await services.users.get(user_id)
    if user is None:
        return None
    account = await services.accounts.get(user_id) if services.accounts is not None else None
    positions: list[Any] = []
    if services.paper is not None:
        from services.paper.closing import open_rows

        positions = await open_rows(services.db, user_id, "paper")
    flags: list[Any] = []
    risk = services.risk
    if risk is not None and getattr(risk, "flags", None) is not None:
        flags = await risk.flags.active_for(user_id)
    admin = services.admin
    return UserDetails(
        user=user,
        account=account,
        positions=positions,
        flags=[f for f in flags if f.user_id == user_id],
        admin_blocked=admin.blocks.is_blocked(user_id) if admin is not None else False,
        history=await recent(services.db, limit=5, subject=f"user:{user_id}"),
    )
