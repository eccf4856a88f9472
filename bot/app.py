"""The composition root: settings -> services -> Bot + Dispatcher + scheduler.

`create_app` is used by every runner (polling, webhook, the scripted chat, the
demo and the e2e harness), so all of them run the same middlewares and routers.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from aiogram import Bot, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.menu import publish_commands
from bot.middlewares import (
    ActivityTracker,
    AnsweredCallbacks,
    CallbackAutoAnswer,
    DatabaseMiddleware,
    I18nMiddleware,
    LimitsMiddleware,
    RetryMiddleware,
    ThrottlingMiddleware,
)
from bot.middlewares.activity import TrackingDispatcher
from bot.middlewares.guard import GuardMiddleware, SendLatency
from bot.middlewares.input_state import CommandLeavesInput
from bot.middlewares.market_notice import MarketNoticeMiddleware
from core.config import Settings
from handlers import build_routers, collect_commands
from handlers.registry import CommandSpec
from services import container
from services.container import Services
from services.db.engine import Database
from services.db.migrate import upgrade
from services.i18n import Catalog
from services.jobs import collect_jobs, schedule_jobs
from services.jobs.context import set_current_services
from services.ops.perf import PinResponseTypes
from services.ops.redis import fsm_storage_and_isolation
from services.ops.runtime import Ops
from services.users import UserService

log = logging.getLogger(__name__)

# A syntactically valid token for runs against the local emulator without BOT_TOKEN.
EMULATOR_TOKEN = "100000001:emulator-token-no-network"


async def _call(builder: Any, *args: Any) -> Any:
    result = builder(*args)
    return await result if inspect.isawaitable(result) else result


def _resolve(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


async def build_services(
    settings: Settings, overrides: Mapping[str, Any] | None = None
) -> Services:
    """Core services, then each feature builder from `services.container.BUILDERS`
    (skipped where `overrides` supplies the object)."""
    overrides = dict(overrides or {})
    db = overrides.pop("db", None) or Database(settings.database_url)
    catalog = overrides.pop("i18n", None) or Catalog.load(default_locale=settings.default_locale)
    users = overrides.pop("users", None) or UserService(
        db, languages=catalog.locales, default_language=settings.default_locale
    )
    services = Services(settings=settings, db=db, i18n=catalog, users=users)
    for name, ref in container.BUILDERS:
        if name in overrides:  # in build order, so later builders see the override
            setattr(services, name, overrides.pop(name))
            continue
        setattr(services, name, await _call(_resolve(ref), services))
    for name, value in overrides.items():
        if not hasattr(services, name):
            raise AttributeError(f"Services has no field {name!r}")
        setattr(services, name, value)
    return services


async def close_services(services: Services) -> None:
    """Close feature services in reverse build order, then the database."""
    names = [name for name, _ in container.BUILDERS]
    for name in reversed(names):
        target = getattr(services, name, None)
        closer = getattr(target, "aclose", None)
        if closer is None:
            continue
        try:
            await _call(closer)
        except Exception:
            log.exception("closing service %s failed", name)
    await services.db.dispose()


def create_bot(settings: Settings, *, api_url: str | None = None) -> Bot:
    """A Bot with HTML parse mode, pointed at `api_url` (emulator) or the configured server."""
    base = api_url or settings.telegram_api_url
    session = (
        AiohttpSession(api=TelegramAPIServer.from_base(base, is_local=False))
        if base
        else AiohttpSession()
    )
    if settings.bot_token is not None:
        token = settings.bot_token.get_secret_value()
    elif api_url is not None:
        token = EMULATOR_TOKEN
    else:
        raise ValueError("BOT_TOKEN is required to talk to Telegram")
    bot = Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    return bot


def _fsm_storage(settings: Settings) -> dict[str, Any]:
    """Redis FSM storage and per-chat event isolation shared by every instance
    (REDIS_URL), else in-memory storage for the single instance."""
    shared = fsm_storage_and_isolation(settings)
    if shared is None:
        return {"storage": MemoryStorage()}
    storage, isolation = shared
    return {"storage": storage, "events_isolation": isolation}


@dataclass
class App:
    settings: Settings
    services: Services
    bot: Bot
    dispatcher: TrackingDispatcher
    activity: ActivityTracker
    commands: list[CommandSpec]
    scheduler: AsyncIOScheduler
    ops: Ops
    started: bool = False
    closed: bool = False

    async def startup(self) -> None:
        """Run once before updates flow: job context, scheduler, the command menu."""
        if self.started:
            return
        self.started = True
        set_current_services(self.services)
        await self.ops.start()  # RUN_SCHEDULER: here, nowhere, or on the leader only
        try:
            await publish_commands(self.bot, self.commands, self.services)
        except Exception:
            log.warning("could not publish the command menu", exc_info=True)

    async def shutdown(self) -> None:
        """Stop in order: in-flight handlers (bounded wait), scheduler, services, DB, HTTP.
        Safe to call more than once (runners and dispatcher hooks both call it)."""
        if self.closed:
            return
        self.closed = True
        try:
            async with asyncio.timeout(self.settings.shutdown_timeout_s / 2):
                await self.activity.wait_idle()
        except TimeoutError:
            log.warning("shutting down with %s update(s) still running", self.activity.in_flight)
        await self.ops.aclose()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await close_services(self.services)
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        set_current_services(None)


async def create_app(
    settings: Settings,
    *,
    api_url: str | None = None,
    services: Services | None = None,
    services_overrides: Mapping[str, Any] | None = None,
    extra_routers: Iterable[Router] = (),
    migrate: bool = True,
) -> App:
    if services is None:
        services = await build_services(settings, services_overrides)
    if migrate:
        await upgrade(services.db)
    scheduler = AsyncIOScheduler(timezone=UTC)
    services.scheduler = scheduler
    schedule_jobs(scheduler, collect_jobs())

    ops = Ops.build(settings, services, scheduler)
    bot = create_bot(settings, api_url=api_url)
    answered = AnsweredCallbacks()
    bot.session.middleware(PinResponseTypes())  # pydantic would rebuild Response[T] per call
    bot.session.middleware(LimitsMiddleware())
    bot.session.middleware(RetryMiddleware())
    bot.session.middleware(answered)
    bot.session.middleware(ops.metrics.request_middleware())
    bot.session.middleware(SendLatency(services))

    commands = collect_commands()
    activity = ActivityTracker()
    dispatcher = TrackingDispatcher(
        activity=activity, **_fsm_storage(settings), services=services, commands=commands
    )
    dispatcher.update.outer_middleware(ops.metrics.update_middleware())
    # Outer update middlewares run after aiogram's own (errors, user context, FSM),
    # in this order; they share one data dict, so the error handler sees `i18n`.
    dispatcher.update.outer_middleware(DatabaseMiddleware(services))
    dispatcher.update.outer_middleware(I18nMiddleware(services.i18n))
    throttling = ThrottlingMiddleware(settings.throttle_rate, settings.throttle_burst)
    dispatcher.message.outer_middleware(throttling)
    dispatcher.callback_query.outer_middleware(throttling)
    dispatcher.callback_query.outer_middleware(CallbackAutoAnswer(answered))
    guard = GuardMiddleware(services)
    dispatcher.message.outer_middleware(guard)
    dispatcher.callback_query.outer_middleware(guard)
    dispatcher.message.outer_middleware(CommandLeavesInput())
    market_notice = MarketNoticeMiddleware(services)
    dispatcher.message.outer_middleware(market_notice)
    dispatcher.callback_query.outer_middleware(market_notice)
    dispatcher.include_routers(*build_routers(extra_routers))

    app = App(
        settings=settings,
        services=services,
        bot=bot,
        dispatcher=dispatcher,
        activity=activity,
        commands=commands,
        scheduler=scheduler,
        ops=ops,
    )
    dispatcher.startup.register(app.startup)
    dispatcher.shutdown.register(app.shutdown)
    return app
