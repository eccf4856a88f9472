"""/top [N]: the liquid universe ranked by trend strength, volume and volatility."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from core.numbers import strict_int
from handlers.registry import CommandSpec
from handlers.render import escape, format_percent, format_price, split_text
from services.container import Services
from services.i18n import Translator
from services.market.base import MarketDataError
from services.market.labels import with_label
from services.market.universe import TopResult
from services.users import UserDTO

router = Router(name="market")

COMMANDS = [CommandSpec("top", "cmd-top", args_key="cmd-top-args")]

DEFAULT_TOP = 10
MAX_TOP = 30


def parse_top_n(args: str | None) -> int | None:
    """N from `/top N`: default 10, a whole number 1..MAX_TOP, else None."""
    if args is None or not args.strip():
        return DEFAULT_TOP
    return strict_int(args, low=1, high=MAX_TOP, max_digits=3)


def compact_amount(value: float) -> str:
    """1 234 567 890 -> 1.23B; language-neutral units, as exchanges show volume."""
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= threshold:
            return f"{value / threshold:.2f}{suffix}"
    return f"{value:.0f}"


def render_top(result: TopResult, i18n: Translator) -> str:
    if not result.entries:
        return with_label(i18n("market-top-empty"), result, i18n)
    lines = [
        i18n(
            "market-top-title",
            count=len(result.entries),
            universe=result.universe_size,
            timeframe=result.timeframe,
            days=result.lookback_days,
        )
    ]
    for entry in result.entries:
        reason = i18n(
            "market-top-reason",
            direction=entry.direction,
            change=format_percent(entry.change_pct, places=1, signed=True),
            strength=f"{entry.efficiency:.2f}",
            volume=compact_amount(entry.quote_volume_24h),
            volatility=format_percent(entry.volatility_pct, places=1),
        )
        lines.append(
            i18n(
                "market-top-line",
                rank=entry.rank,
                symbol=escape(entry.symbol),
                price=format_price(entry.last),
                reason=reason,
            )
        )
    lines.append("")
    lines.append(i18n("market-top-footer"))
    return with_label("\n".join(lines), result, i18n)


@router.message(Command("top"))
async def top(
    message: Message,
    command: CommandObject,
    services: Services,
    i18n: Translator,
    user: UserDTO,
) -> None:
    n = parse_top_n(command.args)
    if n is None:
        await message.answer(i18n("market-top-bad-n", max=MAX_TOP))
        return
    hub = services.market
    if hub.on_exchange and not hub.universe.is_warm():
        await message.answer(i18n("market-top-working"))
    try:
        result = await hub.universe.top(n)
    except MarketDataError:
        await message.answer(i18n("market-unavailable"))
        return
    for part in split_text(render_top(result, i18n)):
        await message.answer(part)
