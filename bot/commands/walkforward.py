"""`tradebot walkforward`: optimise in-sample, trade the winner out-of-sample, roll on.

Same data flags as `tradebot backtest` (the period given by --from/--to is split into
windows), the optimizer's search flags, and the window sizes in candles (``500``) or
days/weeks (``60d``, ``8w``). Prints IS vs OOS per window and the stitched OOS result.
"""

from __future__ import annotations

import argparse
import math
import re
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
from core.backtest.report import iso
from core.market.timeframes import timeframe_ms
from core.robustness.walkforward import WalkForwardResult, walk_forward

_SPAN = re.compile(r"^([1-9][0-9]*)([dw]?)$")
_DAYS = {"": 0, "d": 1, "w": 7}


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "walkforward",
        help="walk-forward analysis on a candle file",
        description="Rolling (or anchored) in-sample optimisation with out-of-sample tests.",
    )
    add_data_arguments(p)
    add_search_arguments(p, trials=30)
    p.add_argument("--train", required=True, metavar="N|Nd|Nw", help="in-sample window")
    p.add_argument("--test", required=True, metavar="N|Nd|Nw", help="out-of-sample window")
    p.add_argument("--step", metavar="N|Nd|Nw", help="shift between windows (default --test)")
    p.add_argument("--anchored", action="store_true", help="every in-sample window starts at 0")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)
    return p


def span_bars(text: str | None, timeframe: str, flag: str) -> int | None:
    """``500`` candles, or ``60d`` / ``8w`` converted with the timeframe."""
    if text is None:
        return None
    m = _SPAN.match(text.strip().lower())
    if not m:
        raise UsageError(f"{flag} {text!r}: expected candles (500) or days/weeks (60d, 8w)")
    n, unit = int(m.group(1)), m.group(2)
    if not unit:
        return n
    bars = n * _DAYS[unit] * 86_400_000 // timeframe_ms(timeframe)
    if bars < 1:
        raise UsageError(f"{flag} {text!r} is shorter than one {timeframe} candle")
    return bars


def run(args: argparse.Namespace) -> int:
    try:
        s = setup(args, objective=args.objective)
        space = parse_space(s.spec.strategy, args.space, dict(s.spec.fixed))
        tf = s.request.timeframe
        train = span_bars(args.train, tf, "--train")
        test = span_bars(args.test, tf, "--test")
        step = span_bars(args.step, tf, "--step")
        period = s.frame.iloc[s.window.start :].reset_index(drop=True)
        progress, close = progress_bar("walk-forward", "window")
        try:
            result = walk_forward(
                period,
                s.spec,
                space,
                train_bars=train or 0,
                test_bars=test or 0,
                step_bars=step,
                anchored=args.anchored,
                method=args.method,
                n_trials=args.trials,
                seed=args.seed,
                workers=args.workers,
                progress=progress,
            )
        finally:
            close()
    except UsageError as exc:
        return fail(exc)
    except ValueError as exc:  # windows that do not fit, a grid without steps
        return fail(UsageError(str(exc)))
    if args.json:
        emit_json(result.to_dict())
    else:
        print_safely(render(result))
    return 0


def _num(value: Any, pct: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value * 100:.2f}%" if pct else f"{value:.3f}"


def _efficiency(summary: dict[str, Any]) -> str:
    note = summary.get("efficiency_note")
    return f"n/a ({note})" if note else _num(summary["efficiency"])


def render(result: WalkForwardResult) -> str:
    lines = ["window  in-sample            out-of-sample        IS obj   OOS obj  OOS ret  params"]
    for row in result.windows.to_dict("records"):
        lines.append(
            f"{row['window']:>6}  {iso(row['is_start'])[:10]}..{iso(row['is_end'])[:10]}  "
            f"{iso(row['oos_start'])[:10]}..{iso(row['oos_end'])[:10]}  "
            f"{_num(row['is_objective']):>7}  {_num(row['oos_objective']):>7}  "
            f"{_num(row['oos_return'], True):>7}  {row['params']}"
        )
    summary = result.summary()
    lines += [
        "",
        f"objective {summary['objective']}: IS mean {_num(summary['is_mean'])}, "
        f"OOS mean {_num(summary['oos_mean'])}, efficiency {_efficiency(summary)}",
        f"stitched out-of-sample: return {_num(summary['oos_total_return'], True)}, "
        f"sharpe {_num(summary['oos_sharpe'])}, "
        f"max drawdown {_num(summary['oos_max_drawdown'], True)}",
    ]
    return "\n".join(lines)
