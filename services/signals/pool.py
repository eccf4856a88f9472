"""A small spawn-context process pool for the engine part of scheduled scans.

The design asks that CPU-heavy whole-universe scans never make a chat wait: in a
thread, the engine's pandas/numpy work holds the GIL in slices and every update the
loop handles meanwhile queues behind it; in another process it cannot. A single
/signal stays in-process (a thread): one evaluation is a few milliseconds, less than
shipping the frame to a worker, and it must not wait behind a scan's queue.

`spawn`, not `fork`: the bot runs threads (aiosqlite, the to_thread pool), and forking
a threaded process can copy a held lock into the child. Workers import the engine and
compile its kernels once (`warm_worker`), then serve every scan of the process. One
pool per process, created on first use, shut down by `shutdown_pool()` (SignalService
`aclose`) or at interpreter exit. A pool that breaks (a worker killed) is dropped and
that evaluation runs in a thread instead; the next scan builds a fresh pool.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from core.strategies.base import SignalDetails
from core.strategies.config import CompositeConfig, ScalperConfig
from core.strategies.engine import evaluate

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_workers = 0


def warm_worker() -> bool:
    """Import and compile the engine in a worker before the first real frame (a
    synthetic random walk long enough for every indicator to warm up)."""
    import numpy as np

    from core.indicators import warm
    from core.strategies.engine import config_for

    warm()
    n = 400
    close = 100.0 * np.exp(np.cumsum(np.random.default_rng(1).normal(0, 0.01, n)))
    frame = pd.DataFrame(
        {
            "timestamp": np.arange(n, dtype=np.int64) * 3_600_000,
            "open": close,
            "high": close * 1.01,
            "low": close * 0.99,
            "close": close,
            "volume": np.full(n, 100.0),
        }
    )
    for preset in ("composite", "scalper"):
        evaluate(frame, config_for(preset))
    return True


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _workers
    if _pool is None or _workers != workers:
        shutdown_pool(wait=False)
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        _workers = workers
    return _pool


async def evaluate_in_pool(
    frame: pd.DataFrame, config: CompositeConfig | ScalperConfig, workers: int
) -> SignalDetails:
    """`core.strategies.evaluate(frame, config)` in the pool (`workers` >= 1), or in a
    thread when `workers` is 0 or the pool is broken."""
    if workers < 1:
        return await asyncio.to_thread(evaluate, frame, config)
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_get_pool(workers), evaluate, frame, config)
    except BrokenProcessPool:
        log.warning("scan pool broke; evaluating in a thread and rebuilding it next time")
        shutdown_pool(wait=False)
        return await asyncio.to_thread(evaluate, frame, config)


def shutdown_pool(*, wait: bool = True) -> None:
    """Stop the workers (idle ones exit at once; queued evaluations are cancelled)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None
