"""`tradebot montecarlo`: how much of a backtest's result was the order of its trades.

Runs the backtest exactly as `tradebot backtest` would (same data flags, same
engine), then resamples its closed trades (`shuffle` or `bootstrap`, seeded) and
prints the 5/50/95 % bands of final equity and max drawdown.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands._search import (
    UsageError,
    add_data_arguments,
    emit_json,
    fail,
    print_safely,
    progress_bar,
)
from bot.commands.backtest import build_request, execute
from core.robustness.montecarlo import MonteCarloResult, run_monte_carlo


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "montecarlo",
        help="Monte Carlo bands of a backtest's trades",
        description="Backtest a strategy, then shuffle or bootstrap its closed trades.",
    )
    add_data_arguments(p)
    p.add_argument("--method", choices=("shuffle", "bootstrap"), default="shuffle")
    p.add_argument("--sims", type=int, default=1000, help="simulated paths")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--compounding", action="store_true", help="replay trades as returns on equity")
    p.add_argument("--json", action="store_true", help="print the bands as JSON")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    try:
        if args.sims < 1:
            raise UsageError("--sims must be at least 1")
        req = build_request(args)
        progress, close = progress_bar("backtest", "bar")
        try:
            result = execute(req, progress)
        finally:
            close()
        mc = run_monte_carlo(
            result.trades,
            result.initial_cash,
            method=args.method,
            n_sims=args.sims,
            seed=args.seed,
            compounding=args.compounding,
        )
    except UsageError as exc:
        return fail(exc)
    if args.json:
        emit_json(mc.to_dict())
    else:
        print_safely(render(mc))
    return 0


def render(mc: MonteCarloResult) -> str:
    def money(v: float) -> str:
        return f"{v:,.2f}"

    def pct(v: float) -> str:
        return f"{v * 100:.2f}%"

    return "\n".join(
        [
            f"{mc.method}, {mc.n_sims} paths over {mc.n_trades} closed trades (seed {mc.seed})",
            "                  5%            50%           95%           actual",
            "final equity  "
            + "".join(f"{money(mc.final_equity[p]):>14}" for p in (5, 50, 95))
            + f"{money(mc.original_final_equity):>14}",
            "max drawdown  "
            + "".join(f"{pct(mc.max_drawdown[p]):>14}" for p in (5, 50, 95))
            + f"{pct(mc.original_max_drawdown):>14}",
            f"paths ending below the initial {money(mc.initial_cash)}: {pct(mc.p_loss)}",
        ]
    )
