"""The worker-process side of a chat backtest: run, report progress, honour a cancel.

Runs in a `ProcessPoolExecutor` (spawn context: the bot's process has threads). The
progress channel and the cancel flags are shared-memory objects handed to every
worker once, by the pool initializer (`init_worker`): one slot per run that may be
in the pool at a time. A job writes its fraction done and phase into its slot; the
bot polls them. The bot sets the slot's cancel Event; the job checks it between
phases and on every progress tick of the engine, and stops with `Cancelled`.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.backtest import BacktestConfig, run_backtest
from core.backtest.report import trades_csv
from core.metrics import compute_metrics
from core.robustness.evaluate import RunSpec, Window, run_window
from core.strategies.pathsim import PathStrategy
from core.strategies.registry import get_strategy

# Phases in order; the number is the fraction done when the phase starts.
PHASES: dict[str, float] = {
    "queued": 0.0,
    "started": 0.05,
    "signals": 0.10,
    "simulation": 0.60,
    "report": 0.85,
    "done": 1.0,
}
PHASE_NAMES = tuple(PHASES)


class Cancelled(Exception):
    """The bot asked this run to stop."""


@dataclass(frozen=True, slots=True)
class JobInput:
    slot: int
    frame: pd.DataFrame  # warm-up bars + the period
    strategy: str
    params: Mapping[str, Any]
    config: BacktestConfig  # start/end: the period (earlier bars only warm up)
    labels: Mapping[str, str]  # chart words, already translated


@dataclass(frozen=True, slots=True)
class JobOutput:
    metrics: dict[str, Any]
    final_equity: float
    bars: int
    start_ms: int
    end_ms: int
    chart_png: bytes
    trades_csv_gz: bytes
    seconds: float
    params: dict[str, Any] = field(default_factory=dict)


class Channel:
    """One slot of the shared progress arrays and cancel events."""

    def __init__(self, progress: Any, phase: Any, cancel: Any, slot: int) -> None:
        self._progress, self._phase, self._cancel, self.slot = progress, phase, cancel, slot

    def check(self) -> None:
        if self._cancel[self.slot].is_set():
            raise Cancelled()

    def report(self, phase: str, fraction: float | None = None) -> None:
        self.check()
        self._phase[self.slot] = PHASE_NAMES.index(phase)
        self._progress[self.slot] = PHASES[phase] if fraction is None else fraction


_SHARED: tuple[Any, Any, Any] | None = None


def init_worker(progress: Any, phase: Any, cancel: Any) -> None:
    """Pool initializer: keep the shared progress arrays and cancel events."""
    global _SHARED
    _SHARED = (progress, phase, cancel)


def run_job(job: JobInput) -> JobOutput:
    """Worker entry point: backtest, metrics, chart and CSV, with progress and cancel."""
    assert _SHARED is not None, "init_worker was not run"
    channel = Channel(*_SHARED, job.slot)
    return execute(job, channel)


def execute(job: JobInput, channel: Channel) -> JobOutput:
    began = time.perf_counter()
    channel.report("started")
    strategy = get_strategy(job.strategy, **dict(job.params))
    channel.report("signals")
    if isinstance(strategy, PathStrategy) and not hasattr(strategy, "generate"):
        result = _path_result(job)
    else:
        span = PHASES["report"] - PHASES["simulation"]

        def tick(done: int, total: int) -> None:
            channel.report("simulation", PHASES["simulation"] + span * done / max(total, 1))

        result = run_backtest(job.frame, strategy, job.config, progress=tick)
    channel.report("report")
    metrics = compute_metrics(result).to_dict()
    csv_gz = gzip.compress(trades_csv(result).encode(), mtime=0)
    from services.backtests.chart import equity_drawdown_png

    png = equity_drawdown_png(result, job.labels)
    channel.report("done")
    ts = result.timestamps
    return JobOutput(
        metrics=metrics,
        final_equity=float(result.equity[-1]) if len(result.equity) else job.config.initial_cash,
        bars=len(ts),
        start_ms=int(ts[0]) if len(ts) else 0,
        end_ms=int(ts[-1]) if len(ts) else 0,
        chart_png=png,
        trades_csv_gz=csv_gz,
        seconds=time.perf_counter() - began,
        params=dict(result.params or job.params),
    )


def _path_result(job: JobInput) -> Any:
    """Grid/DCA/rebalance simulate themselves over the period (the optimizer's path)."""
    ts = job.frame["timestamp"].to_numpy()
    first = int(np.searchsorted(ts, job.config.start if job.config.start is not None else ts[0]))
    spec = RunSpec(job.strategy, config=job.config, fixed=dict(job.params))
    return run_window(job.frame, spec, {}, Window(first, len(ts), first))
