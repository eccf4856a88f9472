"""What `tradebot optimize`, `walkforward` and `montecarlo` share.

The data and simulation flags, and their validation, are `tradebot backtest`'s own
(`add_data_arguments`, `build_request`), so one file, one symbol and one period mean
the same thing in all four commands. Here: the search flags (objective, method,
trials, seed, workers, `--space` overrides), the checked `Setup`, the progress bar
and the output helpers. Bad input is a `UsageError`: one ``error: ...`` line, exit 2.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.commands.backtest import (
    EXIT_BAD_INPUT,
    Request,
    UsageError,
    add_data_arguments,
    build_request,
    check_parameter_names,
    make_strategy,
    parse_value,
)
from core.backtest import BacktestInputError
from core.backtest.engine import select_window
from core.robustness.evaluate import OBJECTIVES, RunSpec, Window
from core.robustness.params import PARAM_SPACES, Choice, FloatRange, IntRange, Param
from core.strategies.registry import get_strategy

Progress = Callable[[int, int], None]

__all__ = [
    "EXIT_BAD_INPUT",
    "Setup",
    "UsageError",
    "add_data_arguments",
    "add_search_arguments",
    "emit_json",
    "fail",
    "parse_space",
    "progress_bar",
    "setup",
]


def add_search_arguments(p: argparse.ArgumentParser, *, trials: int) -> None:
    p.add_argument("--objective", choices=OBJECTIVES, default="sharpe")
    p.add_argument("--method", choices=("random", "grid"), default="random")
    p.add_argument("--trials", type=int, default=trials, help="random draws (grid: at most)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="worker processes (1: inline)")
    p.add_argument("--min-trades", type=int, default=0, help="fewer closed trades score n/a")
    p.add_argument(
        "--space",
        action="append",
        default=[],
        metavar="KEY=LOW:HIGH[:STEP]|KEY=A,B,...",
        help="search range of a parameter (repeatable; default: the strategy's space)",
    )


def parse_space(strategy: str, items: list[str], fixed: dict[str, Any]) -> dict[str, Param]:
    """The strategy's default space, overridden by ``--space``, minus fixed ``--param``s."""
    space: dict[str, Param] = dict(PARAM_SPACES.get(strategy, {}))
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key or not text.strip():
            raise UsageError(f"--space {item!r}: expected KEY=LOW:HIGH[:STEP] or KEY=A,B,...")
        check_parameter_names(strategy, [key], flag=f"--space {item!r}")
        space[key] = _param(item, text.strip())
    for key in fixed:
        space.pop(key, None)
    if not space:
        raise UsageError(f"no parameters to search for {strategy}: give --space KEY=...")
    _check_values(strategy, items, space, fixed)
    return space


def _edges(param: Param) -> list[Any]:
    """The values that show whether a range is usable: every choice, or both ends."""
    if isinstance(param, Choice):
        return list(param.values)
    return [param.low, param.high]  # type: ignore[union-attr]


def _check_values(
    strategy: str, items: list[str], space: dict[str, Param], fixed: dict[str, Any]
) -> None:
    """Refuse a ``--space`` value no trial could use (``fast=abc``): each edge value must
    build the strategy together with some edge values of the other searched keys
    (``fast`` may need a larger ``slow``), so a valid search is never refused."""
    named = {item.partition("=")[0].strip(): item for item in items}
    for key, item in named.items():
        if key not in space:
            continue
        others = [k for k in space if k != key]
        combos = list(itertools.islice(itertools.product(*(_edges(space[k]) for k in others)), 256))
        for value in _edges(space[key]):
            error: Exception | None = None
            for combo in combos:
                try:
                    get_strategy(
                        strategy, **{**fixed, **dict(zip(others, combo, strict=True)), key: value}
                    )
                    error = None
                    break
                except (TypeError, ValueError) as exc:
                    error = exc
            if error is not None:
                raise UsageError(f"--space {item!r}: {value!r} is not usable: {error}")


def _param(item: str, text: str) -> Param:
    if ":" not in text:
        return Choice(tuple(parse_value(v) for v in text.split(",") if v.strip()))
    parts = [parse_value(v) for v in text.split(":")]
    if len(parts) not in (2, 3) or not all(isinstance(v, int | float) for v in parts):
        raise UsageError(f"--space {item!r}: LOW:HIGH[:STEP] must be numbers")
    if parts[0] > parts[1]:
        raise UsageError(f"--space {item!r}: LOW is above HIGH")
    if all(isinstance(v, int) for v in parts):
        return IntRange(*parts)  # type: ignore[arg-type]
    return FloatRange(*(float(v) for v in parts))


@dataclass(frozen=True, slots=True)
class Setup:
    request: Request
    spec: RunSpec
    frame: Any  # the file cut at --to; bars before `window.start` only warm up
    window: Window


def setup(args: argparse.Namespace, *, objective: str = "sharpe") -> Setup:
    """Validate the data, strategy and period before anything runs."""
    if getattr(args, "workers", 1) < 1:
        raise UsageError("--workers must be at least 1")
    if getattr(args, "trials", 1) < 1:
        raise UsageError("--trials must be at least 1")
    req = build_request(args)
    make_strategy(req.strategy_name, req.params)  # unknown name or bad --param
    try:
        frame, start_bar = select_window(req.frame, req.config)
    except BacktestInputError as exc:
        raise UsageError(str(exc)) from None
    spec = RunSpec(
        strategy=req.strategy_name,
        config=req.config,
        objective=objective,  # type: ignore[arg-type]
        fixed=req.params,
        min_trades=getattr(args, "min_trades", 0),
    )
    return Setup(req, spec, frame, Window(start_bar, len(frame), 0))


def progress_bar(desc: str, unit: str) -> tuple[Progress | None, Callable[[], None]]:
    """A tqdm bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, desc=desc, file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def fail(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


def emit_json(payload: Any) -> None:
    from core.backtest import report as rep

    print_safely(rep.to_json(payload))


def print_safely(text: str) -> None:
    """Print a result; a reader that goes away (`... | head`) is handled once for every
    command in `bot.cli.main`."""
    print(text)
