"""`tradebot run` as a real process: migrates, polls the emulator, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.emulator import Emulator


@pytest.mark.slow
async def test_run_migrates_serves_and_shuts_down_gracefully(tmp_path: Path) -> None:
    emulator = await Emulator().start()
    db_path = tmp_path / "run.db"
    env = {
        **os.environ,
        "BOT_TOKEN": "4242:runner-test-token",
        "TELEGRAM_API_URL": emulator.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
        "DATA_DIR": str(tmp_path / "data"),
        "MARKET_DATA": "sim",
        "SCHEDULER_ENABLED": "false",
        "LOG_LEVEL": "INFO",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(120):  # cold imports on a busy machine
            await emulator.polling.wait()
        await emulator.user_message(5, "/start", first_name="Runner", language_code="en")
        for _ in range(1000):
            replies = [m for m in emulator.store.messages[5] if m.from_bot]
            if replies:
                break
            await asyncio.sleep(0.01)
        assert replies and replies[0].text.startswith("Hello, Runner!")
        assert (tmp_path / "data" / "heartbeat").exists()
        assert (tmp_path / "data" / "tradebot.lock").read_text().strip() == str(process.pid)

        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            code = await process.wait()
        stderr = (await process.stderr.read()).decode()
        assert code == 0, stderr
        assert "SIGTERM received: shutting down" in stderr
        assert "runner-test-token" not in stderr
        with sqlite3.connect(db_path) as connection:
            assert connection.execute("SELECT language FROM users WHERE id = 5").fetchone() == (
                "en",
            )
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emulator.stop()
