"""Long polling and webhook runners with graceful shutdown.

SIGINT/SIGTERM stop taking updates, let running handlers finish, stop the
scheduler and close services, the database and HTTP sessions, all within
SHUTDOWN_TIMEOUT_S; if that deadline passes, or a second SIGINT arrives, the
process exits at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.app import App, create_app
from bot.lock import InstanceLock
from bot.ops_web import (
    DedupingRequestHandler,
    add_ops_routes,
    register_webhook,
    start_health_server,
)
from core.config import ConfigError, Settings

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_S = 30.0
HEARTBEAT_FILE = "heartbeat"


class ShutdownSignals:
    """First signal: graceful stop (with a deadline). Second SIGINT: exit now."""

    def __init__(self, on_stop: Callable[[], None], timeout_s: float) -> None:
        self.on_stop = on_stop
        self.timeout_s = timeout_s
        self.requested = False

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, self._handle, sig)

    def uninstall(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.remove_signal_handler(sig)

    def _handle(self, sig: signal.Signals) -> None:
        if self.requested:
            if sig == signal.SIGINT:
                log.warning("second interrupt: exiting now")
                os._exit(130)
            return
        self.requested = True
        log.warning("%s received: shutting down (Ctrl+C again to force)", sig.name)
        loop = asyncio.get_running_loop()
        loop.call_later(self.timeout_s, self._deadline)
        self.on_stop()

    def _deadline(self) -> None:
        log.error("shutdown took longer than %ss: exiting now", self.timeout_s)
        os._exit(1)


async def heartbeat(path: Path) -> None:
    """Touch a file regularly; `tradebot health` (the Docker healthcheck) reads its age."""
    await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
    while True:
        await asyncio.to_thread(path.write_text, f"{time.time():.0f}\n")
        await asyncio.sleep(HEARTBEAT_INTERVAL_S)


async def run_polling(settings: Settings) -> int:
    if settings.bot_token is None:
        raise ConfigError("BOT_TOKEN: required to run the bot (try `tradebot demo` without one)")
    with InstanceLock(settings.data_dir / "tradebot.lock"):
        app = await create_app(settings)
        signals = ShutdownSignals(
            lambda: asyncio.ensure_future(app.dispatcher.stop_polling()),
            settings.shutdown_timeout_s,
        )
        signals.install()
        beat = asyncio.create_task(heartbeat(settings.data_dir / HEARTBEAT_FILE))
        health = await start_health_server(app, settings)
        try:
            await app.bot.delete_webhook(drop_pending_updates=False)
            await app.dispatcher.start_polling(
                app.bot, handle_signals=False, close_bot_session=False
            )
        finally:
            beat.cancel()
            if health is not None:
                await health.cleanup()
            signals.uninstall()
            await app.shutdown()
    return 0


def webhook_application(app: App, secret: str, path: str) -> web.Application:
    """aiohttp app: the webhook route (secret token checked, each update handled
    once across instances), /healthz and /metrics."""
    web_app = web.Application()
    DedupingRequestHandler(app, secret).register(web_app, path=path)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    add_ops_routes(web_app, app)
    return web_app


def webhook_registration(app: App, settings: Settings, secret: str) -> None:
    """WEBHOOK_REGISTER: "yes" sets it now (at start-up), "auto" lets the scheduler
    leader set it once (only if Telegram has another URL), "no" leaves it alone."""
    assert settings.webhook_base_url is not None
    url = settings.webhook_base_url.rstrip("/") + settings.webhook_path

    async def register() -> None:
        await register_webhook(app, url, secret)

    if settings.webhook_register == "yes" or (
        settings.webhook_register == "auto" and app.ops.control.mode != "leader"
    ):
        app.dispatcher.startup.register(register)
    elif settings.webhook_register == "auto":
        app.ops.on_lead.append(register)


async def run_webhook(settings: Settings) -> int:
    if settings.bot_token is None:
        raise ConfigError("BOT_TOKEN: required to run the bot")
    if not settings.webhook_base_url:
        raise ConfigError("WEBHOOK_BASE_URL: required for `tradebot webhook` (public https URL)")
    if settings.webhook_secret is None:
        raise ConfigError("WEBHOOK_SECRET: required for `tradebot webhook`")
    secret = settings.webhook_secret.get_secret_value()
    app = await create_app(settings)
    web_app = webhook_application(app, secret, settings.webhook_path)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    stop = asyncio.Event()
    signals = ShutdownSignals(stop.set, settings.shutdown_timeout_s)
    signals.install()
    beat = asyncio.create_task(heartbeat(settings.data_dir / HEARTBEAT_FILE))
    webhook_registration(app, settings, secret)
    health = await start_health_server(app, settings, unless_port=settings.webhook_port)
    try:
        await site.start()
        log.info("webhook listening on %s:%s", settings.webhook_host, settings.webhook_port)
        await stop.wait()
    finally:
        beat.cancel()
        signals.uninstall()
        if health is not None:
            await health.cleanup()
        await runner.cleanup()  # emits the dispatcher shutdown -> app.shutdown()
        await app.shutdown()
    return 0


async def run_worker(settings: Settings) -> int:
    """No updates: the scheduler (per RUN_SCHEDULER) and the send queue, for a
    deployment whose webhook instances run with RUN_SCHEDULER=no."""
    app = await create_app(settings)
    stop = asyncio.Event()
    signals = ShutdownSignals(stop.set, settings.shutdown_timeout_s)
    signals.install()
    beat = asyncio.create_task(heartbeat(settings.data_dir / HEARTBEAT_FILE))
    health = await start_health_server(app, settings)
    try:
        await worker_startup(app)
        log.info("worker running (scheduler: %s)", app.ops.control.mode)
        await stop.wait()
    finally:
        beat.cancel()
        signals.uninstall()
        if health is not None:
            await health.cleanup()
        await worker_shutdown(app)
    return 0


async def worker_startup(app: App) -> None:
    """The dispatcher's startup hooks (scheduler control, routers binding the send
    queue) without polling or a webhook."""
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)


async def worker_shutdown(app: App) -> None:
    await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
    await app.shutdown()
