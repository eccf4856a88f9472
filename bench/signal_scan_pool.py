"""Where a scan's engine work should run: threads (`asyncio.to_thread`) or a small
spawn-context process pool. Prints, for the same 150 scan frames:
- scan wall time (frames evaluated one after another, as `delivery.scan` does),
- event-loop lag while the scan runs (a 5 ms ticker on the loop, the stand-in for a
  chat update waiting to be handled): p50 / p99 / max lateness,
- the pool's cold start (spawn, imports, numba kernels), paid once per process.
Reference in the same run: the loop's lag with no scan at all.

Run: .venv/bin/python bench/signal_scan_pool.py [--frames 150]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.signals import scan_frames  # noqa: E402
from core.indicators import warm  # noqa: E402
from core.strategies import evaluate  # noqa: E402
from core.strategies.engine import config_for  # noqa: E402
from services.signals.pool import warm_worker  # noqa: E402

TICK_S = 0.005


async def lag_while(work: Callable[[], Awaitable[object]]) -> tuple[float, list[float]]:
    """Run `work` while a ticker measures how late the loop wakes it (ms)."""
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            due = time.perf_counter() + TICK_S
            await asyncio.sleep(TICK_S)
            lags.append((time.perf_counter() - due) * 1e3)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - started
    done.set()
    await task
    return elapsed, lags


def row(label: str, elapsed: float | None, lags: list[float]) -> None:
    q = statistics.quantiles(lags, n=100, method="inclusive") if len(lags) > 2 else [0.0] * 99
    took = f"{elapsed * 1e3:8.0f} ms" if elapsed is not None else " " * 11
    print(f"  {label:<44} {took}   lag p50 {q[49]:6.2f}  p99 {q[98]:6.2f}  max {max(lags):6.2f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=150)
    args = parser.parse_args()
    frames = scan_frames()[: args.frames]
    config = config_for("composite")
    warm()
    evaluate(frames[0], config)
    loop = asyncio.get_running_loop()
    print(f"scan engine work: {len(frames)} frames x {len(frames[0])} candles")

    _, idle = await lag_while(lambda: asyncio.sleep(1.0))
    row("reference: idle loop (1 s)", None, idle)

    async def threads() -> None:
        for f in frames:
            await asyncio.to_thread(evaluate, f, config)

    await threads()
    row("threads (asyncio.to_thread)", *(await lag_while(threads)))

    for workers in (1, 2):
        ctx = multiprocessing.get_context("spawn")
        started = time.perf_counter()
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            await asyncio.gather(*(loop.run_in_executor(pool, warm_worker) for _ in range(workers)))
            cold = time.perf_counter() - started

            async def pooled(pool: ProcessPoolExecutor = pool) -> None:
                for f in frames:
                    await loop.run_in_executor(pool, evaluate, f, config)

            print(f"  process pool, {workers} worker(s): cold start {cold:.1f} s")
            await pooled()  # a first pass: every kernel each worker needs is compiled
            row(f"process pool ({workers}), one frame at a time", *(await lag_while(pooled)))

            async def fanned(pool: ProcessPoolExecutor = pool) -> None:
                await asyncio.gather(
                    *(loop.run_in_executor(pool, evaluate, f, config) for f in frames)
                )

            row(f"process pool ({workers}), all frames queued", *(await lag_while(fanned)))


if __name__ == "__main__":
    asyncio.run(main())
