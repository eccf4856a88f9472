"""`tradebot data fetch|import|status|check`: fill, inspect and verify the candle cache.

- fetch SYMBOL [--timeframe 1h] [--days 90]: backfill from the exchange(s), only
  what the cache lacks.
- import FILE [--symbol BTC/USDT --timeframe 1h --exchange binance]: load a
  shared-format gzip CSV (symbol/timeframe/exchange default to the file name).
- status [--json]: per series first, last, rows, gaps, completeness, stale.
- check FILE|SYMBOL [--timeframe 1h]: a quality report; exit 1 when it finds problems
  (a symbol's timeframe defaults to 1h, a file's comes from its name).

Long fetches and imports show a progress bar when stderr is a terminal. Bad input
prints one `error: ...` line and exits with 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.commands._usage import EXIT_BAD_INPUT, UsageError
from core.config import Settings, get_settings
from core.market.csv import CandleFileError, parse_file_name, read_candles_raw
from core.market.quality import QualityReport, check_frame
from core.market.symbols import UnknownSymbol, normalize_symbol_text
from core.market.timeframes import InvalidTimeframe, last_closed_open, timeframe_ms

EXIT_PROBLEMS = 1
DAY_MS = 86_400_000


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser("data", help="fetch, import, inspect and check candle data")
    sub = p.add_subparsers(dest="data_command", required=True)

    f = sub.add_parser("fetch", help="backfill candles from the exchange into the cache")
    f.add_argument("symbol", help="market, e.g. BTC/USDT or btcusdt")
    f.add_argument("--timeframe", default="1h")
    f.add_argument("--days", type=float, default=90.0)
    f.add_argument("--exchange", help="ccxt id (default: EXCHANGE)")

    i = sub.add_parser("import", help="import a gzip CSV candle file into the cache")
    i.add_argument("file")
    i.add_argument("--symbol", help="default: from the file name")
    i.add_argument("--timeframe", help="default: from the file name")
    i.add_argument("--exchange", help="default: from the file name, else EXCHANGE")

    s = sub.add_parser("status", help="what the cache holds, per symbol and timeframe")
    s.add_argument("--json", action="store_true")
    s.add_argument("--exchange")
    s.add_argument("--symbol")

    c = sub.add_parser("check", help="quality report for a candle file or a cached symbol")
    c.add_argument("target", help="a candle file, or a symbol in the cache")
    c.add_argument("--timeframe", help="default: from the file name, else 1h")
    c.add_argument("--exchange")
    c.add_argument("--json", action="store_true")
    p.set_defaults(func=run)
    return p


def _timeframe(text: str | None) -> str:
    if text is None:
        raise UsageError("--timeframe is required")
    try:
        timeframe_ms(text)
    except InvalidTimeframe:
        raise UsageError(f"invalid timeframe {text!r} (examples: 5m, 1h, 4h, 1d)") from None
    return text


def _file(text: str) -> Path:
    """An existing candle file, or a clear error for a folder or a missing path."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(
            f"{text} is a folder: pass one candle file (e.g. binance_BTC-USDT_1h.csv.gz)"
        )
    if not path.is_file():
        raise UsageError(f"no such file: {text}")
    return path


def _looks_like_path(text: str) -> bool:
    """A file name or path rather than a symbol (BTC/USDT also has a slash)."""
    return text.startswith(("/", ".", "~")) or text.lower().endswith((".csv", ".gz", ".csv.gz"))


def _symbol(text: str) -> str:
    try:
        return normalize_symbol_text(text)
    except UnknownSymbol:
        raise UsageError(f"not a market symbol: {text!r} (example: BTC/USDT)") from None


def _progress(
    desc: str, total: int | None
) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="candle", unit_scale=True, desc=desc, file=sys.stderr)
    return bar.update, bar.close


def _print_quality(title: str, report: QualityReport) -> None:
    from services.market.importer import iso

    print(title)
    print(f"  rows          {report.rows}")
    print(f"  first / last  {iso(report.first_ts)} / {iso(report.last_ts)} UTC")
    print(f"  completeness  {report.completeness * 100:.2f}% ({report.missing} missing)")
    issues = report.issues()
    if not issues:
        print("  no problems found")
    for code, count in issues.items():
        print(f"  {code:<13} {count}")
    if report.utc_offset_hours is not None:
        print(f"  every timestamp is shifted {report.utc_offset_hours:+g} h from UTC boundaries")
    for gap in report.gaps:
        print(f"  gap from {iso(gap.start_ts)}: {gap.missing} missing")


async def _with_services(settings: Settings, work: Callable[..., Any]) -> int:
    from services.db.engine import Database
    from services.db.migrate import upgrade

    db = Database(settings.database_url)
    try:
        await upgrade(db)
        return int(await work(settings, db))
    finally:
        await db.dispose()


