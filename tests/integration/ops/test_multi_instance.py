"""Scale-out end to end on the real PostgreSQL and Redis: two webhook instances and
one worker share the database and Redis, with the emulator as Telegram.

The test plays the load balancer: it POSTs every update to either instance, sends
many twice (to both at once, and again after they are done, as Telegram's retries
would), restarts one instance half-way, and checks that every update was handled
exactly once (the `/deposit +N` commands are not idempotent, so a double handling
would show in the balance), the webhook was set once, only the worker ran the
scheduler, and every digest went out once.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App, create_app
from bot.emulator import Emulator
from bot.runners import (
    webhook_application,
    webhook_registration,
    worker_shutdown,
    worker_startup,
)
from tests.backends import RedisTarget
from tests.e2e.harness import harness_settings

SECRET = "lb-s3cret"
PATH = "/telegram/webhook"
USERS = tuple(range(501, 509))
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@dataclass
class Instance:
    app: App
    runner: web.AppRunner | None = None
    url: str = ""

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            await self.app.shutdown()
        else:
            await worker_shutdown(self.app)


def settings(tmp_path: Path, pg_url: str, redis: RedisTarget, role: str) -> Any:
    today = datetime.now(UTC).weekday()
    return harness_settings(
        tmp_path / role,
        database_url=pg_url,
        redis_url=redis.url,
        redis_prefix=redis.prefix,
        bot_token="5151:multi-instance-token",
        webhook_base_url="https://bot.example",
        webhook_secret=SECRET,
        scheduler_enabled=True,
        run_scheduler="auto" if role == "worker" else "no",
        digest_hour=0,  # every user's digest is due now
        digest_weekday=(today + 3) % 7,  # daily digests only
    )


async def start_webhook(emulator: Emulator, config: Any) -> Instance:
    app = await create_app(config, api_url=emulator.base_url)
    webhook_registration(app, config, SECRET)
    runner = web.AppRunner(webhook_application(app, SECRET, PATH), access_log=None)
    await runner.setup()  # dispatcher startup: scheduler control, webhook registration
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return Instance(app, runner, f"http://127.0.0.1:{port}{PATH}")


async def deliver(http: aiohttp.ClientSession, targets: list[Instance], update: dict) -> int:
    """Like Telegram behind a load balancer: retry (on any instance) until a 2xx."""
    for attempt in range(400):
        target = random.choice(targets)
        async with http.post(target.url, json=update, headers=HEADERS) as response:
            if response.status == 200:
                return attempt
            assert response.status == 503, await response.text()
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update['update_id']} never acknowledged")


async def user_updates(emulator: Emulator, texts: dict[int, list[str]]) -> list[dict]:
    store = emulator.store
    assert store is not None
    first = store.last_update_id
    for uid, lines in texts.items():
        for text in lines:
            await emulator.user_message(uid, text, first_name=f"U{uid}")
    return [u for u in store.updates if u["update_id"] > first]


async def test_two_webhooks_and_a_worker_handle_everything_once(
    tmp_path: Path, pg_url: str, redis_target: RedisTarget
) -> None:
    random.seed(7)
    emulator = await Emulator().start()
    web_a = await start_webhook(emulator, settings(tmp_path, pg_url, redis_target, "a"))
    await web_a.app.bot.get_me()
    web_b = await start_webhook(emulator, settings(tmp_path, pg_url, redis_target, "b"))
    worker_app = await create_app(
        settings(tmp_path, pg_url, redis_target, "worker"), api_url=emulator.base_url
    )
    worker = Instance(worker_app)
    await worker_startup(worker_app)
    instances = [web_a, web_b, worker]
    try:
        # Only the worker runs the scheduler; the webhook was set exactly once.
        assert worker.app.ops.control.leading
        assert not any(i.app.ops.control.leading for i in (web_a, web_b))
        assert emulator.calls.count("setWebhook") == 1
        assert emulator.webhook_url == "https://bot.example" + PATH

        async with aiohttp.ClientSession() as http:
            wrong = await http.post(web_a.url, json={"update_id": 1}, headers={})
            assert wrong.status == 401

            # Round 1: each user starts, deposits, opens a trade, adds twice.
            round1 = await user_updates(
                emulator,
                {uid: ["/start", "/deposit 1000", "/trade BTC/USDT long 100", "/deposit +10",
                       "/deposit +1"] for uid in USERS},
            )  # fmt: skip
            for uid in USERS:  # in order per user, users concurrently
                mine = [u for u in round1 if u["message"]["chat"]["id"] == uid]
                await asyncio.gather(*(deliver(http, [web_a, web_b], u) for u in mine[:1]))
            by_user = {
                uid: [u for u in round1 if u["message"]["chat"]["id"] == uid] for uid in USERS
            }

            async def run_user(updates: list[dict]) -> None:
                for update in updates[1:]:
                    # A duplicate to both instances at once, as a retry racing the original.
                    await asyncio.gather(
                        deliver(http, [web_a], update), deliver(http, [web_b], update)
                    )

            await asyncio.gather(*(run_user(u) for u in by_user.values()))

            # Restart instance A; Telegram then re-sends everything (all acknowledged,
            # nothing handled again) and new updates go to the new A and B.
            finished_by_old_a = web_a.app.activity.finished
            await web_a.stop()
            web_a = await start_webhook(emulator, settings(tmp_path, pg_url, redis_target, "a"))
            instances[0] = web_a
            assert emulator.calls.count("setWebhook") == 1  # already set: left alone
            await asyncio.gather(*(deliver(http, [web_a, web_b], u) for u in round1))
            round2 = await user_updates(emulator, {uid: ["/deposit +100"] for uid in USERS})
            await asyncio.gather(*(deliver(http, [web_a, web_b], u) for u in round2 * 2))

            duplicates = 0.0
            for instance in (web_a, web_b):
                text = await (await http.get(instance.url.replace(PATH, "/metrics"))).text()
                for family in text_string_to_metric_families(text):
                    if family.name == "tradebot_updates_duplicate":
                        duplicates += sum(
                            s.value for s in family.samples if s.labels.get("state") == "done"
                        )
            assert duplicates >= len(round1) + len(round2)  # the replays, acknowledged
            health = await http.get(web_b.url.replace(PATH, "/healthz"))
            body = await health.json()
            assert health.status == 200 and body["checks"]["database"]["ok"]
            assert body["checks"]["redis"]["ok"] and body["checks"]["scheduler"]["mode"] == "off"

        # Every deposit change applied once: 1000 + 10 + 1 + 100.
        for uid in USERS:
            account = await worker.app.services.accounts.get(uid)
            assert account.deposit == Decimal("1111"), (uid, account.deposit)
            ledger = await worker.app.services.accounts.ledger(uid)
            assert len(ledger) == 4
        handled = finished_by_old_a + sum(i.app.activity.finished for i in instances)
        assert handled == len(round1) + len(round2)  # each unique update exactly once
        store = emulator.store
        assert store is not None

        # Digests: the worker's scheduler runs the job; a concurrent run on every
        # instance (as if two schedulers overlapped) sends nothing more.
        worker.app.scheduler.modify_job("reports-digests", next_run_time=datetime.now(UTC))
        for _ in range(300):
            if all(_digests(store, uid) for uid in USERS):
                break
            await asyncio.sleep(0.05)
        await asyncio.gather(
            *(i.app.services.reports.run_digests() for i in instances for _ in range(2))
        )
        for i in instances:
            await i.app.services.sender.join()
        assert {uid: _digests(store, uid) for uid in USERS} == {uid: 1 for uid in USERS}
    finally:
        for instance in instances:
            await instance.stop()
        await emulator.stop()


def _digests(store: Any, uid: int) -> int:
    """Daily digests the user received (the title starts the photo's caption)."""
    return sum(
        1
        for m in store.messages[uid]
        if m.from_bot and "Daily digest" in ((m.caption or "") + (m.text or ""))
    )


async def test_one_chat_is_handled_by_one_instance_at_a_time(
    tmp_path: Path, pg_url: str, redis_target: RedisTarget
) -> None:
    """Per-chat event isolation through Redis: two updates of one chat sent to two
    instances at once run one after the other; two chats still run side by side."""
    spans: dict[int, list[tuple[float, float]]] = {}

    def slow_router() -> Router:
        router = Router(name="slow")

        @router.message(Command("slow"))
        async def slow(message: Message) -> None:
            started = time.monotonic()
            await asyncio.sleep(0.4)
            spans.setdefault(message.chat.id, []).append((started, time.monotonic()))

        return router

    emulator = await Emulator().start()
    instances: list[Instance] = []
    try:
        for role in ("a", "b"):
            config = settings(tmp_path, pg_url, redis_target, role)
            app = await create_app(config, api_url=emulator.base_url, extra_routers=[slow_router()])
            await app.bot.get_me()
            runner = web.AppRunner(webhook_application(app, SECRET, PATH), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            instances.append(Instance(app, runner, f"http://127.0.0.1:{port}{PATH}"))
        updates = await user_updates(emulator, {601: ["/slow", "/slow"], 602: ["/slow"]})
        async with aiohttp.ClientSession() as http:
            await asyncio.gather(
                deliver(http, [instances[0]], updates[0]),
                deliver(http, [instances[1]], updates[1]),
                deliver(http, [instances[1]], updates[2]),
            )
        (a_start, a_end), (b_start, b_end) = sorted(spans[601])
        assert b_start >= a_end  # the same chat: one after the other
        (c_start, c_end) = spans[602][0]
        assert c_start < max(a_end, b_end) and min(a_start, b_start) < c_end  # side by side
    finally:
        for instance in instances:
            await instance.stop()
        await emulator.stop()
