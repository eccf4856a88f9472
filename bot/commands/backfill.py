"""`tradebot backfill --data PATH --from ISO --to ISO [--user ID]`.

Runs the live signal scan and the paper monitor over replayed history (see
services/paper/backfill.py): positions are opened and closed exactly as paper
trading would, tagged `backfill`, in the user's separate backfill account, so
/stats shows them apart from paper results. PATH is a shared-format candle file or
a folder of them. The database is DATABASE_URL (migrated first). Bad input prints
one `error: ...` line and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bot.commands._usage import EXIT_BAD_INPUT, UsageError
from core.config import Settings
from core.strategies.engine import PRESETS, UnknownPreset, config_for

EXIT_NO_DATA = 1


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "backfill",
        help="run signals and paper trading over replayed history (trade_mode backfill)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", required=True, help="candle file or folder (shared format)")
    p.add_argument("--from", dest="start", required=True, help="ISO time, e.g. 2024-01-01")
    p.add_argument("--to", dest="end", required=True, help="ISO time, e.g. 2024-02-01")
    p.add_argument("--user", type=int, help="Telegram user id (default: the first admin)")
    p.add_argument("--preset", default="composite", help=f"one of: {', '.join(PRESETS)}")
    p.add_argument("--deposit", default="1000", help="backfill account deposit if new")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(func=handler)
    return p


def parse_time(text: str, name: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{name}: not an ISO time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _options(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    start, end = parse_time(args.start, "--from"), parse_time(args.end, "--to")
    if end <= start:
        raise UsageError("--to must be after --from")
    if not Path(args.data).exists():
        raise UsageError(f"--data: no such file or folder: {args.data}")
    try:
        deposit = Decimal(args.deposit)
    except InvalidOperation:
        raise UsageError(f"--deposit: not a number: {args.deposit!r}") from None
    if not deposit.is_finite() or deposit <= 0:
        raise UsageError("--deposit must be a positive number")
    user = args.user if args.user is not None else (settings.admin_ids or [None])[0]
    if user is None:
        raise UsageError("--user is required when ADMIN_IDS is empty")
    timeframe = config_for(args.preset).timeframe
    return {"start": start, "end": end, "deposit": deposit, "user": user, "timeframe": timeframe}


async def handler(args: argparse.Namespace, settings: Settings) -> int:
    try:
        opts = _options(args, settings)
    except (UsageError, UnknownPreset) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from bot.app import build_services, close_services
    from services.db.migrate import upgrade
    from services.paper.backfill import run_backfill

    replay_settings = settings.model_copy(
        update={
            "market_data": "replay",
            "replay_data_path": str(args.data),
            "replay_start_ms": opts["start"],
            "paper_monitor_timeframe": opts["timeframe"],
            "scheduler_enabled": False,
        }
    )
    # No bot here: signals are stored, not sent (that warning would repeat every bar).
    logging.getLogger("services.signals.delivery").setLevel(logging.ERROR)
    services = await build_services(replay_settings, {"sender": None})
    try:
        await upgrade(services.db)
        await services.users.upsert(opts["user"], username=None, first_name="backfill")
        symbols = sorted(await services.market.markets())
        if not await _has_candles(services.market, symbols, opts):
            print(
                f"error: no candles in {args.data} between {iso(opts['start'])} and "
                f"{iso(opts['end'])} (no data for that period)",
                file=sys.stderr,
            )
            return EXIT_NO_DATA
        report = await run_backfill(
            services,
            user_id=opts["user"],
            start_ms=opts["start"],
            end_ms=opts["end"],
            preset=args.preset,
            timeframe=opts["timeframe"],
            symbols=symbols,
            deposit=opts["deposit"],
        )
    finally:
        await close_services(services)
    summary = {
        "user": report.user_id,
        "from": iso(report.start_ms),
        "to": iso(report.end_ms),
        "symbols": symbols,
        "preset": args.preset,
        "steps": report.steps,
        "signals": report.signals,
        "opened": report.opened,
        "refused": report.refused,
        "closed": report.closed,
        "wins": report.wins,
        "net_pnl": str(report.net_pnl.quantize(Decimal("0.01"))),
        "balance": str(report.balance.quantize(Decimal("0.01"))),
        "open_at_end": report.open_at_end,
        "trade_mode": "backfill",
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"backfill {summary['from']} .. {summary['to']} {', '.join(symbols)} ({args.preset})")
    print(f"user {report.user_id}: {report.steps} candles, {report.signals} signals")
    print(f"positions opened {report.opened}, closed {report.closed}, wins {report.wins}")
    print("\n".join(refused_lines(report)))
    print(f"net PnL {summary['net_pnl']}, backfill balance {summary['balance']}")
    print(f"still open: {report.open_at_end} (trade_mode backfill, shown apart in /stats)")
    return 0


async def _has_candles(market: Any, symbols: list[str], opts: dict[str, Any]) -> bool:
    """Whether any symbol has a closed candle of the backfill timeframe in the period
    (the replay clock is moved to its end to look, then back to its start)."""
    from services.market.base import MarketDataError

    market.clock.set(opts["end"])
    try:
        for symbol in symbols:
            try:
                result = await market.ohlcv(
                    symbol, opts["timeframe"], since=opts["start"], until=opts["end"]
                )
            except MarketDataError:
                continue
            if not result.frame.empty:
                return True
        return False
    finally:
        market.clock.set(opts["start"])


def refused_lines(report: Any) -> list[str]:
    """Why entries were refused, most frequent first: each reason is the message the
    chat would have shown (rendered from the English catalog with the variables of
    its first occurrence), never a raw message id."""
    from bot.commands._fluent import plain

    if not report.refused:
        return ["refused: none"]
    lines = [f"refused: {sum(report.refused.values())}"]
    for key, count in sorted(report.refused.items(), key=lambda item: (-item[1], item[0])):
        example = plain(key, report.refused_examples.get(key, {}))
        lines.append(f"  {count} x {example}" + (" (the first of them)" if count > 1 else ""))
    return lines
