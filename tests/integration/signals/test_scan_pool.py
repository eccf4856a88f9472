"""Scheduled scans evaluate in a spawn-context worker process, with the very same
result as in-process; a broken pool falls back to a thread."""

from __future__ import annotations

import asyncio
import os

import pandas as pd

from core.strategies.engine import config_for, evaluate
from services.signals import pool

FILE = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


async def test_worker_process_gives_the_in_process_answer() -> None:
    frame = pd.read_csv(FILE, nrows=1500)
    config = config_for("composite")
    try:
        in_pool = await pool.evaluate_in_pool(frame, config, workers=1)
        assert in_pool.as_dict() == evaluate(frame, config).as_dict()
        executor = pool._get_pool(1)
        worker_pid = await asyncio.get_running_loop().run_in_executor(executor, os.getpid)
        assert worker_pid != os.getpid()  # really another process
        assert executor._mp_context.get_start_method() == "spawn"
        in_thread = await pool.evaluate_in_pool(frame.iloc[:1200], config, workers=0)
        assert in_thread.as_dict() == evaluate(frame.iloc[:1200], config).as_dict()
    finally:
        pool.shutdown_pool()


async def test_a_broken_pool_falls_back_to_a_thread_and_is_rebuilt() -> None:
    frame = pd.read_csv(FILE, nrows=600)
    config = config_for("composite")
    try:
        executor = pool._get_pool(1)
        await asyncio.get_running_loop().run_in_executor(executor, os.getpid)
        for process in list(executor._processes.values()):
            process.kill()
            process.join()
        details = await pool.evaluate_in_pool(frame, config, workers=1)
        assert details.as_dict() == evaluate(frame, config).as_dict()
        assert pool._get_pool(1) is not executor  # the next scan gets a fresh pool
    finally:
        pool.shutdown_pool()
