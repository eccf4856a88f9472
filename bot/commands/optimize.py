"""`tradebot optimize`: search a strategy's parameters on a candle file.

Same data flags as `tradebot backtest`; the search runs in a process pool
(`core.robustness.optimizer`). `--checkpoint FILE` appends every finished trial to a
JSON-lines file; running the same command again resumes, running only the missing
trials (a different search on the same file is refused). Prints the top 5 and the
per-parameter sensitivity, or everything as JSON with `--json`.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from bot.commands._search import (
    UsageError,
    add_data_arguments,
    add_search_arguments,
    emit_json,
    fail,
    parse_space,
    print_safely,
    progress_bar,
    setup,
)
from core.robustness.optimizer import CheckpointMismatch, OptimizationResult, optimize


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "optimize",
        help="search a strategy's parameters on a candle file",
        description="Grid or random parameter search over a candle file, in a process pool.",
    )
    add_data_arguments(p)
    add_search_arguments(p, trials=100)
    p.add_argument("--checkpoint", metavar="FILE", help="JSON lines; rerun to resume")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    try:
        s = setup(args, objective=args.objective)
        space = parse_space(s.spec.strategy, args.space, dict(s.spec.fixed))
        progress, close = progress_bar("optimize", "trial")
        try:
            result = optimize(
                s.frame,
                s.spec,
                space,
                method=args.method,
                n_trials=args.trials,
                seed=args.seed,
                workers=args.workers,
                checkpoint=args.checkpoint,
                progress=progress,
                window=s.window,
            )
        finally:
            close()
    except (UsageError, CheckpointMismatch) as exc:
        return fail(exc)
    except ValueError as exc:  # e.g. a grid over a float range without a step
        return fail(UsageError(str(exc)))
    if args.json:
        emit_json(result.to_dict())
    else:
        print_safely(render(result))
    return 0


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.4g}"
    return str(value)


def render(result: OptimizationResult) -> str:
    lines = [
        f"{result.strategy}: {len(result.table)}/{result.trials_total} trials, "
        f"objective {result.objective} ({result.method})",
        "",
        "top 5",
    ]
    cols = ["trial", *result.param_names, "objective", "total_return", "max_drawdown", "trades"]
    top = result.top(5)
    if not top.empty:
        lines.append("  ".join(cols))
        for row in top.to_dict("records"):
            lines.append("  ".join(_cell(row.get(c)) for c in cols))
    lines.append("")
    lines.append("sensitivity (mean objective per value)")
    for name, table in result.sensitivity().items():
        cells = ", ".join(
            f"{v}: {_cell(m)}" for v, m in zip(table["value"], table["mean"], strict=True)
        )
        lines.append(f"  {name}: {cells}")
    best = result.best_params
    lines.append("")
    lines.append(f"best: {best}" if best else "best: none (no trial scored)")
    return "\n".join(lines)
