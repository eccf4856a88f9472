"""HTTP side of operations: the deduplicating webhook handler, `/healthz`,
`/metrics`, the stand-alone health server and webhook registration."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from services.ops.dedupe import Claim
from services.ops.health import health
from services.ops.metrics import CONTENT_TYPE

if TYPE_CHECKING:
    from bot.app import App
    from core.config import Settings

log = logging.getLogger(__name__)


class DedupingRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler (secret token checked first), answering only after
    the update is handled and handling each update id once across instances.

    Handling in the request (not in the background) is what makes a restart safe:
    Telegram gets 200 only for finished work and re-sends anything else.
    """

    def __init__(self, app: App, secret: str) -> None:
        super().__init__(app.dispatcher, app.bot, handle_in_background=False, secret_token=secret)
        self.app = app

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            payload: Any = await request.json(loads=bot.session.json_loads)
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"ok": False, "error": "bad update"}, status=400)
        ops = self.app.ops
        claim = await ops.deduper.claim(bot.id, update_id)
        if claim is Claim.DONE:
            ops.metrics.duplicates.labels("done").inc()
            return web.json_response({})
        if claim is Claim.BUSY:
            ops.metrics.duplicates.labels("busy").inc()
            return web.json_response(
                {"ok": False, "error": "in progress elsewhere"},
                status=503,
                headers={"Retry-After": "5"},
            )
        try:
            result = await self.dispatcher.feed_webhook_update(bot, payload, **self.data)
        except BaseException:
            await ops.deduper.abandon(bot.id, update_id)
            raise
        await ops.deduper.done(bot.id, update_id)
        return web.Response(body=self._build_response_writer(bot, result))


def add_ops_routes(web_app: web.Application, app: App) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        ok, body = await health(app.ops)
        body["in_flight"] = app.activity.in_flight
        return web.json_response(body, status=200 if ok else 503)

    async def metrics(_request: web.Request) -> web.Response:
        body = await app.ops.scrape()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)


async def start_health_server(
    app: App, settings: Settings, *, unless_port: int | None = None
) -> web.AppRunner | None:
    """`/healthz` and `/metrics` on HEALTH_PORT (polling mode and workers); None when
    HEALTH_PORT is unset or is `unless_port` (the webhook server already has them)."""
    port = settings.health_port
    if not port or port == unless_port:
        return None
    return await serve_ops(app, settings.health_host, port)


async def serve_ops(app: App, host: str, port: int) -> web.AppRunner:
    web_app = web.Application()
    add_ops_routes(web_app, app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("health server on %s:%s", host, port)
    return runner


async def register_webhook(app: App, url: str, secret: str) -> bool:
    """Point Telegram at `url` unless it already is (restarts and the other
    instances then leave it alone). Returns True if setWebhook was called."""
    info = await app.bot.get_webhook_info()
    if info.url == url:
        return False
    await app.bot.set_webhook(
        url, secret_token=secret, allowed_updates=app.dispatcher.resolve_used_update_types()
    )
    log.info("webhook set")
    return True
