"""Parameter search in a process pool, with a JSON-lines checkpoint that makes it resumable.

Trials come from a typed space (`core.robustness.params`), by grid or seeded random
search, and run in a ``ProcessPoolExecutor`` whose workers receive the candle frame
once (`TrialPool`). Every finished trial is appended to the checkpoint file as one
JSON line at once; a rerun with the same checkpoint reads it back, checks it belongs
to the same search (strategy, space, method, seed, objective, data) and runs only the
missing trials, so an interrupted run finishes with the same table as an uninterrupted
one. The table ranks trials by the objective (undefined scores last, ties by trial
number); sensitivity shows the mean objective per value of each parameter.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.metrics import json_safe
from core.metrics.formulas import from_json
from core.robustness.evaluate import RunSpec, Window, evaluate, init_worker, run_trial
from core.robustness.params import ParamSpace, describe, grid_trials, random_trials

Method = Literal["grid", "random"]
Progress = Callable[[int, int], None]  # (trials done, trials total)


class CheckpointMismatch(ValueError):
    """The checkpoint file belongs to a different search."""


class TrialPool:
    """Runs trial tasks in worker processes that got the frame once, or inline (workers<=1)."""

    def __init__(
        self, frame: pd.DataFrame, spec: RunSpec, workers: int = 2, mp_context: str | None = None
    ) -> None:
        self.frame, self.spec, self.workers = frame, spec, workers
        self.mp_context = mp_context  # "spawn"/"forkserver" from a threaded host process
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> TrialPool:
        if self.workers > 1:
            ctx = multiprocessing.get_context(self.mp_context) if self.mp_context else None
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=init_worker,
                initargs=(self.frame, self.spec),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def run(
        self,
        tasks: Iterable[tuple[int, dict[str, Any], Window | None]],
        on_result: Callable[[int, dict[str, Any]], None],
        cancel: threading.Event | None = None,
    ) -> None:
        """Run tasks, calling ``on_result`` in this process as each finishes.

        At most two tasks per worker are in flight, so a cancel stops quickly; tasks
        already running finish and are reported.
        """
        it = iter(tasks)
        if self._pool is None:
            for trial_id, params, window in it:
                if cancel is not None and cancel.is_set():
                    return
                on_result(trial_id, evaluate(self.frame, self.spec, params, window))
            return
        pending: set[Future[tuple[int, dict[str, Any]]]] = set()
        while True:
            while len(pending) < 2 * self.workers and not (cancel and cancel.is_set()):
                task = next(it, None)
                if task is None:
                    break
                pending.add(self._pool.submit(run_trial, task))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: f.result()[0]):
                on_result(*fut.result())


@dataclass(frozen=True, slots=True)
class OptimizationResult:
    strategy: str
    objective: str
    method: str
    table: pd.DataFrame  # one row per trial, best first
    param_names: tuple[str, ...]
    complete: bool  # False when cancelled before every trial ran
    trials_total: int

    @property
    def best_params(self) -> dict[str, Any]:
        if self.table.empty or math.isnan(float(self.table["objective"].iat[0])):
            return {}
        row = self.table.iloc[0]
        return {name: _plain(row[name]) for name in self.param_names}

    def top(self, n: int = 5) -> pd.DataFrame:
        return self.table.head(n)

    def sensitivity(self) -> dict[str, pd.DataFrame]:
        return sensitivity(self.table, self.param_names)

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "strategy": self.strategy,
                "objective": self.objective,
                "method": self.method,
                "complete": self.complete,
                "trials": len(self.table),
                "trials_total": self.trials_total,
                "best_params": self.best_params,
                "top": self.top().to_dict(orient="records"),
                "sensitivity": {
                    k: v.to_dict(orient="records") for k, v in self.sensitivity().items()
                },
            }
        )  # type: ignore[return-value]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def frame_digest(frame: pd.DataFrame) -> str:
    """Identifies the data in a checkpoint: bar count, first/last time, sum of closes."""
    ts = frame["timestamp"].to_numpy()
    basis = f"{len(frame)}:{ts[0] if len(ts) else 0}:{ts[-1] if len(ts) else 0}:"
    basis += f"{float(frame['close'].sum()):.6f}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def make_trials(
    space: ParamSpace, method: Method, n_trials: int | None, seed: int
) -> list[dict[str, Any]]:
    if method == "grid":
        trials = grid_trials(space)
        return trials[:n_trials] if n_trials else trials
    if method == "random":
        return random_trials(space, n_trials or 100, seed)
    raise ValueError("method must be grid or random")


class Checkpoint:
    """JSON lines: a header, then ``{"trial": id, "params": ..., "scores": ...}`` per trial."""

    def __init__(self, path: str | Path, header: dict[str, Any]) -> None:
        self.path = Path(path)
        self.header = header
        self.done: dict[int, dict[str, Any]] = {}
        if self.path.exists() and self.path.stat().st_size:
            self._load()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"header": header}) + "\n")

    def _load(self) -> None:
        lines = self.path.read_text().splitlines()
        first = json.loads(lines[0]).get("header")
        if first != self.header:
            raise CheckpointMismatch(f"{self.path} holds a different search")
        for line in lines[1:]:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the interruption: that trial runs again
            self.done[int(rec["trial"])] = rec["scores"]
        # rewrite without a torn last line, so appends start on a fresh line
        keep = [lines[0]] + [json.dumps({"trial": k, "scores": v}) for k, v in self.done.items()]
        self.path.write_text("\n".join(keep) + "\n")

    def append(self, trial_id: int, scores: dict[str, Any]) -> None:
        self.done[trial_id] = scores
        with self.path.open("a") as fh:
            fh.write(json.dumps({"trial": trial_id, "scores": json_safe(scores)}) + "\n")
            fh.flush()


def optimize(
    frame: pd.DataFrame,
    spec: RunSpec,
    space: ParamSpace,
    *,
    method: Method = "random",
    n_trials: int | None = 100,
    seed: int = 0,
    workers: int = 2,
    checkpoint: str | Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    window: Window | None = None,
    pool: TrialPool | None = None,
    mp_context: str | None = None,
) -> OptimizationResult:
    """Search ``space`` for the parameters maximising ``spec.objective`` on ``frame``."""
    trials = make_trials(space, method, n_trials, seed)
    results: dict[int, dict[str, Any]] = {}
    store = None
    if checkpoint is not None:
        header = {
            "strategy": spec.strategy,
            "objective": spec.objective,
            "method": method,
            "seed": seed,
            "n_trials": len(trials),
            "space": json_safe(describe(space)),
            "fixed": json_safe(dict(spec.fixed)),
            "config": json_safe(asdict(spec.config)),
            "data": frame_digest(frame),
            "window": json_safe(asdict(window)) if window else None,
        }
        store = Checkpoint(checkpoint, header)
        results.update({k: _restore(v) for k, v in store.done.items() if k < len(trials)})
    total = len(trials)

    def on_result(trial_id: int, scores: dict[str, Any]) -> None:
        results[trial_id] = scores
        if store is not None:
            store.append(trial_id, scores)
        if progress is not None:
            progress(len(results), total)

    todo = ((i, trials[i], window) for i in range(total) if i not in results)
    if pool is not None:
        pool.run(todo, on_result, cancel)
    else:
        with TrialPool(frame, spec, workers, mp_context) as own:
            own.run(todo, on_result, cancel)
    return OptimizationResult(
        strategy=spec.strategy,
        objective=spec.objective,
        method=method,
        table=results_table(trials, results),
        param_names=tuple(space),
        complete=len(results) == total,
        trials_total=total,
    )


def _restore(scores: dict[str, Any]) -> dict[str, Any]:
    """Undo `json_safe` on a checkpointed row (null -> NaN, an ``_infinite`` flag or an
    older "inf" string -> inf)."""
    out: dict[str, Any] = {}
    for k, v in scores.items():
        if k.endswith("_infinite") and (
            k.removesuffix("_infinite") in scores or k.removesuffix("_negative_infinite") in scores
        ):
            continue
        if v is None or v in ("inf", "-inf"):
            v = from_json(v, scores, k)
        out[k] = v
    return out


def results_table(
    trials: list[dict[str, Any]], results: Mapping[int, dict[str, Any]]
) -> pd.DataFrame:
    """One row per finished trial: number, parameters, objective and metrics; best first."""
    rows = [{"trial": i, **trials[i], **results[i]} for i in sorted(results)]
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    if "error" not in table:
        table["error"] = None
    key = pd.to_numeric(table["objective"], errors="coerce").fillna(-np.inf)
    order = np.lexsort((table["trial"].to_numpy(), -key.to_numpy()))
    return table.iloc[order].reset_index(drop=True)


def sensitivity(
    table: pd.DataFrame, names: Iterable[str], bins: int = 5
) -> dict[str, pd.DataFrame]:
    """Per parameter: mean / median / best objective and count per value (or value bin).

    A parameter with more than ``bins`` distinct numeric values is cut into ``bins``
    quantile bins. Undefined objectives are left out.
    """
    out: dict[str, pd.DataFrame] = {}
    if table.empty:
        return out
    obj = pd.to_numeric(table["objective"], errors="coerce").replace([np.inf, -np.inf], np.nan)
    for name in names:
        col = table[name]
        binned = pd.api.types.is_numeric_dtype(col) and col.nunique() > bins
        if binned:
            col = _bins(col, bins)
        frame = pd.DataFrame({"value": col, "objective": obj}).dropna()
        g = frame.groupby("value", sort=True, observed=True)  # bins stay in numeric order
        stats = g["objective"].agg(["count", "mean", "median", "max"]).reset_index()
        if binned:
            stats["value"] = stats["value"].astype(str)
        out[name] = stats
    return out


def _bins(col: pd.Series, bins: int) -> pd.Series:
    """Quantile bins as an ordered categorical labelled ``(low, high]`` with edges
    written to the fewest significant digits that keep the labels apart, so
    ``(0.009000000000000001, 0.02]`` reads ``(0.009, 0.02]``."""
    cats = pd.qcut(col, bins, duplicates="drop")
    intervals = list(cats.cat.categories)
    for digits in range(4, 18):
        labels = [f"({iv.left:.{digits}g}, {iv.right:.{digits}g}]" for iv in intervals]
        if len(set(labels)) == len(labels):
            return cats.cat.rename_categories(labels)
    return cats.astype(str)