async def _import(args: argparse.Namespace, settings: Any, db: Any) -> int:
    from services.market.importer import import_file
    from services.market.store import CandleStore

    parsed = parse_file_name(args.file)
    symbol = _symbol(args.symbol) if args.symbol else (parsed.symbol if parsed else None)
    timeframe = args.timeframe or (parsed.timeframe if parsed else None)
    exchange = args.exchange or (parsed.exchange if parsed else settings.exchange)
    if symbol is None:
        raise UsageError("--symbol is required (the file name does not say)")
    timeframe = _timeframe(timeframe)
    rows_hint = None
    update, close = _progress(f"import {symbol} {timeframe}", rows_hint)
    try:
        result = await import_file(
            CandleStore(db), args.file, exchange=exchange, symbol=symbol,
            timeframe=timeframe, progress=update,
        )  # fmt: skip
    finally:
        close()
    info = result.series
    print(
        f"{exchange} {symbol} {timeframe}: read {result.read}, new {result.inserted}, "
        f"already cached {result.read - result.dropped - result.inserted}, "
        f"dropped {result.dropped} invalid"
    )
    if info is not None:
        print(
            f"cache now holds {info.rows} rows, {len(info.gaps)} gaps "
            f"({info.missing} missing), completeness {info.completeness * 100:.2f}%"
        )
    return 0


async def _status(args: argparse.Namespace, settings: Any, db: Any) -> int:
    from services.market.base import SystemClock
    from services.market.importer import series_status
    from services.market.store import CandleStore

    symbol = _symbol(args.symbol) if args.symbol else None
    infos = await CandleStore(db).all_series(exchange=args.exchange, symbol=symbol)
    now = SystemClock().now_ms()
    rows = [series_status(i, now, settings.market_stale_bars) for i in infos]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("the candle cache is empty (tradebot data import FILE / data fetch SYMBOL)")
        return 0
    print(f"{'exchange':<10} {'symbol':<14} {'tf':<4} {'first':<16} {'last':<16} "
          f"{'rows':>8} {'gaps':>5} {'complete':>9} stale")  # fmt: skip
    for r in rows:
        print(f"{r['exchange']:<10} {r['symbol']:<14} {r['timeframe']:<4} {r['first']:<16} "
              f"{r['last']:<16} {r['rows']:>8} {r['gaps']:>5} {r['completeness_pct']:>8}% "
              f"{'yes' if r['stale'] else 'no'}")  # fmt: skip
    return 0


async def _check_symbol(args: argparse.Namespace, settings: Any, db: Any) -> int:
    from services.market.store import CandleStore

    symbol = _symbol(args.target)
    timeframe = _timeframe(args.timeframe or "1h")
    exchange = args.exchange or settings.exchange
    frame = await CandleStore(db).load(exchange, symbol, timeframe)
    if frame.empty:
        raise UsageError(f"nothing cached for {exchange} {symbol} {timeframe}")
    from services.market.base import SystemClock

    report = check_frame(frame, timeframe, now_ms=SystemClock().now_ms())
    return _report(args, f"{exchange} {symbol} {timeframe} (cache)", report)


def _report(args: argparse.Namespace, title: str, report: QualityReport) -> int:
    if args.json:
        print(json.dumps({"target": title, **report.to_dict()}, indent=2))
    else:
        _print_quality(title, report)
    return 0 if report.ok else EXIT_PROBLEMS


async def _fetch(args: argparse.Namespace, settings: Any, db: Any) -> int:
    from services.market.base import MarketDataError
    from services.market.factory import build_market_data

    timeframe = _timeframe(args.timeframe)
    if not args.days > 0:
        raise UsageError("--days must be positive")
    overrides = {"market_data": "exchange"}
    if args.exchange:
        overrides["exchange"] = args.exchange
    hub = build_market_data(settings.model_copy(update=overrides), db)
    try:
        return await _fetch_into(args, hub, timeframe)
    except MarketDataError as exc:
        # every exchange failed (markets or candles): one line, not a traceback
        print(f"error: no exchange answered: {getattr(exc, 'reason', '') or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        await hub.aclose()


async def _fetch_into(args: argparse.Namespace, hub: Any, timeframe: str) -> int:
    try:
        symbol = await hub.normalize(args.symbol)
    except UnknownSymbol as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise UsageError(f"unknown market {args.symbol!r}{hint}") from None
    now = hub.clock.now_ms()
    since = now - int(args.days * DAY_MS)
    total = (last_closed_open(now, timeframe) - since) // timeframe_ms(timeframe) + 1
    update, close = _progress(f"fetch {symbol} {timeframe}", total)
    try:
        added = await hub.backfill(symbol, timeframe, since, progress=update)
    finally:
        close()
    source = hub.chain.primary.name
    info = await hub.store.info(source, symbol, timeframe) if hub.store else None
    print(f"{symbol} {timeframe}: {added} new candles")
    if info is not None:
        print(f"cache holds {info.rows} rows from {info.first_ts} to {info.last_ts}")
    return 0


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """`tradebot data ...`; `settings` come from the CLI (loaded here when run alone)."""
    try:
        if args.data_command == "import":
            _file(args.file)
        if args.data_command == "check" and (
            Path(args.target).exists() or _looks_like_path(args.target)
        ):
            _file(args.target)
            parsed = parse_file_name(args.target)
            timeframe = _timeframe(args.timeframe or (parsed.timeframe if parsed else None))
            report = check_frame(read_candles_raw(args.target), timeframe)
            return _report(args, args.target, report)
        work = {
            "import": _import,
            "status": _status,
            "check": _check_symbol,
            "fetch": _fetch,
        }[args.data_command]
        return asyncio.run(
            _with_services(settings or get_settings(), lambda s, d: work(args, s, d))
        )
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CandleFileError as exc:
        print(f"error: not a candle file: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (`python -m bot.commands.data`); `tradebot` wires `register`."""
    parser = argparse.ArgumentParser(prog="tradebot")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
