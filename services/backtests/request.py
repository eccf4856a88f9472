"""Reading `/backtest SYMBOL [TIMEFRAME] [PRESET] [PERIOD]` into a checked request.

The period is ``90d``, ``12w``, ``6mo`` or ``1y`` ending at the market clock's now,
or a date range ``2024-01-01..2024-03-31`` (UTC, the end day included). Everything is
checked here before any candle is fetched; errors are `BadRequest` with a Fluent key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.market.timeframes import timeframe_ms
from core.strategies.registry import STRATEGIES
from services.backtests.errors import BadRequest

DAY_MS = 86_400_000
# Candle sizes the chat offers (exchange klines every provider serves).
TIMEFRAMES: tuple[str, ...] = ("5m", "15m", "30m", "1h", "2h", "4h", "1d")
_PERIOD_RE = re.compile(r"^([0-9]{1,6})(d|w|mo|y)$")
_UNIT_DAYS = {"d": 1, "w": 7, "mo": 30, "y": 365}
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_TF_SHAPE = re.compile(r"^[0-9]+[mhdw]$")


@dataclass(frozen=True, slots=True)
class ChatArgs:
    symbol: str
    timeframe: str
    strategy: str
    days: int | None  # a relative period in days, or None for a date range
    start_ms: int | None  # date range (inclusive open times), else None
    end_ms: int | None


def parse_args(text: str | None, *, default_timeframe: str, default_strategy: str) -> ChatArgs:
    """Split the command's arguments; order after the symbol is free but each kind once."""
    parts = (text or "").split()
    if not parts:
        raise BadRequest("backtest-usage")
    symbol, rest = parts[0], parts[1:]
    timeframe = strategy = None
    period: str | None = None
    for token in rest:
        low = token.lower()
        if timeframe is None and strategy is None and period is None and low in TIMEFRAMES:
            timeframe = low
        elif period is None and (_PERIOD_RE.match(low) or _RANGE_RE.match(low)):
            period = low
        elif _TF_SHAPE.match(low):
            raise BadRequest(
                "backtest-bad-timeframe", timeframe=token, choices=", ".join(TIMEFRAMES)
            )
        elif period is None and low[:1].isdigit():
            raise BadRequest("backtest-bad-period", period=token)
        elif strategy is None and low.replace("_", "").isalpha():
            if low not in STRATEGIES:
                raise BadRequest(
                    "backtest-unknown-strategy", name=token, choices=", ".join(STRATEGIES)
                )
            strategy = low
        else:
            raise BadRequest("backtest-usage")
    days, start_ms, end_ms = _period(period)
    return ChatArgs(
        symbol=symbol,
        timeframe=timeframe or default_timeframe,
        strategy=strategy or default_strategy,
        days=days,
        start_ms=start_ms,
        end_ms=end_ms,
    )


def _period(text: str | None) -> tuple[int | None, int | None, int | None]:
    if text is None:
        return None, None, None
    rel = _PERIOD_RE.match(text)
    if rel:
        days = int(rel.group(1)) * _UNIT_DAYS[rel.group(2)]
        if days < 1:
            raise BadRequest("backtest-bad-period", period=text)
        return days, None, None
    rng = _RANGE_RE.match(text)
    if not rng:
        raise BadRequest("backtest-bad-period", period=text)
    try:
        first, last = date.fromisoformat(rng.group(1)), date.fromisoformat(rng.group(2))
    except ValueError:
        raise BadRequest("backtest-bad-period", period=text) from None
    if first > last:
        raise BadRequest("backtest-inverted-dates", start=rng.group(1), end=rng.group(2))
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    return None, int(start.timestamp() * 1000), int(end.timestamp() * 1000) - 1


def resolve_window(
    args: ChatArgs, now_ms: int, *, default_days: int, max_days: int, max_bars: int
) -> tuple[int, int, int]:
    """(first open ms, last open ms, days) of the period, refused when absurd."""
    if args.start_ms is not None and args.end_ms is not None:
        start, end = args.start_ms, min(args.end_ms, now_ms)
        if start > now_ms:
            raise BadRequest("backtest-future", start=day_text(start))
        days = max(1, -(-(end - start + 1) // DAY_MS))
    else:
        days = args.days or default_days
        end = now_ms
        start = now_ms - days * DAY_MS
    if days > max_days:
        raise BadRequest("backtest-period-too-long", days=days, max=max_days)
    bars = (end - start) // timeframe_ms(args.timeframe)
    if bars > max_bars:
        raise BadRequest("backtest-too-many-bars", bars=bars, max=max_bars)
    return start, end, days


def day_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d")
