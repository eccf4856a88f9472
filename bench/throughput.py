"""Dispatcher throughput and handler latency, end to end through the Bot API emulator.

Run: .venv/bin/python bench/throughput.py [--users 1000] [--positions 10000]
     [--updates 2000] [--samples 300]
(with TEST_POSTGRES_URL set it runs on PostgreSQL too, in a scratch database).

Goal (issue 7): p99 handler latency under 50 ms in-process for /portfolio and /trade
with 1,000 users and 10,000 open positions in the database, and no errors.

* throughput: `--updates` /help messages from distinct users are put into the
  emulator at once; the real app long-polls them (aiogram handles each update as a
  task) and the clock stops when the last one is handled. Reference in the same run:
  a bare aiogram Dispatcher with one handler answering "ok" (no middlewares, no
  database) through the same emulator: the floor of polling + HTTP on this machine.
* latency: `--samples` /portfolio and /trade messages, one at a time, each timed
  around `Dispatcher.feed_update` (everything the bot does for the update,
  including its replies to the emulator). /trade opens a real paper position.
The database is seeded first: users and accounts through bulk inserts, positions
cloned from one position opened through the service (so every column is real).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from bot.app import EMULATOR_TOKEN
from bot.emulator import Emulator
from bot.scripted import ChatDriver
from core.config import Settings
from core.market.synthetic import SIM_SYMBOLS
from services.accounts.grammar import parse_deposit
from services.db.models.trading import Position, TradingAccount
from services.paper.grammar import parse_trade

FIRST_USER = 100_000


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=url,
        data_dir=data_dir,
        market_data="sim",
        scheduler_enabled=False,
        throttle_rate=1e6,
        throttle_burst=1_000_000,
        anthropic_api_key=None,
        log_level="WARNING",
        # Seeded users hold 10 positions each; let /trade add more.
        risk_max_open_positions=1000,
        risk_max_symbols=1000,
        risk_max_portfolio_risk_pct=Decimal(100),
        risk_max_margin_pct=Decimal(100),
        risk_max_correlation=1.0,
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Timings:
    by_command: dict[str, list[float]] = field(default_factory=dict)

    def wrap(self, dispatcher: Dispatcher) -> None:
        original = dispatcher.feed_update

        async def timed(bot: Bot, update: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(bot, update, **kwargs)
            finally:
                text = (update.message.text or "") if update.message else ""
                command = text.split()[0] if text.startswith("/") else "other"
                ms = (time.perf_counter() - started) * 1000
                self.by_command.setdefault(command, []).append(ms)

        dispatcher.feed_update = timed  # type: ignore[method-assign]


async def push_and_wait(
    emulator: Emulator, texts: list[tuple[int, str]], handled: Callable[[], int]
) -> float:
    """Queue every message at once; seconds until the bot handled them all."""
    target = handled() + len(texts)
    started = time.perf_counter()
    for uid, text in texts:
        await emulator.user_message(uid, text, first_name=f"U{uid}")
    while handled() < target:  # noqa: ASYNC110 (a counter of the app's, no event to wait on)
        await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def reference_throughput(updates: int) -> float:
    """A bare Dispatcher answering "ok": polling + HTTP, nothing of ours."""
    emulator = await Emulator().start()
    bot = Bot(EMULATOR_TOKEN, session=_session(emulator))
    router = Router()
    done = 0

    @router.message(Command("help"))
    async def ok(message: Message) -> None:
        nonlocal done
        await message.answer("ok")
        done += 1

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await bot.get_me()
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    await emulator.polling.wait()
    texts = [(FIRST_USER + i, "/help") for i in range(updates)]
    elapsed = await push_and_wait(emulator, texts, lambda: done)
    await dispatcher.stop_polling()
    await polling
    await bot.session.close()
    await emulator.stop()
    return updates / elapsed


def _session(emulator: Emulator) -> Any:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    return AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))


async def seed(driver: ChatDriver, users: int, positions: int) -> list[int]:
    """Users, accounts and `positions` open positions spread over them."""
    assert driver.app is not None
    services = driver.app.services
    ids = [FIRST_USER + i for i in range(users)]
    for start in range(0, users, 50):
        await asyncio.gather(
            *(
                services.users.upsert(uid, first_name=f"U{uid}", language_code="en")
                for uid in ids[start : start + 50]
            )
        )
    # One real account and position through the services: the template rows.
    await services.accounts.change(ids[0], parse_deposit("100000"))
    opened = await services.paper.open_trade(
        ids[0], parse_trade("BTC/USDT long 100"), "bench-template"
    )
    async with services.db.session() as session:
        account = await session.get(TradingAccount, (ids[0], "paper"))
        template = await session.get(Position, opened.position.id)
        assert account is not None and template is not None
        acc_row = {c.name: getattr(account, c.key) for c in TradingAccount.__table__.columns}
        pos_row = {c.name: getattr(template, c.key) for c in Position.__table__.columns}
        await session.execute(
            insert(TradingAccount), [{**acc_row, "user_id": uid} for uid in ids[1:]]
        )
        pos_row.pop("id")
        symbols = list(SIM_SYMBOLS)[:5]
        rows = [
            {**pos_row, "user_id": ids[i % users], "request_key": f"seed-{i}",
             "symbol": symbols[i % len(symbols)]}
            for i in range(1, positions)
        ]  # fmt: skip
        for start in range(0, len(rows), 2000):
            await session.execute(insert(Position), rows[start : start + 2000])
    count = await count_positions(services.db)
    assert count == positions, count
    return ids


async def count_positions(db: Any) -> int:
    async with db.sessions() as session:
        return len((await session.scalars(select(Position.id))).all())


async def run_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        driver = ChatDriver(settings_for(url, Path(tmp)), timeout_s=600)
        await driver.start()
        try:
            assert driver.app is not None
            app, emulator = driver.app, driver.emulator
            t0 = time.perf_counter()
            ids = await seed(driver, args.users, args.positions)
            seed_s = time.perf_counter() - t0
            timings = Timings()
            timings.wrap(app.dispatcher)
            texts = [(ids[i % len(ids)], "/help") for i in range(args.updates)]
            elapsed = await push_and_wait(emulator, texts, lambda: app.activity.finished)
            await driver.wait_idle()
            throughput = args.updates / elapsed
            timings.by_command.clear()
            positions_before = await count_positions(app.services.db)
            for i in range(args.samples):
                uid = ids[(i * 7) % len(ids)]
                await push_and_wait(emulator, [(uid, "/portfolio")], lambda: app.activity.finished)
                await push_and_wait(
                    emulator, [(uid, "/trade ETH/USDT long 50")], lambda: app.activity.finished
                )
            await driver.wait_idle()
            store = emulator.store
            assert store is not None
            errors = sum(
                1
                for messages in store.messages.values()
                for m in messages
                if m.from_bot and "Something went wrong" in (m.text or "")
            )
            opened = await count_positions(app.services.db) - positions_before
            return {
                "backend": name,
                "seed_s": seed_s,
                "throughput": throughput,
                "portfolio": timings.by_command.get("/portfolio", []),
                "trade": timings.by_command.get("/trade", []),
                "errors": errors,
                "trade_replies": opened,
            }
        finally:
            await driver.stop()


async def postgres_scratch(base: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    import asyncpg

    name = f"tb_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    url = make_url(base).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False), drop


def report(row: dict[str, Any], reference: float) -> None:
    def fmt(values: list[float]) -> str:
        if not values:
            return "n/a"
        return f"p50 {statistics.median(values):6.1f} ms  p99 {pct(values, 0.99):6.1f} ms"

    p99s = [pct(v, 0.99) for v in (row["portfolio"], row["trade"]) if v]
    verdict = "OK" if p99s and max(p99s) < 50 and not row["errors"] else "ABOVE GOAL"
    print(f"\n[{row['backend']}] seeded in {row['seed_s']:.1f} s")
    print(
        f"  throughput /help : {row['throughput']:7.0f} updates/s "
        f"(bare aiogram reference {reference:.0f}/s, ours = {row['throughput'] / reference:.0%})"
    )
    print(f"  /portfolio       : {fmt(row['portfolio'])}  (n={len(row['portfolio'])})")
    print(f"  /trade           : {fmt(row['trade'])}  (n={len(row['trade'])})")
    print(f"  /trade replies   : {row['trade_replies']} positions opened of {len(row['trade'])}")
    print(f"  errors           : {row['errors']}   goal p99 < 50 ms: {verdict}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(
        f"users {args.users}, open positions {args.positions}, "
        f"{args.updates} updates, {args.samples} samples per command; "
        "load average %.2f %.2f %.2f (the machine may be shared)" % os.getloadavg()
    )
    reference = await reference_throughput(args.updates)
    with tempfile.TemporaryDirectory() as tmp:
        row = await run_backend("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db", args)
    report(row, reference)
    base = os.environ.get("TEST_POSTGRES_URL")
    if base:
        url, drop = await postgres_scratch(base)
        try:
            row = await run_backend("postgresql", url, args)
        finally:
            await drop()
        report(row, reference)
    else:
        print("\n[postgresql] skipped: TEST_POSTGRES_URL not set")


if __name__ == "__main__":
    asyncio.run(main())
