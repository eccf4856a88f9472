"""The long-lived service objects, built once per process by `bot.app.build_services`.

Adding a service (one edit in this file):
1. a field below, `name: YourType | None = None` (import the type under
   TYPE_CHECKING to keep start-up light);
2. an entry in `BUILDERS`: `("name", "your.module:build_function")`. The builder
   receives this `Services` (with everything built before it) and returns the
   object, sync or async. If the object has `async aclose()` it is called at
   shutdown, in reverse order (`close` is never called: it may mean something
   else in your domain). If it has `is_idle() -> bool`, the scripted chat and
   the e2e harness wait for it to be True before reading the bot's replies.
Tests replace a service by passing `services_overrides={"name": obj}` (see
tests/e2e/conftest.py); an overridden name's builder is skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from core.config import Settings
    from services.backtests.service import BacktestService
    from services.db.engine import Database
    from services.i18n import Catalog
    from services.market.hub import MarketHub
    from services.users import UserService


@dataclass
class Services:
    settings: Settings
    db: Database
    i18n: Catalog
    users: UserService
    scheduler: AsyncIOScheduler | None = None
    started_monotonic: float = field(default_factory=time.monotonic)
    # --- feature services (owner: replace Any with the real type) --------------
    market: MarketHub | None = None
    signals: Any = None
    accounts: Any = None
    paper: Any = None
    risk: Any = None
    reports: Any = None
    sender: Any = None
    backtests: BacktestService | None = None
    admin: Any = None  # services.admin.factory.AdminService


# (field name, "module:function") in build order; see the module docstring.
BUILDERS: tuple[tuple[str, str], ...] = (
    ("market", "services.market.factory:build_for_services"),
    ("accounts", "services.paper.factory:build_accounts"),
    ("paper", "services.paper.factory:build_paper"),
    ("sender", "services.notify.factory:build_sender"),
    ("signals", "services.signals.factory:build_signal_service"),
    ("backtests", "services.backtests.factory:build_backtests"),
    ("risk", "services.risk.factory:build_risk"),
    ("reports", "services.reports.factory:build_reports"),
    ("admin", "services.admin.factory:build_admin"),
)
