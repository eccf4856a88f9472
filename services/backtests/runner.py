"""The process pool behind /backtest: slots, one run per user, progress and cancel.

`ProcessPoolExecutor` with the spawn context (the bot's process runs threads, and
fork would copy their locks). Capacity is ``workers + queue`` slots: a run takes a
slot when it is accepted and gives it back when its future completes, so a full
pool is refused at once ("queue full") instead of piling up. A user holds at most
one slot. Every slot has a progress value, a phase number and a cancel Event in
shared memory, given to the workers once through the pool initializer
(`services.backtests.worker.init_worker`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from services.backtests.errors import QueueFull, UserBusy
from services.backtests.worker import PHASE_NAMES, JobInput, JobOutput, init_worker, run_job

log = logging.getLogger(__name__)


@dataclass
class Reservation:
    """A slot held for one user's run, from acceptance until the run completes."""

    slot: int
    user_id: int
    run_id: int | None = None
    future: asyncio.Future[JobOutput] | None = field(default=None, repr=False)
    pool_future: Future[JobOutput] | None = field(default=None, repr=False)


class BacktestRunner:
    def __init__(self, workers: int = 1, queue: int = 4, mp_context: str = "spawn") -> None:
        self.workers = workers
        self.capacity = workers + queue
        self._ctx = multiprocessing.get_context(mp_context)
        self._progress: Any = None  # shared memory, made on the first run (see _shared)
        self._phase: Any = None
        self._cancel: list[Any] = []
        self._free = list(range(self.capacity))
        self._by_user: dict[int, Reservation] = {}
        self._pool: ProcessPoolExecutor | None = None

    # --- admission -------------------------------------------------------------------
    def reserve(self, user_id: int) -> Reservation:
        """Hold a slot for ``user_id``; `UserBusy` if they have one, `QueueFull` if none."""
        held = self._by_user.get(user_id)
        if held is not None:
            raise UserBusy(run_id=held.run_id or 0)
        if not self._free:
            raise QueueFull(size=self.capacity)
        self._shared()
        slot = self._free.pop(0)
        self._progress[slot] = 0.0
        self._phase[slot] = 0
        self._cancel[slot].clear()
        res = Reservation(slot, user_id)
        self._by_user[user_id] = res
        return res

    def _shared(self) -> None:
        """Shared arrays and events exist only once a run is accepted: a bot whose users
        never backtest starts no semaphore tracker and no pool."""
        if self._progress is None:
            self._progress = self._ctx.Array("d", self.capacity)
            self._phase = self._ctx.Array("i", self.capacity)
            self._cancel = [self._ctx.Event() for _ in range(self.capacity)]

    def release(self, res: Reservation) -> None:
        if self._by_user.get(res.user_id) is res:
            del self._by_user[res.user_id]
            self._free.append(res.slot)
            self._free.sort()

    def running_for(self, user_id: int) -> Reservation | None:
        return self._by_user.get(user_id)

    @property
    def busy(self) -> int:
        return self.capacity - len(self._free)

    # --- running ---------------------------------------------------------------------
    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._ctx,
                initializer=init_worker,
                initargs=(self._progress, self._phase, self._cancel),
            )
        return self._pool

    def submit(self, res: Reservation, job: JobInput) -> asyncio.Future[JobOutput]:
        """Start the job in the pool; the slot is released when it completes."""
        try:
            cf: Future[JobOutput] = self._executor().submit(run_job, job)
        except BrokenProcessPool:
            log.warning("backtest pool was broken; starting a new one")
            self._pool = None
            cf = self._executor().submit(run_job, job)
        cf.add_done_callback(self._on_broken)
        fut = asyncio.wrap_future(cf)
        fut.add_done_callback(lambda _f: self.release(res))
        res.future, res.pool_future = fut, cf
        return fut

    def _on_broken(self, cf: Future[JobOutput]) -> None:
        if not cf.cancelled() and isinstance(cf.exception(), BrokenProcessPool):
            self._pool = None  # a worker died (e.g. out of memory): the next run starts anew

    def progress(self, res: Reservation) -> tuple[float, str]:
        """(fraction done, phase name) the worker last wrote into the slot."""
        return float(self._progress[res.slot]), PHASE_NAMES[int(self._phase[res.slot])]

    def cancel(self, res: Reservation) -> None:
        """Ask the run to stop: dropped if still queued, else stopped at its next check."""
        self._cancel[res.slot].set()
        if res.pool_future is not None:
            res.pool_future.cancel()  # succeeds only while it waits for a worker

    async def aclose(self) -> None:
        """Stop every run and the pool. The runs' futures settle once the pool is down
        (most with `Cancelled`); their outcomes are collected here, as nobody else is
        left to read them and asyncio would log "Future exception was never retrieved"."""
        futures = [res.future for res in self._by_user.values() if res.future is not None]
        for event in self._cancel:
            event.set()
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
        await asyncio.gather(*futures, return_exceptions=True)
