"""A real signal service over a temp SQLite DB and replayed shared candles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.config import Settings
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.ai.explainer import ClaudeExplainer
from services.db.engine import Database
from services.db.migrate import upgrade
from services.i18n import Catalog
from services.market.base import ReplayClock
from services.market.factory import build_market_data
from services.signals.service import SignalService
from services.users import UserDTO, UserService

DATA = "../shared/data/ohlcv"


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


# The close of the 2023-06-21 00:00 UTC candle: the composite preset issues a LONG there.
LONG_CLOSE = at("2023-06-21T01:00:00")


@dataclass
class Env:
    service: SignalService
    clock: ReplayClock
    db: Database
    users: UserService
    settings: Settings
    accounts: AccountService

    async def user(
        self, user_id: int, *, deposit: Decimal | None = None, **changes: object
    ) -> UserDTO:
        """A user with these settings; `deposit` goes through the accounts service
        (the only place a deposit lives), as /deposit does."""
        await self.users.upsert(user_id, first_name=f"u{user_id}", language_code="en")
        if deposit is not None:
            await self.accounts.change(user_id, DepositCommand("set", deposit))
        return await self.users.update_settings(user_id, **changes)


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 's.db'}",
        market_data="replay",
        replay_data_path=DATA,
        anthropic_api_key=None,
    )
    db = Database(settings.database_url)
    await upgrade(db)
    clock = ReplayClock(LONG_CLOSE)
    market = build_market_data(settings, db, clock=clock)
    catalog = Catalog(default_locale="en")
    users = UserService(db, languages=catalog.locales, default_language="en")
    accounts = AccountService(db, clock.now_ms)
    service = SignalService(
        db=db,
        market=market,
        users=users,
        catalog=catalog,
        settings=settings,
        explainer=ClaudeExplainer(None),
        accounts=accounts,
    )
    try:
        yield Env(service, clock, db, users, settings, accounts)
    finally:
        await market.aclose()
        await db.dispose()


DEPOSIT = Decimal("1000")
