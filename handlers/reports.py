"""/stats [live|paper|backfill] and /export.

/stats shows each trade mode on its own (design principle 5): without an argument,
one block per mode that has trades, never a pooled total.
"""

from __future__ import annotations

import math

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from core.metrics.formulas import format_ratio
from handlers.registry import CommandSpec
from handlers.render import format_percent, format_signed_money
from services.container import Services
from services.i18n import Translator
from services.reports.service import MODES
from services.reports.stats import ModeStats
from services.users import UserDTO

router = Router(name="reports")

COMMANDS = [
    CommandSpec("stats", "cmd-stats", args_key="cmd-stats-args"),
    CommandSpec("export", "cmd-export"),
]


def share(value: float) -> str:
    return "—" if math.isnan(value) else format_percent(value * 100)


def stats_text(i18n: Translator, s: ModeStats, currency: str) -> str:
    mode = i18n(f"stats-mode-{s.mode}")
    title = i18n("stats-title", mode=mode)
    if s.empty:
        return f"{title}\n{i18n('stats-empty', mode=mode)}"
    body = i18n(
        "stats-body",
        trades=s.trades,
        win_rate=share(s.win_rate),
        pf=format_ratio(s.profit_factor),
        pnl=format_signed_money(s.net_pnl, currency),
        days=s.trading_days,
        avg_day=format_signed_money(s.avg_daily_pnl, currency),
        sharpe=format_ratio(s.sharpe),
        sortino=format_ratio(s.sortino),
        max_dd=share(s.max_drawdown),
    )
    return f"{title}\n{body}"


def signals_text(i18n: Translator, rows: list, mode: str) -> str:
    lines = [i18n("stats-signals-title", mode=i18n(f"stats-mode-{mode}"))]
    for row in rows:
        lines.append(
            i18n(
                "stats-signals-line",
                preset=row.preset,
                issued=row.issued,
                closed=row.closed,
                tp1=share(row.tp1_share) if row.tp1_share is not None else "—",
                sl=share(row.sl_share) if row.sl_share is not None else "—",
            )
        )
    return "\n".join(lines)


@router.message(Command("stats"))
async def stats(
    message: Message, command: CommandObject, services: Services, user: UserDTO, i18n: Translator
) -> None:
    arg = (command.args or "").strip().lower()
    if arg and arg not in MODES:
        await message.answer(i18n("stats-usage"))
        return
    reports = services.reports
    currency = (await services.accounts.get(user.id)).currency
    blocks = []
    for mode in [arg] if arg else list(MODES):
        s = await reports.stats(user.id, mode)
        signal_rows = await reports.signal_stats(user.id, mode)
        if not arg and s.empty and not signal_rows:
            continue
        block = stats_text(i18n, s, currency)
        if signal_rows:
            block += "\n" + signals_text(i18n, signal_rows, mode)
        blocks.append(block)
    if not blocks:
        blocks.append(stats_text(i18n, await reports.stats(user.id, "paper"), currency))
    blocks.append(i18n("stats-note"))
    await message.answer("\n\n".join(blocks))


@router.message(Command("export"))
async def export(message: Message, services: Services, user: UserDTO, i18n: Translator) -> None:
    files = await services.reports.export(user.id)
    if not files.n_positions:
        await message.answer(i18n("export-empty"))
        return
    await message.answer_document(
        BufferedInputFile(files.positions, filename=f"trades-{user.id}.csv"),
        caption=i18n("export-caption", positions=files.n_positions, fills=files.n_fills),
    )
    await message.answer_document(BufferedInputFile(files.fills, filename=f"fills-{user.id}.csv"))
