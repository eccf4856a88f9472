"""Users: the upsert every update goes through, and the settings later features read.

Handlers and jobs only ever see `UserDTO`; ORM rows stay inside this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit import record as audit
from services.db.engine import Database
from services.db.models.users import User
from services.db.types import utcnow

# last_seen_at is refreshed at most this often: every update goes through the upsert,
# and a write (plus its commit) per update cost more than the rest of a /portfolio.
SEEN_RESOLUTION = timedelta(minutes=1)

EDITABLE = frozenset(
    {
        "language",
        "timezone",
        "quote_currency",
        "risk_per_trade",
        "leverage",
        "notify_mode",
        "min_confidence",
        "preset",
    }
)


@dataclass(frozen=True)
class UserDTO:
    id: int
    username: str | None
    first_name: str | None
    language: str
    timezone: str
    is_blocked: bool
    created_at: datetime
    last_seen_at: datetime
    quote_currency: str
    risk_per_trade: Decimal
    leverage: int
    notify_mode: str
    min_confidence: int
    preset: str

    @classmethod
    def from_row(cls, row: User) -> UserDTO:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def resolve_language(language_code: str | None, supported: Iterable[str], default: str) -> str:
    """Telegram's `language_code` ("ru", "en-US", ...) mapped onto a catalog we have."""
    supported = tuple(supported)
    if language_code:
        prefix = language_code.lower().replace("_", "-").split("-", 1)[0]
        if prefix in supported:
            return prefix
    return default


class UserService:
    def __init__(self, db: Database, *, languages: Iterable[str], default_language: str) -> None:
        self.db = db
        self.languages = tuple(languages)
        self.default_language = default_language

    async def upsert(
        self,
        user_id: int,
        *,
        username: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        session: AsyncSession | None = None,
    ) -> UserDTO:
        """Create the user on first contact (language from Telegram's language_code),
        otherwise refresh name and last-seen. A saved language is never overwritten.
        An unchanged user seen less than `SEEN_RESOLUTION` ago is only read."""
        if session is None:
            async with self.db.session() as own:
                return await self.upsert(
                    user_id,
                    username=username,
                    first_name=first_name,
                    language_code=language_code,
                    session=own,
                )
        now = utcnow()
        row = await session.get(User, user_id, populate_existing=True)
        if (
            row is not None
            and row.username == username
            and row.first_name == first_name
            and not row.is_blocked
            and now - row.last_seen_at < SEEN_RESOLUTION
        ):
            dto = UserDTO.from_row(row)
            await session.commit()  # end the read so later writes start a fresh one
            return dto
        values: dict[str, Any] = {
            "id": user_id,
            "username": username,
            "first_name": first_name,
            "language": resolve_language(language_code, self.languages, self.default_language),
            "created_at": now,
            "last_seen_at": now,
        }
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = insert(User).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[User.id],
            # Anyone who writes to the bot has not blocked it (any more).
            set_={
                "username": username,
                "first_name": first_name,
                "last_seen_at": now,
                "is_blocked": False,
            },
        ).returning(User)
        row = (
            await session.execute(statement, execution_options={"populate_existing": True})
        ).scalar_one()
        dto = UserDTO.from_row(row)
        await session.commit()
        return dto

    async def get(self, user_id: int) -> UserDTO | None:
        async with self.db.session() as session:
            row = await session.get(User, user_id)
            return UserDTO.from_row(row) if row else None

    async def update_settings(self, user_id: int, **changes: Any) -> UserDTO:
        """Save already-validated values (see core/user_settings.py) and return the user."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        async with self.db.session() as session:
            if changes:
                await session.execute(update(User).where(User.id == user_id).values(**changes))
                await audit(session, "settings.change", subject=f"user:{user_id}", what=changes)
            row = await session.get(User, user_id, populate_existing=True)
            if row is None:
                raise LookupError(user_id)
            return UserDTO.from_row(row)

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        """Called when Telegram says the user blocked the bot (or came back)."""
        async with self.db.session() as session:
            await session.execute(update(User).where(User.id == user_id).values(is_blocked=blocked))
            await audit(
                session,
                "user.blocked_bot",
                subject=f"user:{user_id}",
                what={"blocked": blocked},
                actor="system:telegram",  # Telegram told us, whoever's task noticed it
            )

    async def list_users(self, *, include_blocked: bool = False) -> list[UserDTO]:
        async with self.db.session() as session:
            query = select(User).order_by(User.id)
            if not include_blocked:
                query = query.where(User.is_blocked.is_(False))
            return [UserDTO.from_row(row) for row in (await session.scalars(query)).all()]
