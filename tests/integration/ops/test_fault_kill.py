"""kill -9 of `tradebot run` between a TP1 fill and its notice, then a restart: the
fill is recorded once and the user is told once.

A real subprocess polls the emulator (running in this test). It is started with
TRADEBOT_FAULT=paper.fill_recorded, so the position monitor pauses right after it
has committed the fill and before it sends notices; the test waits for the fill
row, SIGKILLs the process, restarts it without the fault and reads the chat and
the database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_services, close_services
from bot.emulator import Emulator
from core.config import Settings
from core.market.csv import read_candles
from services.accounts.grammar import parse_deposit
from services.db.migrate import upgrade
from services.paper.grammar import parse_trade
from tests.fakes.fake_exchange import SHARED_OHLCV

H = 3_600_000
T0 = int(datetime(2023, 6, 1, tzinfo=UTC).timestamp() * 1000)
USER = 4242
TOKEN = "7373:fault-kill-token"
# The real `tradebot run`, with the paper monitor every second instead of every
# minute so the test does not wait for a cron minute.
LAUNCHER = """
import sys
from services.jobs import JobSpec, paper
paper.JOBS[:] = [JobSpec("paper-monitor", "services.jobs.paper:monitor",
                         {"trigger": "interval", "seconds": 1})]
from bot.cli import main
sys.exit(main(["run"]))
"""


def base_settings(tmp_path: Path, clock_ms: int) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "DATA_DIR": str(tmp_path / "data"),
        "MARKET_DATA": "replay",
        "REPLAY_DATA_PATH": str(SHARED_OHLCV),
        "REPLAY_START_MS": str(clock_ms),
        "PAPER_MONITOR_TIMEFRAME": "1h",
        "SIGNAL_SYMBOLS": "BTC/USDT",
    }


async def open_position(tmp_path: Path) -> tuple[int, int]:
    """A long opened at T0 whose TP1 a later candle reaches; returns (position id,
    a clock by which that candle has closed)."""
    env = base_settings(tmp_path, T0)
    settings = Settings(
        _env_file=None,
        **{k.lower(): v for k, v in env.items()},
        scheduler_enabled=False,
        anthropic_api_key=None,
    )
    services = await build_services(settings)
    try:
        await upgrade(services.db)
        await services.users.upsert(USER, first_name="Killed", language_code="en")
        await services.accounts.change(USER, parse_deposit("1000"))
        price = (await services.paper.quote("BTC/USDT", "long")).price
        tp1, stop = (price * Decimal("1.004")).quantize(Decimal("0.01")), price * Decimal("0.97")
        request = f"BTC/USDT long 100 sl {stop:.2f} tp {tp1},{price * 2:.2f},{price * 3:.2f}"
        opened = await services.paper.open_trade(USER, parse_trade(request), "fault-1")
    finally:
        await close_services(services)
    bars = read_candles(SHARED_OHLCV / "binance_BTC-USDT_1h.csv.gz")
    later = bars[bars.timestamp >= T0]
    hit = later[later.high >= float(tp1)].iloc[0]
    assert (later[later.timestamp <= hit.timestamp].low > float(stop)).all()
    return opened.position.id, int(hit.timestamp) + 2 * H


async def start_bot(tmp_path: Path, emulator: Emulator, clock_ms: int, **extra: str) -> Any:
    emulator.polling.clear()
    env = {
        **os.environ,
        **base_settings(tmp_path, clock_ms),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emulator.base_url,
        "SCHEDULER_ENABLED": "true",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LAUNCHER, cwd=Path.cwd(), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(120):  # cold imports on a busy machine
        await emulator.polling.wait()
    return process


def tp1_fills(db: Path, position_id: int) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT count(*) FROM fills WHERE position_id = ? AND kind = 'tp1'", (position_id,)
        ).fetchone()[0]


def tp1_notices(emulator: Emulator) -> int:
    store = emulator.store
    messages = store.messages.get(USER, []) if store is not None else []
    return sum(1 for m in messages if m.from_bot and "TP1 filled" in (m.text or ""))


@pytest.mark.slow
async def test_kill_between_fill_and_notice_then_restart(tmp_path: Path) -> None:
    position_id, clock = await open_position(tmp_path)
    db = tmp_path / "bot.db"
    emulator = await Emulator().start()
    process = await start_bot(
        tmp_path,
        emulator,
        clock,
        TRADEBOT_FAULT="paper.fill_recorded",
        TRADEBOT_FAULT_SLEEP_S="120",
    )
    restarted = None
    try:
        await emulator.user_message(USER, "/start", first_name="Killed")  # the chat exists
        for _ in range(600):
            if tp1_fills(db, position_id):
                break
            await asyncio.sleep(0.05)
        assert tp1_fills(db, position_id) == 1
        await asyncio.sleep(0.3)  # the process is parked at the fault point
        assert tp1_notices(emulator) == 0
        process.send_signal(signal.SIGKILL)
        assert await process.wait() == -signal.SIGKILL

        restarted = await start_bot(tmp_path, emulator, clock)
        for _ in range(600):
            if tp1_notices(emulator):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(3)  # several more monitor passes: nothing new
        assert tp1_notices(emulator) == 1
        assert tp1_fills(db, position_id) == 1
        restarted.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            assert await restarted.wait() == 0
    finally:
        for proc in (process, restarted):
            if proc is not None and proc.returncode is None:
                proc.kill()
                await proc.wait()
        await emulator.stop()
