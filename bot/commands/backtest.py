"""`tradebot backtest`: run one strategy over a candle file and print or save the result.

Bad input (unknown strategy, bad parameters, inverted dates, a period without candles,
an unreadable file) prints one ``error: ...`` line to stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bot.commands._usage import EXIT_BAD_INPUT, UsageError
from core.backtest import (
    BacktestConfig,
    BacktestConfigError,
    BacktestInputError,
    BacktestResult,
    run_backtest,
)
from core.backtest import report as rep
from core.backtest.config import DIRECTIONS, SIZE_MODES
from core.backtest.engine import select_window
from core.market.csv import CandleFileError, parse_file_name, read_candles
from core.market.timeframes import InvalidTimeframe, timeframe_ms
from core.metrics import compute_metrics
from core.strategies.pathsim import PathStrategy
from core.strategies.registry import UnknownStrategy, get_strategy

FLAG_NAMES = {
    "initial_cash": "--cash",
    "fee_rate": "--fee",
    "slippage_bps": "--slippage",
    "size": "--size",
    "size_mode": "--size-mode",
    "direction": "--direction",
    "start": "--from",
}
Progress = Callable[[int, int], None]


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "backtest",
        help="backtest a strategy on a candle file",
        description="Backtest a strategy on a candle file (gzip CSV, shared format).",
    )
    add_data_arguments(p)
    p.add_argument("--json", action="store_true", help="print metrics and trades as JSON")
    p.add_argument("--report", metavar="DIR", help="write summary, trades and charts here")
    p.set_defaults(func=run)
    return p


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    """The data and simulation flags `build_request` reads (shared with optimize,
    walkforward and montecarlo)."""
    p.add_argument("--data", required=True, help="candle file (timestamp,open,high,...)")
    p.add_argument("--symbol", required=True, help="market, e.g. BTC/USDT")
    p.add_argument("--timeframe", required=True, help="candle timeframe, e.g. 5m, 1h")
    p.add_argument("--strategy", required=True, help="strategy name, e.g. ema_cross")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="strategy parameter (repeatable)",
    )
    p.add_argument("--from", dest="date_from", metavar="ISO", help="first candle (UTC)")
    p.add_argument("--to", dest="date_to", metavar="ISO", help="last candle (UTC, inclusive)")
    p.add_argument("--cash", type=float, default=10_000.0, help="initial cash (quote)")
    p.add_argument("--fee", type=float, default=0.001, help="fee per side, 0.001 = 0.1%%")
    p.add_argument("--slippage", type=float, default=0.0, metavar="BPS", help="basis points")
    p.add_argument("--size-mode", choices=SIZE_MODES, default="equity_pct")
    p.add_argument("--size", type=float, default=10.0, help="read per --size-mode")
    p.add_argument("--direction", choices=DIRECTIONS, default="both")


@dataclass(frozen=True, slots=True)
class Request:
    frame: pd.DataFrame
    symbol: str
    timeframe: str
    strategy_name: str
    params: dict[str, Any]
    config: BacktestConfig


def parse_value(text: str) -> Any:
    """``--param`` values: int, float, true/false, or the text itself."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        params[key.strip()] = parse_value(value)
    return params


