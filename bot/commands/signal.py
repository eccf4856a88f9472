"""`tradebot signal`: the live signal path from the command line.

- `tradebot signal SYMBOL [--timeframe 1h] [--preset composite] [--data PATH]
  [--at ISO-TIME] [--json]`: analyse the last candle closed at `--at` (default: the
  end of the data, or now). PATH is a shared-format candle file or a folder of them,
  replayed through the same market provider the bot uses; without --data the
  configured market (MARKET_DATA) answers.
- `tradebot signal history --data FILE [--preset composite] [--json]`: every signal
  the engine would have issued over the file, one per line (cooldown applied).

Bad input prints one `error: ...` line and exits with 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.commands._usage import EXIT_BAD_INPUT, UsageError
from core.config import Settings
from core.market.symbols import UnknownSymbol
from core.strategies.engine import PRESETS, UnknownPreset, config_for


def register(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "signal",
        help="analyse a symbol now or at a past time; `signal history` lists past signals",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("symbol", help="market such as BTC/USDT, or `history`")
    p.add_argument("--timeframe", help="base timeframe (default: the preset's)")
    p.add_argument("--preset", default="composite", help=f"one of: {', '.join(PRESETS)}")
    p.add_argument("--data", help="candle file or folder to replay")
    p.add_argument("--at", help="ISO time, e.g. 2023-06-01T00:00:00Z (with --data)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=handler)
    return p


def parse_at(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--at: not an ISO time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def handler(args: argparse.Namespace, settings: Settings) -> int:
    try:
        config_for(args.preset)
        if args.symbol.lower() == "history":
            return history_command(args)
        return await signal_command(args, settings)
    except (UsageError, UnknownPreset) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnknownSymbol as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        print(f"error: unknown symbol {args.symbol!r}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT


async def _market(args: argparse.Namespace, settings: Settings) -> tuple[Any, Any]:
    """(market, closer): a replay of --data, or the configured market."""
    from services.market.base import DataUnavailable, ReplayClock

    if args.data:
        from services.market.replay import FileFrames, ReplayProvider

        if not await asyncio.to_thread(Path(args.data).exists):
            raise UsageError(f"--data: no such file or folder: {args.data}")
        try:
            frames = FileFrames(args.data)
        except DataUnavailable:
            raise UsageError(f"--data: no candle files in {args.data}") from None
        provider = ReplayProvider(frames, ReplayClock(0))
        if args.at:
            provider.clock.set(parse_at(args.at))  # type: ignore[attr-defined]
        else:
            await provider.start_at_data_end()
        return provider, None
    if args.at:
        raise UsageError("--at needs --data (a replay of candle files)")
    from services.db.engine import Database
    from services.db.migrate import upgrade
    from services.market.factory import build_market_data

    db = Database(settings.database_url)
    await upgrade(db)
    return build_market_data(settings, db), db


async def signal_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands._fluent import plain
    from services.market.base import MarketDataError
    from services.signals.errors import SignalError
    from services.signals.service import BACKFILL, LIVE, evaluate_symbol

    market, db = await _market(args, settings)
    try:
        symbol = await market.normalize(args.symbol)
        timeframe = args.timeframe or config_for(args.preset).timeframe
        details, result = await evaluate_symbol(market, symbol, timeframe, args.preset)
    except SignalError as exc:
        print(f"error: {plain(exc.key, exc.params)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (MarketDataError, ValueError) as exc:
        print(f"error: no candles for {args.symbol}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        closer = getattr(market, "aclose", None)
        if closer is not None:
            await closer()
        if db is not None:
            await db.dispose()
    issued = details.issued and not result.stale
    payload = {
        "symbol": symbol,
        "timeframe": timeframe,
        "candle_open": iso(details.bar_time),
        "candle_close": iso(details.bar_time + details.timeframe_ms),
        "source": result.source,
        "simulated": result.simulated,
        "stale": result.stale,
        # Nothing is stored here; a replay of files reads as the backfill path would tag it.
        "trade_mode": BACKFILL if args.data else LIVE,
        "issued": issued,
        **details.as_dict(),
    }
    if result.stale:
        payload["direction"] = "NEUTRAL"
        payload["rejections"] = [{"code": "stale_data", "params": {}}, *payload["rejections"]]
    if args.json:
        print(json.dumps(payload, default=_json_default, allow_nan=False))
    else:
        print(_text(payload))
    return 0


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _text(p: dict[str, Any]) -> str:
    from services.i18n import Catalog
    from services.signals.format import reason_text

    i18n = Catalog.load().translator("en")  # codes in words, as the card shows them
    label = "  [SIMULATED DATA]" if p["simulated"] else ""
    regime = i18n("signal-regime-" + str(p["regime"]))
    lines = [
        f"{p['symbol']} {p['timeframe']} {p['direction']}  confidence {p['confidence']:.1f}%"
        f"  score {p['score']:+.3f}  (candle closed {p['candle_close']}, {p['source']}){label}",
        f"regime {regime}, MTF {p['mtf']['status']}, "
        f"false-breakout {p['false_breakout']['score']:.2f}",
    ]
    levels = p["levels"]
    if levels and p["direction"] != "NEUTRAL":
        lines.append(
            f"entry {levels['entry']:.8g}  stop {levels['stop']:.8g}  tp1 {levels['tp1']:.8g}"
            f"  tp2 {levels['tp2']:.8g}  tp3 {levels['tp3']:.8g}  R:R {levels['rr']:.2f}"
        )
    for component in p["components"]:
        reasons = "; ".join(reason_text(i18n, r) for r in component["reasons"])
        lines.append(f"  {component['name']:<15} {component['score']:+.2f}  {reasons}")
    for rejection in p["rejections"]:
        lines.append(f"  not issued: {reason_text(i18n, rejection)}")
    return "\n".join(lines)


RR_PLACES = 2  # a reward/risk ratio is read as 1.70, not 1.7000000000000002
JSON_DIGITS = 10  # significant digits of prices and confidences in JSON lines


def readable(row: dict[str, Any]) -> dict[str, Any]:
    """A copy for output: float noise rounded away (rr to 2 places, other floats to 10
    significant digits); the engine's values are untouched."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, float) and math.isfinite(value):
            value = round(value, RR_PLACES) if key == "rr" else float(f"{value:.{JSON_DIGITS}g}")
        out[key] = value
    return out


def history_command(args: argparse.Namespace) -> int:
    from core.market.csv import CandleFileError, read_candles
    from core.strategies.engine import history

    if not args.data or not Path(args.data).is_file():
        raise UsageError("signal history needs --data FILE (one candle file)")
    try:
        frame = read_candles(args.data)
    except (CandleFileError, OSError, ValueError) as exc:
        raise UsageError(f"--data: {exc}") from None
    config = config_for(args.preset, **({"timeframe": args.timeframe} if args.timeframe else {}))
    rows = history(frame, config)
    out = sys.stdout
    for row in rows:
        if args.json:
            out.write(json.dumps({"time_iso": iso(row.time), **readable(row.as_dict())}) + "\n")
        else:
            out.write(
                f"{iso(row.time)} {row.direction_name:<5} {row.confidence:5.1f} "
                f"entry {row.entry:.8g} stop {row.stop:.8g} "
                f"tp {row.tp1:.8g} {row.tp2:.8g} {row.tp3:.8g}\n"
            )
    return 0