def parse_time(text: str | None, *, end: bool) -> int | None:
    """ISO date or datetime (UTC unless an offset is given) -> ms; a bare ``--to`` date
    covers that whole day."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{'--to' if end else '--from'} {text!r}: not an ISO date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if end and len(text.strip()) == 10:
        moment += timedelta(days=1) - timedelta(milliseconds=1)
    return int(moment.timestamp() * 1000)


def _load(args: argparse.Namespace) -> pd.DataFrame:
    path = Path(args.data)
    if not path.is_file():
        raise UsageError(f"--data {args.data}: no such file")
    try:
        timeframe_ms(args.timeframe)
    except InvalidTimeframe as exc:
        raise UsageError(str(exc)) from None
    named = parse_file_name(path)
    if named is not None and named.symbol != args.symbol.upper():
        raise UsageError(f"--data holds {named.symbol}, not {args.symbol}")
    if named is not None and named.timeframe != args.timeframe:
        raise UsageError(f"--data holds {named.timeframe} candles, not {args.timeframe}")
    try:
        frame = read_candles(path)
    except CandleFileError as exc:
        raise UsageError(f"cannot read candles: {exc}") from None
    if frame.empty:
        raise UsageError(f"--data {args.data}: no candles")
    return frame


def build_request(args: argparse.Namespace) -> Request:
    """Validate everything before any computation starts."""
    start = parse_time(args.date_from, end=False)
    end = parse_time(args.date_to, end=True)
    if start is not None and end is not None and start > end:
        raise UsageError("--from is after --to")
    try:
        config = BacktestConfig(
            initial_cash=args.cash,
            fee_rate=args.fee,
            slippage_bps=args.slippage,
            size_mode=args.size_mode,
            size=args.size,
            direction=args.direction,
            start=start,
            end=end,
        )
    except BacktestConfigError as exc:
        name, _, why = str(exc).partition(" ")
        raise UsageError(f"{FLAG_NAMES.get(name, name)} {why}") from None
    params = parse_params(args.param)
    check_report_dir(getattr(args, "report", None))
    frame = _load(args)
    return Request(frame, args.symbol.upper(), args.timeframe, args.strategy, params, config)


def check_report_dir(report: str | None) -> None:
    """Refuse a ``--report`` target that cannot become a folder before any computation."""
    if report is None:
        return
    path = Path(report)
    blocker = next((p for p in (path, *path.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise UsageError(f"--report {report}: {blocker} is a file, not a folder")


def strategy_parameters(name: str) -> tuple[str, ...]:
    """The parameter names `name` accepts: the init fields of its typed config."""
    try:
        config = getattr(get_strategy(name), "config", None)
    except UnknownStrategy as exc:
        raise UsageError(str(exc)) from None
    if config is None or not is_dataclass(config):
        return ()
    return tuple(f.name for f in fields(config) if f.init and f.name != "name")


def check_parameter_names(name: str, params: Iterable[str], flag: str = "--param") -> None:
    """An unknown name is a typo to report with the known ones, not a Python error."""
    known = strategy_parameters(name)
    for key in params:
        if known and key not in known:
            raise UsageError(
                f"{flag}: unknown parameter {key} for {name} (known: {', '.join(known)})"
            )


def make_strategy(name: str, params: dict[str, Any]) -> Any:
    check_parameter_names(name, params)
    try:
        return get_strategy(name, **params)
    except UnknownStrategy as exc:
        raise UsageError(str(exc)) from None
    except (TypeError, ValueError) as exc:
        raise UsageError(f"bad parameters for {name}: {exc}") from None


def _path_result(req: Request, strategy: PathStrategy) -> BacktestResult:
    """Grid/DCA/rebalance simulate themselves; wrap their output for the same reports."""
    try:
        window, first = select_window(req.frame, req.config)
    except BacktestInputError as exc:
        raise UsageError(str(exc)) from None
    window = window.iloc[first:].reset_index(drop=True)
    out = strategy.simulate(
        window, initial_cash=req.config.initial_cash, fee_rate=req.config.fee_rate
    )
    return BacktestResult(
        trades=out.trades,
        equity=np.asarray(out.equity, dtype=np.float64),
        timestamps=np.asarray(out.timestamps, dtype=np.int64),
        params=dict(out.params),
        initial_cash=float(out.initial_cash),
        close=window["close"].to_numpy(np.float64),
        strategy=req.strategy_name,
        config=req.config.to_dict(),
    )


def execute(req: Request, progress: Progress | None = None) -> BacktestResult:
    strategy = make_strategy(req.strategy_name, req.params)
    if isinstance(strategy, PathStrategy) and not hasattr(strategy, "generate"):
        return _path_result(req, strategy)
    try:
        result = run_backtest(req.frame, strategy, req.config, progress=progress)
    except BacktestInputError as exc:
        raise UsageError(str(exc)) from None
    return result if result.params else replace(result, params=dict(req.params))


def write_report(
    directory: Path, result: BacktestResult, metrics: dict[str, Any], title: str
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "summary.json").write_text(rep.to_json(rep.summary(result, metrics)) + "\n")
    (directory / "trades.csv").write_text(rep.trades_csv(result))
    (directory / "blocked_trades.csv").write_text(rep.blocked_csv(result))
    (directory / "equity.png").write_bytes(rep.equity_png(result, title))
    (directory / "equity.html").write_text(rep.equity_html(result, title))


def _print_text(result: BacktestResult, metrics: dict[str, Any], title: str) -> None:
    def pct(v: Any) -> str:
        return "n/a" if v is None else f"{v * 100:.2f}%"

    def num(v: Any) -> str:
        return "n/a" if v is None else (v if isinstance(v, str) else f"{v:,.2f}")

    lines = [
        title,
        f"period          {rep.iso(result.timestamps[0])} .. {rep.iso(result.timestamps[-1])}",
        f"final equity    {num(metrics.get('final_equity'))}",
        f"total return    {pct(metrics.get('total_return'))}",
        f"max drawdown    {pct(metrics.get('max_drawdown'))}",
        f"sharpe          {num(metrics.get('sharpe'))}",
        f"trades          {metrics.get('trades')} (open {metrics.get('open_trades')})",
        f"win rate        {pct(metrics.get('win_rate'))}",
        f"profit factor   {num(metrics.get('profit_factor'))}",
        f"fees            {num(metrics.get('fees'))}",
    ]
    print("\n".join(lines))


def _progress_bar(enabled: bool) -> tuple[Progress | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="bar", unit_scale=True, desc="backtest", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def run(args: argparse.Namespace) -> int:
    try:
        req = build_request(args)
        progress, close_bar = _progress_bar(sys.stderr.isatty())
        try:
            result = execute(req, progress)
        finally:
            close_bar()
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    metrics = compute_metrics(result).to_dict()
    title = f"{req.strategy_name} {req.symbol} {req.timeframe}"
    if args.report:
        try:
            write_report(Path(args.report), result, metrics, title)
        except OSError as exc:
            print(
                f"error: cannot write the report to {args.report}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return 1
    if args.json:
        print(rep.to_json({"metrics": metrics, "trades": rep.trade_rows(result)}))
    else:
        _print_text(result, metrics, title)
        if args.report:
            print(f"report written to {args.report}")
    return 0
